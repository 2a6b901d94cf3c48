"""Issue 11, item 6: the office's partner space in a real Chromium.

The office opens a client's incoming invoices; the client sends one more document while
the page is open and it appears WITHOUT a reload (the table polls with an ETag); the
office books one document with a reference and rejects another with a reason. The
client list, the tab and the detail are photographed at 1366 px and on a phone (390 px)
into ``<artifacts>/browser/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ledgerbridge.hub.exchange.models import SentDocument
from ledgerbridge.hub.identity.models import Organization
from tests.hub.acceptance import partner_steps as steps
from tests.hub.conftest import PHONE
from tests.hub.factories import (
    admin_of,
    ingest_corpus,
    make_link,
    make_organization,
    make_slip,
    make_slip_to,
    send,
)
from tests.hub.helpers import log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media"),
]

LAPTOP = {"width": 1366, "height": 900}


def test_the_office_sees_a_new_document_live_books_one_and_rejects_another(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an office with two clients; one sent an e-invoice and a QR-bill with an invoice
    office = admin_of(
        make_organization(kind=Organization.Kind.ACCOUNTING_OFFICE, name="Treuhand Alpstein AG"),
        email="office@example.test", first_name="Anna", last_name="Keller",
    )  # fmt: skip
    client = admin_of(make_organization(name="Bäckerei Sonnenschein GmbH"))
    link = make_link(office, client)
    invoice = send(
        client, link, ingest_corpus(client, "xrechnung/testsuite/01.01a-INVOICE_ubl.xml")
    )
    slip = send(client, link, make_slip(client))
    other = admin_of(make_organization(name="Garage Müller AG"))
    send(other, make_link(office, other), make_slip(other, "s1_bill02"))
    page = browser_context(viewport=LAPTOP).new_page()
    log_in(page, office.user.email)

    # when the office opens the client's incoming invoices from its client list
    steps.open_clients(page)
    shot(page, "clients-1366")
    steps.open_client(page, "Bäckerei Sonnenschein GmbH")
    steps.open_tab(page, "Incoming invoices")
    steps.wait_for_row(page, invoice.pk)
    steps.wait_for_row(page, slip.pk)
    # and the client sends one more invoice while the page stays open
    newer = send(client, link, make_slip_to(client, creditor="Stadtwerke Zürich",
                                            amount="199.95", bill="s1_bill03"))  # fmt: skip
    new_row = steps.wait_for_row(page, newer.pk)

    # then it appeared without a reload, in the incoming invoices (a QR-bill with an invoice)
    assert "Stadtwerke Zürich" in new_row.inner_text()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    shot(page, "tab-1366")

    # when the office books the e-invoice and rejects the first slip
    steps.book(page, [invoice.pk], "FIBU-2026-0042")
    steps.reject(page, [slip.pk], "The QR-bill is for another company.")

    # then the statuses are saved and shown
    invoice.refresh_from_db()
    slip.refresh_from_db()
    assert (invoice.status, invoice.reference) == ("booked", "FIBU-2026-0042")
    assert (slip.status, slip.reason) == ("rejected", "The QR-bill is for another company.")
    expect(steps.row(page, invoice.pk).locator("td.state")).to_contain_text("FIBU-2026-0042")
    expect(steps.row(page, slip.pk).locator("td.state")).to_contain_text("another company")

    # and the detail shows the snapshot beside its status; opening marked it received
    page.locator(f"#sent-{newer.pk} td.primary a").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("Stadtwerke Zürich")
    assert SentDocument.objects.get(pk=newer.pk).status == "received"
    shot(page, "detail-1366")
    page.goto(
        reverse(
            "web:client_document_detail",
            kwargs={"client_id": client.organization_id, "sent_id": invoice.pk},
        )
    )
    shot(page, "detail-invoice-1366")

    # and on a phone every page fits the screen
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})
    client_id = client.organization_id
    phone_pages = {
        "clients-phone": reverse("web:client_list"),
        "tab-phone": reverse("web:client_documents", kwargs={"client_id": client_id})
        + "?category=incoming_invoice",
        "detail-phone": reverse(
            "web:client_document_detail", kwargs={"client_id": client_id, "sent_id": newer.pk}
        ),
    }
    for name, url in phone_pages.items():
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, name
        shot(page, name)
    assert Organization.objects.get(pk=office.organization_id).kind == "accounting_office"
