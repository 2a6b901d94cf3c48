"""Steps of an accounting office in its partner space, in Chromium, for any browser test.

Each step drives the page the way a bookkeeper does (links, ticks, form fields, buttons)
and waits for what the page shows afterwards, so a test reads as the story it tells and
the end-to-end test of issue 11 can reuse them. Rows are found by their ``id``
(``sent-<id>``) or by the counterparty's name; nothing here reloads a page unless the
step says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = [
    "book",
    "open_client",
    "open_clients",
    "open_tab",
    "reject",
    "row",
    "status_of",
    "wait_for_row",
]

# The table polls every few seconds; a new row must show within a few polls.
LIVE_TIMEOUT_MS = 15_000


def open_clients(page: Page) -> None:
    """The client list, from the main menu (the "Clients" entry of an office)."""
    page.goto(reverse("web:home"))
    page.locator("nav.mainnav a[href='" + reverse("web:client_list") + "']").click()
    page.wait_for_load_state()


def open_client(page: Page, name: str) -> None:
    """Open a client from the list by its name (a plain link: it works on a phone too)."""
    page.locator("#client-table td.primary a", has_text=name).click()
    page.wait_for_load_state()


def open_tab(page: Page, label: str) -> None:
    """Switch to the category tab whose label starts with ``label``."""
    page.locator("#sent-rows nav.tabs a", has_text=label).first.click()
    page.wait_for_load_state()


def row(page: Page, sent_id: int) -> Locator:
    return page.locator(f"#sent-{sent_id}")


def wait_for_row(page: Page, sent_id: int) -> Locator:
    """Wait, without reloading, until the live table shows the document ``sent_id``."""
    found = row(page, sent_id)
    expect(found).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    return found


def status_of(page: Page, sent_id: int) -> str:
    return row(page, sent_id).locator("td.state").inner_text()


def _tick(page: Page, sent_ids: list[int]) -> None:
    for sent_id in sent_ids:
        row(page, sent_id).locator("input[name=ids]").check()


def book(page: Page, sent_ids: list[int], reference: str) -> None:
    """Tick ``sent_ids``, type the booking reference and mark them booked."""
    _tick(page, sent_ids)
    page.fill("#bulk-actions input[name=reference]", reference)
    page.locator("#bulk-actions button[formaction$='/book']").click()
    page.wait_for_load_state()
    expect(page.locator(".messages .msg.success")).to_be_visible()


def reject(page: Page, sent_ids: list[int], reason: str) -> None:
    """Tick ``sent_ids``, type why and reject them."""
    _tick(page, sent_ids)
    page.fill("#bulk-actions input[name=reason]", reason)
    page.locator("#bulk-actions button[formaction$='/reject']").click()
    page.wait_for_load_state()
    expect(page.locator(".messages .msg.success")).to_be_visible()
