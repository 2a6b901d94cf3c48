"""Reusable browser steps of the company's side of the exchange (issue 11).

The acceptance tests compose them: a company uploads documents, ticks them in its document
list and sends them to its accounting office, and then waits, without reloading, for the
office's status to arrive in the list's live cells. The office's side is set through the
exchange services here (the partner space's own steps live with its pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from playwright.sync_api import expect

from ledgerbridge.hub.exchange import services
from ledgerbridge.hub.exchange.models import SentDocument
from ledgerbridge.hub.web.views.sending import POLL_SECONDS

if TYPE_CHECKING:
    from playwright.sync_api import FilePayload, Locator, Page

    from ledgerbridge.hub.documents.models import Document
    from ledgerbridge.hub.identity.models import Membership

__all__ = [
    "LIVE_TIMEOUT_MS",
    "exchange_cell",
    "expect_exchange_status",
    "office_sets_status",
    "open_document_list",
    "send_from_list",
    "upload_documents",
]

# Two poll periods and some slack: the status must arrive without a reload within it.
LIVE_TIMEOUT_MS = (2 * POLL_SECONDS + 5) * 1000


def upload_documents(page: Page, files: list[FilePayload]) -> None:
    """Upload ``files`` on the upload page and wait until each one is stored."""
    page.goto(reverse("web:document_upload"))
    page.set_input_files("#id_files", files)
    submit = page.locator("#upload-submit")
    if submit.is_visible():  # the page's script uploads on choosing; without it, submit
        submit.click()
    # each item gets its outcome as a class once the hub answered
    stored = page.locator("#upload-results .upload-item.created")
    expect(stored).to_have_count(len(files), timeout=30_000)


def open_document_list(page: Page, query: str = "") -> None:
    page.goto(reverse("web:document_list") + (f"?{query}" if query else ""))


def send_from_list(page: Page, documents: list[Document], *, office: str = "") -> None:
    """Tick ``documents`` in the open list and send them (choosing ``office`` when the
    company has several); waits for the message that they were sent."""
    for document in documents:
        page.check(f"#document-{document.pk} input[name=ids]")
    if office:
        page.select_option("#send-form select[name=link]", label=office)
    page.locator("#send-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".msg.success")).to_have_count(1)


def exchange_cell(page: Page, document: Document) -> Locator:
    return page.locator(f"#exchange-{document.pk}")


def expect_exchange_status(page: Page, document: Document, text: str) -> None:
    """Wait, without reloading, until the list's cell of ``document`` reads ``text``."""
    expect(exchange_cell(page, document)).to_have_text(text, timeout=LIVE_TIMEOUT_MS)


def office_sets_status(
    office: Membership, document: Document, status: str, *, reference: str = "",
    reason: str = "",
) -> SentDocument:  # fmt: skip
    """The office sets the status of what ``document``'s company sent it (by service)."""
    sent = SentDocument.objects.get(document=document, office=office.organization)
    services.sent_document_set_status(
        sent=sent, office=office.organization, status=status, reference=reference,
        reason=reason, actor=office.user, ip=None,
    )  # fmt: skip
    sent.refresh_from_db()
    return sent
