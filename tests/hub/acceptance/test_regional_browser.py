"""Issue 9, item 4 in Chromium: amounts, dates, IBANs and QR references as people read them.

A Swiss organization's pending slips and documents at 1366x768 and on a phone: the amount
``EUR 3'009.64`` stays on one line, the IBAN and the QR reference are printed in their
blocks (``CH07 3173 …``, ``36 08377 …``) and no block is ever split over two lines.
Then the member picks the German format on their preferences page and the list follows.
Screenshots go to ``<artifacts>/browser/``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ledgerbridge.hub.documents.models import Document
from tests.hub.conftest import PHONE
from tests.hub.factories import admin_of, make_slip_to
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

LAPTOP = {"width": 1366, "height": 768}
LONG_NAME = "Søren Sørensen Holzbau und Innenausbau Genossenschaft Oberengadin"

# Every block of an IBAN or a reference, and every amount cell, takes exactly one line box.
_SPLIT = """() => [...document.querySelectorAll('.grp, td.num strong')]
  .filter(el => el.getClientRects().length !== 1).map(el => el.textContent)"""


def _slips() -> Any:
    member = admin_of(email="regional@example.ch", first_name="Regula", last_name="Meier")
    for name, amount in ((LONG_NAME, "3009.64"), ("Müller AG", "1250000.00")):
        slip = make_slip_to(member, creditor=name, amount=amount)
        Document.objects.filter(pk=slip.pk).update(due_date=date(2026, 12, 7))
    return member


def _look(page: Page, shot: Callable[[Page, str], Path], name: str) -> None:
    assert page.evaluate(_SPLIT) == []
    shot(page, name)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_swiss_organization_reads_swiss_amounts_and_grouped_ibans(
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
    viewport: dict[str, int],
) -> None:
    # given a Swiss organization with two pending slips, and its admin logged in
    member = _slips()
    page = browser_context(viewport=viewport, is_mobile=viewport is PHONE).new_page()
    log_in(page, member.user.email)
    # when the admin looks at the pending slips
    page.goto(reverse("web:payment_slip_list"))
    # then
    row = page.locator("#slip-rows tbody tr").first
    expect(row.locator("td.num")).to_have_text("EUR\xa03'009.64")
    expect(row.locator("td[data-label=IBAN]")).to_have_text("CH07 3173 5141 7776 3170 6")
    expect(row.locator("td.ref")).to_have_text("36 08377 83533 74068 12415 86834")
    expect(row).to_contain_text("07.12.2026")
    expect(page.locator("#slip-rows tbody tr").nth(1).locator("td.num")).to_have_text(
        "EUR\xa01'250'000.00"
    )
    _look(page, shot, "slips")
    # and the document list and the detail write them the same way
    page.goto(reverse("web:document_list"))
    expect(page.locator("table.data tbody tr").first).to_contain_text("EUR\xa01'250'000.00")
    _look(page, shot, "documents")
    page.locator("table.data tbody tr").nth(1).locator("a").first.click()
    expect(page.locator("dl.facts").first).to_contain_text("CH07 3173 5141 7776 3170 6")
    expect(page.locator("dl.facts").first).to_contain_text("EUR\xa03'009.64")
    _look(page, shot, "detail")


def test_a_member_switches_to_the_german_format(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given
    member = _slips()
    page = browser_context(viewport=LAPTOP).new_page()
    log_in(page, member.user.email)
    page.goto(reverse("web:preferences"))
    shot(page, "preferences")
    # when
    page.select_option("#id_regional_format", "de")
    page.locator("form [type=submit]").last.click()
    page.goto(reverse("web:payment_slip_list"))
    # then
    expect(page.locator("#slip-rows tbody tr").first.locator("td.num")).to_have_text(
        "EUR\xa03.009,64"
    )
    _look(page, shot, "german-slips")
    page.goto(reverse("web:organization_settings"))
    shot(page, "settings")
