"""Issue 9, items 1 and 2: a bookkeeper exports pain.001 in every language, in Chromium.

The pending list fills the execution date with today's date; the browser only keeps an
ISO ``YYYY-MM-DD`` value in a date input, so a localised one came back empty and the
first download failed with "this field is required" in German, French and Polish. Each
language downloads the file at 1366 px, parses it, and then finds the slips under
"exported for payment"; ticking one again stops at the warning naming the earlier file.
The same pages are looked at on a phone. Screenshots go to ``<artifacts>/browser/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.utils import translation
from lxml import etree
from playwright.sync_api import expect

from ledgerbridge.hub.documents.models import Document
from tests.hub.conftest import PHONE
from tests.hub.factories import DEBTOR_IBAN, admin_of, make_slip
from tests.hub.helpers import log_in, pain001_amounts, pain001_message_id

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
LOCALES = {"en": "en-GB", "de": "de-CH", "fr": "fr-CH", "pl": "pl-PL"}


def _label(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _inside(page: Page, inner: str, outer: str) -> bool:
    """Whether the element ``inner`` lies within the box of ``outer`` (no overflow)."""
    box, frame = page.locator(inner).bounding_box(), page.locator(outer).bounding_box()
    assert box is not None
    assert frame is not None
    return box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]


def _overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0: it fits)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("language", ["en", "de", "fr", "pl"])
def test_pain001_downloads_in_every_language_and_the_slips_show_as_exported(
    language: str,
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
) -> None:
    # given two pending slips and their bookkeeper, who reads this language
    member = admin_of(language=language)
    slips = [make_slip(member), make_slip(member, "s1_bill02")]
    page = browser_context(viewport=LAPTOP, locale=LOCALES[language]).new_page()
    log_in(page, member.user.email)
    page.goto("/payment-slips/")
    date_input = page.locator("#id_execution_date")

    # then the execution date is filled and every pain.001 field fits its box
    assert date_input.input_value() != ""
    for field in ("#id_debtor_name", "#id_debtor_iban", "#id_execution_date"):
        assert _inside(page, field, ".slip-action.wide"), field
    shot(page, f"pending-{language}")

    # when they tick both slips and download pain.001 without touching the date
    page.fill("#id_debtor_iban", DEBTOR_IBAN)
    page.locator("[data-tick-all]").check()
    with page.expect_download() as download:
        page.locator("button[formaction$='/pain001']").click()

    # then the file is an order paying both slips
    root = etree.parse(download.value.path()).getroot()
    assert pain001_amounts(root) == {f"LB-{s.pk}": s.amount for s in slips}
    message_id = pain001_message_id(root)
    assert {s.status for s in Document.objects.filter(pk__in=[s.pk for s in slips])} == {"exported"}

    # and the slips left the pending list and show as exported, naming the file
    page.goto("/payment-slips/")
    expect(page.locator("#slip-rows tbody tr")).to_have_count(0)
    page.goto("/payment-slips/?status=exported")
    rows = page.locator("#slip-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".badge.exported")).to_have_text(
        _label("Exported for payment", language)
    )
    expect(rows.first).to_contain_text(message_id)
    shot(page, f"exported-{language}")

    # and downloading one again first names the earlier export
    page.fill("#id_debtor_iban", DEBTOR_IBAN)
    page.locator(f"#slip-{slips[0].pk} input[name=ids]").check()
    page.locator("button[formaction$='/pain001']").click()
    warning = page.locator(f"#reexport-{slips[0].pk}")
    expect(warning).to_contain_text(message_id)
    expect(warning).to_contain_text(member.user.get_full_name())
    shot(page, f"confirm-again-{language}")
    assert _overflow(page) == 0


def test_the_exported_list_and_the_warning_fit_a_phone(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given a slip exported once, on a phone
    member = admin_of(language="de")
    slip = make_slip(member)
    page = browser_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, member.user.email)
    page.goto("/payment-slips/")
    shot(page, "phone-pending")
    widths = {"pending": _overflow(page)}
    page.fill("#id_debtor_iban", DEBTOR_IBAN)
    page.locator(f"#slip-{slip.pk} input[name=ids]").check()
    with page.expect_download():
        page.locator("button[formaction$='/pain001']").click()

    # when they look at the exported slips and try to pay one again
    page.goto("/payment-slips/?status=exported")
    shot(page, "phone-exported")
    widths["exported"] = _overflow(page)
    page.locator(f"#slip-{slip.pk} input[name=ids]").check()
    page.locator("button[formaction$='/pain001']").click()
    expect(page.locator(f"#reexport-{slip.pk}")).to_be_visible()
    shot(page, "phone-confirm-again")
    widths["confirm"] = _overflow(page)
    page.goto(f"/documents/{slip.pk}/")
    shot(page, "phone-detail")
    widths["detail"] = _overflow(page)

    # then nothing is wider than the screen
    assert {name: px for name, px in widths.items() if px} == {}
