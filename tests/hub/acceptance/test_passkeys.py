"""Acceptance B: passkeys (WebAuthn) in a real Chromium with a virtual authenticator.

Chromium's DevTools protocol can plug a virtual FIDO2 authenticator into a page
(``WebAuthn.addVirtualAuthenticator``): it answers ``navigator.credentials.create`` and
``.get`` with real signatures from a key pair it makes up, and "touches" itself
(``automaticPresenceSimulation``), so allauth's own JavaScript and python-fido2's checks on
the server run exactly as with a hardware key or a phone.

WebAuthn needs a secure context and an RP ID that is a domain: the live server listens on
``http://localhost:<port>`` (pytest-django's default), which Chromium treats as secure and
python-fido2 accepts as an origin for the RP ID ``localhost``, so the production setting
``MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False`` stays in force. An IP address such as
``127.0.0.1`` would not do: browsers refuse an IP as RP ID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator

from ledgerbridge.hub.identity.selectors import audit_event_list
from tests.hub.factories import PASSWORD, tenant
from tests.hub.helpers import log_in, log_out

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, CDPSession, Locator, Page

    from ledgerbridge.hub.identity.models import Organization, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# A platform authenticator with a PIN or fingerprint: it keeps discoverable credentials
# (passkeys) and verifies the user, which passwordless login requires.
VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}
KEY_NAME = "Laptop passkey"


def _plug_in_authenticator(context: BrowserContext, page: Page) -> tuple[CDPSession, str]:
    """Attach a virtual authenticator to ``page``; return the session and its id."""
    session = context.new_cdp_session(page)
    session.send("WebAuthn.enable", {"enableUI": False})
    added = session.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
    return session, str(added["authenticatorId"])


def _console_errors(page: Page) -> list[str]:
    """Collect the page's console errors: allauth's script reports a failed ceremony there."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _navigate_by(page: Page, button: Locator, errors: list[str]) -> None:
    """Click a button whose script runs a WebAuthn ceremony and then submits a form."""
    try:
        with page.expect_navigation(timeout=8_000):
            button.click()
    except Exception as exc:  # the ceremony failed in the browser: say how
        raise AssertionError(
            f"no page load after the WebAuthn ceremony; console: {errors}"
        ) from exc
    page.wait_for_load_state()


def _assert_logged_in_as(page: Page, user: User) -> None:
    assert "/accounts/" not in page.url, page.url
    assert user.email in page.content()


def _add_passkey(page: Page, errors: list[str], shot: Callable[[Page, str], Path]) -> None:
    """From the MFA overview, add a passwordless security key (a passkey)."""
    page.goto("/accounts/2fa/")
    shot(page, "mfa-overview")
    page.locator("main a[href$='/webauthn/add/']").first.click()
    page.wait_for_load_state()
    _reauthenticate_if_asked(page)
    assert page.url.endswith("/accounts/2fa/webauthn/add/"), page.url
    page.fill("input[name=name]", KEY_NAME)
    page.check("input[name=passwordless]")
    shot(page, "add-passkey")
    _navigate_by(page, page.locator("#mfa_webauthn_add"), errors)
    shot(page, "passkey-added")


def _reauthenticate_if_asked(page: Page) -> None:
    """Changing the second factors may ask for the password again first."""
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has([name=password]) [type=submit]").first.click()
        page.wait_for_load_state()


def _log_in_with_security_key(
    page: Page, user: User, errors: list[str], shot: Callable[[Page, str], Path]
) -> None:
    """Log in with the password, then the key as second factor."""
    log_in(page, user.email)
    assert "/accounts/2fa/authenticate/" in page.url, page.url
    shot(page, "second-factor")
    _navigate_by(page, page.locator("#mfa_webauthn_authenticate"), errors)


def _remove_passkey(page: Page, shot: Callable[[Page, str], Path]) -> None:
    page.goto("/accounts/2fa/webauthn/")
    shot(page, "security-keys")
    row = page.locator("tr", has_text=KEY_NAME)
    assert row.count() == 1
    assert "Passkey" in row.inner_text()
    row.locator("a[href$='/remove/']").click()
    page.wait_for_load_state()
    _reauthenticate_if_asked(page)
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    shot(page, "passkey-removed")


def _mfa_changes(organization: Organization, user: User) -> list[tuple[str, Any]]:
    """The MFA additions and removals in ``organization``'s change log about ``user``."""
    events = audit_event_list(organization=organization, user_id=user.pk).order_by("seq")
    return [
        (event.action, event.details)
        for event in events
        if event.action in {"mfa_added", "mfa_removed"} and event.subject_user_id == user.pk
    ]


def test_passkey_as_second_factor_and_for_passwordless_login(
    browser_context: Callable[..., BrowserContext],
    live_server: Any,
    shot: Callable[[Page, str], Path],
) -> None:
    # given a verified member logged in, in a browser with a platform authenticator
    host = urlsplit(live_server.url).hostname
    assert host == "localhost", f"WebAuthn needs the RP ID 'localhost', not {host}"
    acme = tenant("acme")
    user = acme.member
    context = browser_context()
    page = context.new_page()
    errors = _console_errors(page)
    session, authenticator_id = _plug_in_authenticator(context, page)
    log_in(page, user.email)
    _assert_logged_in_as(page, user)

    # when they add a passkey on the two-factor page
    _add_passkey(page, errors, shot)

    # then the hub stores it as a passwordless key, and the authenticator holds it for localhost
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert stored.wrap().name == KEY_NAME
    assert stored.wrap().is_passwordless is True
    held = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert [(c["rpId"], c["isResidentCredential"]) for c in held["credentials"]] == [
        ("localhost", True)
    ]

    # when they log out and log in with password, then the key as second factor
    log_out(page)
    _log_in_with_security_key(page, user, errors, shot)

    # then they are in
    _assert_logged_in_as(page, user)
    shot(page, "in-with-security-key")

    # when they log out and log in with the passkey alone
    log_out(page)
    _navigate_by(page, page.locator("#passkey_login"), errors)

    # then they are in again, without typing a password
    _assert_logged_in_as(page, user)
    shot(page, "in-with-passkey")
    held = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert held["credentials"][0]["signCount"] == 3  # created once, then signed twice

    # when they remove the key
    _remove_passkey(page, shot)

    # then it is gone with the recovery codes that came with it (they would guard nothing),
    # and the change log of their organization shows each addition and removal
    assert not Authenticator.objects.filter(user=user).exists()
    assert _mfa_changes(acme.organization, user) == [
        ("mfa_added", {"type": "webauthn"}),
        ("mfa_added", {"type": "recovery_codes"}),
        ("mfa_removed", {"type": "webauthn"}),
        ("mfa_removed", {"type": "recovery_codes"}),
    ]
