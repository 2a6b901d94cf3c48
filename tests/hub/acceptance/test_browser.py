"""Acceptance B: the portal in a real headless Chromium, end to end.

Each test is one story a person goes through, with screenshots of the main pages written
to ``<artifacts>/browser/``. The hub runs in the live-server thread on the test database;
codes and links are read from the e-mails it sends.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.models import Authenticator
from django.utils.module_loading import import_string

from ledgerbridge.hub.identity.models import User
from tests.hub.acceptance.helpers import code_from_mail, totp_at, totp_step

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sturdy-Ledger-Password-77"


def _submit(page: Page, field: str) -> None:
    """Click the submit button of the form that holds the input named ``field``."""
    page.locator(f"form:has([name={field}]) [type=submit]").first.click()
    page.wait_for_load_state()


def _log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    _submit(page, "password")


def _log_out(page: Page) -> None:
    page.goto("/accounts/logout/")
    page.locator("main form[action*='logout'] [type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url


def _stored_totp_secret(user: User) -> str:
    adapter = import_string("ledgerbridge.hub.web.accounts.mfa.EncryptingMFAAdapter")()
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return str(adapter.decrypt(authenticator.data["secret"]))


def test_register_verify_enable_totp_and_log_in_with_it(
    page: Page, shot: Callable[[Page, str], Path]
) -> None:
    # given a visitor on the sign-up page
    email = "rosa.register@example.com"
    page.goto("/accounts/signup/")
    shot(page, "signup")

    # when they register, enter the code from the e-mail, and activate an authenticator app
    page.fill("input[name=email]", email)
    page.fill("input[name=first_name]", "Rosa")
    page.fill("input[name=last_name]", "Register")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=accept_terms]")
    _submit(page, "password2")
    shot(page, "verification-code")
    page.fill("input[name=code]", code_from_mail(email))
    _submit(page, "code")
    shot(page, "after-verification")
    page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # adding a second factor asks for the password again
        shot(page, "reauthenticate")
        page.fill("input[name=password]", PASSWORD)
        _submit(page, "password")
    shot(page, "totp-activate")
    secret = page.locator("#authenticator_secret").input_value()
    activated_at = time.time()
    page.fill("input[name=code]", totp_at(secret, activated_at))
    _submit(page, "code")
    shot(page, "totp-activated")

    # then the account is verified and the secret is stored encrypted, never in clear
    user = User.objects.get(email=email)
    assert user.emailaddress_set.get(email=email).verified is True  # type: ignore[attr-defined]  # allauth's reverse relation
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data
    assert secret not in str(stored)
    assert _stored_totp_secret(user) == secret

    # when they log out and log in again with password and a fresh code
    _log_out(page)
    _log_in(page, email)
    shot(page, "mfa-authenticate")
    assert "/accounts/2fa/authenticate/" in page.url
    while totp_step() == totp_step(activated_at):  # a code is accepted once only
        time.sleep(0.5)
    page.fill("input[name=code]", totp_at(secret, time.time()))
    _submit(page, "code")
    shot(page, "logged-in-with-totp")

    # then they are in, and the session belongs to them
    assert "/accounts/" not in page.url
    assert email in page.content()


def test_login_page_in_german(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given a browser that prefers German
    page = browser_context(locale="de-DE", extra_http_headers={"Accept-Language": "de"}).new_page()

    # when it opens the login page
    page.goto("/accounts/login/")
    shot(page, "login-de")

    # then the page speaks German
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("button", name="Anmelden", exact=True).count() == 1
    assert page.locator("input[name=password]").count() == 1
