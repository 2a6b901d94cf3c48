"""Acceptance A of issue 4: a phone scans a QR-bill, accounting pulls and processes it.

Two real Chromium sessions side by side on the live hub: a phone (390x844, touch) logged
in on the scan page as an ``app`` role user, and an accountant's desktop (1280x800) on the
pending payment slips. The phone uploads a photo of a generated QR-bill from the shared
corpus through its file input and confirms it; the slip must then appear on the desktop
by the page's own polling, pulled by accounting software over HTTP with a bearer token
(``If-None-Match`` then answers 304), marked processed through the API, and the phone
must show "processed", again by its own polling. A ``window`` marker set before each
wait proves that no page was reloaded. Screenshots of every step go to
``<artifacts>/browser/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest
from playwright.sync_api import expect

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.permissions import Permission, Role
from ledgerbridge.hub.identity.regional import iban_groups
from tests.hub.conftest import PHONE
from tests.hub.factories import PASSWORD, make_membership, qrbill_file, tenant, verified_user
from tests.hub.helpers import log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Locator, Page

    from ledgerbridge.hub.identity.models import Organization, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media"),
]

DESKTOP = {"width": 1280, "height": 800}
BILL = "s1_bill05_w900.png"
# The pending list polls every 3 s and the scanner's list every 5 s: room for a few polls
# on a loaded 2-core machine, never a fixed sleep.
POLL_WAIT_MS = 20_000


def _member(organization: Organization, email: str, role: Role) -> User:
    user = verified_user(email, first_name=role.value.title(), last_name="Person")
    make_membership(organization=organization, user=user, role=role)
    return user


def _mark(page: Page) -> None:
    """Leave a marker in the page's window: a reload would wipe it."""
    page.evaluate("window.__notReloaded = true")


def _not_reloaded(page: Page) -> bool:
    return bool(page.evaluate("window.__notReloaded === true"))


def _log_in_on_scan_page(page: Page, email: str, shot: Callable[[Page, str], Path]) -> None:
    page.goto("/scan/")
    shot(page, "phone-link")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.scan-login [type=submit]").click()
    page.wait_for_url("**/scan/")
    # the scan app's script has attached its handlers (a file chosen earlier is missed)
    expect(page.locator("html[data-scan-ready]")).to_be_attached()


def _scan_and_confirm(phone: Page, path: Path, shot: Callable[[Page, str], Path]) -> str:
    """Upload the photo, check the confirmation card, confirm; the card's text."""
    phone.set_input_files("#photo-input", str(path))
    card = phone.locator("#confirm")
    expect(card).to_be_visible(timeout=POLL_WAIT_MS)
    shot(phone, "phone-confirm")
    shown = card.inner_text()
    phone.locator("#confirm-ok").click()
    expect(phone.locator("#scan-message")).to_have_class("scan-message ok", timeout=POLL_WAIT_MS)
    shot(phone, "phone-sent")
    return shown


def _pull(base: str, token: str, etag: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if etag:
        headers["If-None-Match"] = etag
    return httpx.get(
        f"{base}/api/v1/payment-slips", params={"status": "pending"}, headers=headers, timeout=30
    )


def _accounting_program_token(organization: Organization, accountant: User) -> str:
    """The raw API token the accounting program pulls and marks payment slips with."""
    _token, raw = services.api_token_create(
        organization=organization,
        user=accountant,
        name="accounting program",
        permissions=[Permission.PAYMENT_SLIPS_PROCESS, Permission.DOCUMENTS_VIEW],
        ip=None,
    )
    return raw


def _empty_pending_list(desktop: Page, accountant: User, shot: Callable[[Page, str], Path]) -> Page:
    """The accountant's pending payment slips, empty, marked to detect a reload."""
    log_in(desktop, accountant.email)
    desktop.goto("/payment-slips/")
    shot(desktop, "desktop-pending-empty")
    assert desktop.locator("#slip-rows tbody tr").count() == 0
    _mark(desktop)
    return desktop


def _polled_row(desktop: Page, slip: Document, shot: Callable[[Page, str], Path]) -> Locator:
    """The slip's row, once the pending list's own polling (no reload) has shown it."""
    row = desktop.locator(f"#slip-{slip.pk}")
    expect(row).to_be_visible(timeout=POLL_WAIT_MS)
    shot(desktop, "desktop-pending-row")
    assert _not_reloaded(desktop)
    return row


def _mark_processed(base: str, token: str, slip_id: int, booking: str) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/payment-slips/{slip_id}/processed",
        json={"booking_reference": booking},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def test_a_phone_scan_reaches_the_pending_list_the_pull_api_and_comes_back_processed(
    browser_context: Callable[..., BrowserContext],
    live_server: Any,
    shot: Callable[[Page, str], Path],
) -> None:
    # given an organization with a phone user (app role), an accountant, and the
    # accounting program's token; the phone is linked by logging in on the scan page
    acme = tenant("acme", name="Acme Treuhand AG")
    scanner = _member(acme.organization, "scanner@example.com", Role.APP)
    accountant = _member(acme.organization, "accountant@example.com", Role.ACCOUNTANT)
    accounting = _accounting_program_token(acme.organization, accountant)
    _data, entry = qrbill_file(BILL)
    fields = entry["expected_fields"]
    phone = browser_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    _log_in_on_scan_page(phone, scanner.email, shot)
    shot(phone, "phone-scan-app")
    desktop = _empty_pending_list(browser_context(viewport=DESKTOP).new_page(), accountant, shot)

    # when the phone uploads a photo of the QR-bill and confirms it
    shown = _scan_and_confirm(phone, entry["path"], shot)

    # then the confirmation showed the bill, and exactly one pending slip was stored
    assert fields["creditor"]["name"] in shown
    assert fields["reference"] in shown.replace(" ", "")
    slip = Document.objects.get(organization=acme.organization)
    assert (slip.kind, slip.status, slip.source) == ("payment_slip", "pending", "scan")
    assert slip.created_by == scanner

    # and it appears on the accountant's desktop by the page's own polling, no reload
    row = _polled_row(desktop, slip, shot)
    assert fields["creditor"]["name"] in row.inner_text()
    # the IBAN printed in blocks of four, as on the bill
    assert " ".join(iban_groups(fields["account"])) in row.inner_text()

    # when the accounting program pulls the pending slips, then pulls again unchanged
    first = _pull(live_server.url, accounting)
    again = _pull(live_server.url, accounting, first.headers["ETag"])

    # then it gets the slip with the bill's data, and the unchanged refresh is a 304
    assert first.status_code == 200
    [pulled] = first.json()["items"]
    assert (pulled["id"], pulled["iban"], pulled["currency"], pulled["reference"]) == (
        (slip.pk, fields["account"], fields["currency"], fields["reference"])
    )
    assert pulled["scanned_by"] == scanner.email
    assert (again.status_code, again.content) == (304, b"")

    # when it marks the slip processed with its booking reference
    _mark(phone)
    done = _mark_processed(live_server.url, accounting, slip.pk, "FIBU-2025-0815")

    # then the scanner's page shows "processed" by its own polling, without a reload,
    # and the slip leaves the accountant's pending list the same way
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["booking_reference"]) == (
        "processed",
        "FIBU-2025-0815",
    )
    processed = phone.locator("#recent .recent-item[data-status=processed]")
    expect(processed).to_have_count(1, timeout=POLL_WAIT_MS)
    shot(phone, "phone-processed")
    assert _not_reloaded(phone)
    assert "processed" in processed.inner_text().lower()
    expect(row).to_have_count(0, timeout=POLL_WAIT_MS)
    shot(desktop, "desktop-pending-after")
    assert _not_reloaded(desktop)
    assert _pull(live_server.url, accounting).json()["items"] == []


def test_the_camera_controls_stay_hidden_until_the_camera_runs(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given a phone linked to an organization
    acme = tenant("acme", name="Acme Treuhand AG")
    scanner = _member(acme.organization, "scanner@example.com", Role.APP)
    phone = browser_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()

    # when the scan app opens, before the camera is started
    _log_in_on_scan_page(phone, scanner.email, shot)
    shot(phone, "phone-before-camera")

    # then only the ways to start are shown, not the controls of a running camera
    expect(phone.locator("#start-camera")).to_be_visible()
    expect(phone.locator("#capture-frame")).to_be_hidden()
    expect(phone.locator("#stop-camera")).to_be_hidden()
