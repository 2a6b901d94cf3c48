"""Issue 11, items 4 and 5 in Chromium: the company sends a QR-bill, the status flows back.

A company with an active link to its accounting office uploads a QR-bill photo, ticks it
in its document list and sends it; the office books it with a reference (through the
service, as the partner space would) and the company's open list shows "booked (REF)"
without a reload, then "rejected: reason" when the office changes its mind. The list and
the detail page are looked at on a phone as well. Screenshots go to ``<artifacts>/browser/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange.models import ExchangeStatus
from tests.hub.acceptance.exchange_company_steps import (
    expect_exchange_status,
    office_sets_status,
    open_document_list,
    send_from_list,
    upload_documents,
)
from tests.hub.conftest import PHONE
from tests.hub.factories import admin_of, make_link, office_admin, qrbill_file
from tests.hub.helpers import file_payload, log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media"),
]


def _overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_a_sent_qr_bill_shows_the_offices_status_without_reload(
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
) -> None:
    # given a company with an active link to its accounting office
    office, company = office_admin(), admin_of()
    make_link(office, company)
    page = browser_context().new_page()
    log_in(page, company.user.email)

    # when it uploads a QR-bill photo and sends it from its document list
    upload_documents(page, [file_payload("bill.png", "image/png", qrbill_file()[0])])
    slip = Document.objects.get(organization=company.organization)
    open_document_list(page)
    shot(page, "list-before-sending")
    send_from_list(page, [slip])

    # then the list says it was sent
    expect_exchange_status(page, slip, "sent")
    shot(page, "list-sent")

    # when the office books it, the open list shows it without a reload
    page.evaluate("window.__notReloaded = true")
    office_sets_status(office, slip, ExchangeStatus.BOOKED, reference="FIBU-2026-17")
    expect_exchange_status(page, slip, "booked (FIBU-2026-17)")
    shot(page, "list-booked")

    # and when it rejects it after all, the reason arrives the same way
    office_sets_status(office, slip, ExchangeStatus.REJECTED, reason="Paid twice")
    expect_exchange_status(page, slip, "rejected: Paid twice")
    assert page.evaluate("window.__notReloaded") is True
    shot(page, "list-rejected")

    # and the detail page shows the office, the reason and the history
    page.goto(reverse("web:document_detail", args=[slip.pk]))
    section = page.locator("#exchange-section")
    expect(section).to_contain_text(office.organization.name)
    expect(section.locator(".timeline li")).to_have_count(3)
    shot(page, "detail")

    # and both fit a phone screen
    phone = browser_context(viewport=PHONE).new_page()
    log_in(phone, company.user.email)
    pages = {
        "phone-list": reverse("web:document_list"),
        "phone-detail": reverse("web:document_detail", args=[slip.pk]),
        "phone-replace": reverse("web:document_replace", args=[slip.pk]),
    }
    for name, url in pages.items():
        phone.goto(url)
        assert _overflow(phone) == 0, name
        shot(phone, name)
