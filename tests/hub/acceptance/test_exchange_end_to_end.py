"""Acceptance A of the exchange, end to end in a real Chromium, without a single reload.

An accounting office adds a client by tax ID and e-mail; the client registers from the
e-mail with the tax ID filled in and fixed, accepts, uploads an e-invoice and a QR-bill and
sends both. The office, whose client tab is open, sees them arrive under their category
tabs, books the invoice with a reference and rejects the QR-bill with a reason; the
client's document list, open the whole time, shows "booked (ref)" and "rejected: reason".
Screenshots of the partner space and of both lists go to ``<artifacts>/browser/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange.models import ExchangeStatus, SentDocument
from ledgerbridge.hub.identity.models import Organization
from tests.hub.acceptance.exchange_company_steps import (
    LIVE_TIMEOUT_MS,
    exchange_cell,
    open_document_list,
    send_from_list,
    upload_documents,
)
from tests.hub.acceptance.exchange_steps import (
    accept_request,
    add_client,
    open_join_link,
    register_from_join,
)
from tests.hub.acceptance.partner_steps import (
    book,
    open_client,
    open_clients,
    open_tab,
    reject,
    wait_for_row,
)
from tests.hub.factories import CORPUS, new_uid, office_admin, qrbill_file
from tests.hub.helpers import file_payload, log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An XRechnung whose buyer carries no tax ID: an incoming invoice of whoever receives it.
INVOICE = CORPUS / "xrechnung/testsuite/01.01a-INVOICE_ubl.xml"


def test_an_office_and_its_new_client_exchange_documents_and_statuses_live(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an accounting office whose admin is logged in at the desk
    office = office_admin(email="anna@treuhand.test")
    Organization.objects.filter(pk=office.organization_id).update(name="Treuhand Muster AG")
    desk = browser_context().new_page()
    log_in(desk, office.user.email)

    # when the office adds a client by tax ID and e-mail ...
    add_client(desk, tax_id=new_uid(), email="bea@newco.test")
    # ... the client registers from the e-mail (tax ID filled in and fixed) and accepts
    company = browser_context().new_page()
    open_join_link(company, "bea@newco.test")
    register_from_join(company, email="bea@newco.test", organization="Newco AG")
    accept_request(company)

    # and the office opens the new client's incoming invoices
    open_clients(desk)
    open_client(desk, "Newco AG")
    open_tab(desk, "Incoming invoices")

    # and the client uploads an e-invoice and a QR-bill and sends both from its list
    upload_documents(
        company,
        [
            file_payload("rechnung.xml", "application/xml", INVOICE.read_bytes()),
            file_payload("bill.png", "image/png", qrbill_file()[0]),
        ],
    )
    newco = Organization.objects.get(name="Newco AG")
    invoice = Document.objects.get(organization=newco, kind=Document.Kind.INCOMING_INVOICE)
    slip = Document.objects.get(organization=newco, kind=Document.Kind.PAYMENT_SLIP)
    open_document_list(company)
    send_from_list(company, [invoice, slip])
    shot(company, "client-list-sent")
    sent_invoice = SentDocument.objects.get(document=invoice)
    sent_slip = SentDocument.objects.get(document=slip)

    # then the office sees the invoice arrive in the open tab, without a reload
    wait_for_row(desk, sent_invoice.pk)
    shot(desk, "partner-space-incoming-invoices")
    # and the QR-bill under payment slips
    open_tab(desk, "Payment slips")
    wait_for_row(desk, sent_slip.pk)
    shot(desk, "partner-space-payment-slips")

    # when the office rejects the QR-bill with a reason and books the invoice
    reject(desk, [sent_slip.pk], "Paid already by direct debit")
    open_tab(desk, "Incoming invoices")
    book(desk, [sent_invoice.pk], "FIBU-2026-0815")
    shot(desk, "partner-space-after-booking")

    # then the client's list, open since it sent them, shows both without a reload
    expect(exchange_cell(company, invoice)).to_contain_text(
        "booked (FIBU-2026-0815)", timeout=LIVE_TIMEOUT_MS
    )
    expect(exchange_cell(company, slip)).to_contain_text(
        "rejected: Paid already by direct debit", timeout=LIVE_TIMEOUT_MS
    )
    shot(company, "client-list-statuses")
    sent_invoice.refresh_from_db()
    sent_slip.refresh_from_db()
    assert (sent_invoice.status, sent_invoice.reference) == (
        ExchangeStatus.BOOKED, "FIBU-2026-0815",
    )  # fmt: skip
    assert (sent_slip.status, sent_slip.reason) == (
        ExchangeStatus.REJECTED, "Paid already by direct debit",
    )  # fmt: skip
