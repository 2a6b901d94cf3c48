"""Acceptance B: the portal in a real headless Chromium, end to end.

Each test is one story a person goes through, with screenshots of the main pages written
to ``<artifacts>/browser/``. The hub runs in the live-server thread on the test database;
codes and links are read from the e-mails it sends.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils.module_loading import import_string

from ledgerbridge.hub.identity.models import Membership, User
from tests.hub.conftest import PHONE
from tests.hub.factories import PASSWORD, tenant
from tests.hub.helpers import (
    code_from_mail,
    identity_state,
    link_path_from_mail,
    log_in,
    log_out,
    mails_to,
    totp_at,
    totp_step,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import BrowserContext, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _submit(page: Page, field: str) -> None:
    """Click the submit button of the form that holds the input named ``field``."""
    page.locator(f"form:has([name={field}]) [type=submit]").first.click()
    page.wait_for_load_state()


def _confirm(page: Page) -> None:
    """Press the one button of a confirmation page."""
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


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
    log_out(page)
    log_in(page, email)
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


def test_language_switcher_turns_the_login_page_german(
    page: Page, shot: Callable[[Page, str], Path]
) -> None:
    # given the login page in English
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"

    # when the visitor picks Deutsch in the language switcher
    with page.expect_navigation():
        page.locator("form.language-switcher select").first.select_option("de")
    shot(page, "login-switched-to-de")

    # then the same page comes back in German, and stays German on the next visit
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "de"
    page.goto("/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "de"


LAPTOP = {"width": 1366, "height": 768}


def _invite(admin: Page, email: str) -> None:
    """The admin invites Ms Ida Invitee at ``email`` through the form."""
    admin.goto(reverse("web:invitation_create"))
    admin.select_option("select[name=salutation]", "ms")
    admin.fill("input[name=first_name]", "Ida")
    admin.fill("input[name=last_name]", "Invitee")
    admin.fill("input[name=email]", email)
    _submit(admin, "email")


def test_admin_invites_and_the_invitee_joins_as_active_member(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an organization whose admin is logged in
    acme = tenant("acme", name="Acme Treuhand AG")
    admin = browser_context().new_page()
    log_in(admin, acme.admin.email)

    # when the admin invites a new colleague
    _invite(admin, "ida.invitee@example.com")
    shot(admin, "invited")
    mail_text = str(mails_to("ida.invitee@example.com")[-1].body)

    # and the colleague follows the e-mailed link and finds one way on, pre-filled
    invitee = browser_context(viewport=LAPTOP).new_page()
    invitee.goto(link_path_from_mail("ida.invitee@example.com", "/invite/"))
    shot(invitee, "invitation-welcome")
    page_text = invitee.locator("main").inner_text()
    assert "Acme Admin invites you to join Acme Treuhand AG as Employee." in page_text
    assert invitee.locator("header a[href*='/accounts/']").count() == 0
    assert invitee.locator("main a.btn").all_inner_texts() == ["Create account and join"]
    invitee.locator("main a.btn").click()
    invitee.wait_for_load_state()
    shot(invitee, "signup-prefilled")
    assert invitee.locator("input[name=email]").input_value() == "ida.invitee@example.com"
    assert invitee.locator("input[name=email]").is_disabled()
    assert invitee.locator("input[name=first_name]").input_value() == "Ida"
    assert invitee.locator("input[name=last_name]").input_value() == "Invitee"
    invitee.fill("input[name=password1]", PASSWORD)
    invitee.fill("input[name=password2]", PASSWORD)
    invitee.check("input[name=accept_terms]")
    _submit(invitee, "password2")
    invitee.fill("input[name=code]", code_from_mail("ida.invitee@example.com"))
    _submit(invitee, "code")
    shot(invitee, "invitee-home")

    # then the mail greeted her, and she works in the organization without another click
    assert mail_text.startswith("Dear Ms Invitee,")
    assert invitee.url.endswith(reverse("web:home"))
    assert "Welcome to Acme Treuhand AG." in invitee.content()
    membership = Membership.objects.get(
        organization=acme.organization, user__email="ida.invitee@example.com"
    )
    assert membership.status == Membership.Status.ACTIVE
    admin.goto(reverse("web:member_list") + "?q=ida")
    shot(admin, "members-after")
    row = admin.locator("tr", has_text="ida.invitee@example.com")
    assert row.count() == 1
    assert "active" in row.inner_text().lower()


def test_an_invitee_with_an_account_joins_by_logging_in(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an admin and someone who already has an account elsewhere
    acme = tenant("acme", name="Acme Treuhand AG")
    other = tenant("other", name="Other Werk AG")
    admin = browser_context().new_page()
    log_in(admin, acme.admin.email)
    _invite(admin, other.member.email)

    # when the invitee follows the link on a phone and logs in
    invitee = browser_context(viewport=PHONE).new_page()
    invitee.goto(link_path_from_mail(other.member.email, "/invite/"))
    shot(invitee, "invitation-existing-account-phone")
    assert invitee.locator("main a.btn").all_inner_texts() == ["Log in and join"]
    invitee.locator("main a.btn").click()
    invitee.wait_for_load_state()
    invitee.fill("input[name=login]", other.member.email)
    invitee.fill("input[name=password]", PASSWORD)
    _submit(invitee, "password")
    shot(invitee, "joined-on-login-phone")

    # then they are a member and work in the new organization
    assert "Welcome to Acme Treuhand AG." in invitee.content()
    assert Membership.objects.get(organization=acme.organization, user=other.member).is_active


def test_locking_a_logged_in_member_refuses_their_next_page_load(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given a member working in the organization in one browser, and the admin in another
    acme = tenant("acme", name="Acme Treuhand AG")
    member = browser_context().new_page()
    log_in(member, acme.member.email)
    assert member.url.endswith(reverse("web:home"))
    shot(member, "member-home")
    admin = browser_context().new_page()
    log_in(admin, acme.admin.email)

    # when the admin locks the member
    admin.goto(reverse("web:member_detail", kwargs={"membership_id": acme.membership.pk}))
    shot(admin, "member-detail")
    admin.goto(reverse("web:member_lock", kwargs={"membership_id": acme.membership.pk}))
    shot(admin, "lock-confirm")
    _confirm(admin)
    shot(admin, "locked-by-admin")

    # then the member's very next page load is refused
    response = member.reload()
    shot(member, "member-refused")
    assert response is not None
    assert response.status == 403
    assert "Access locked" in member.content()
    assert "Acme Treuhand AG" not in member.locator("main").inner_text()
    acme.membership.refresh_from_db()
    assert acme.membership.status == Membership.Status.LOCKED


def test_main_pages_fit_a_phone_screen(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an admin on a phone
    acme = tenant("acme", name="Acme Treuhand AG")
    page = browser_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    before = identity_state()

    # when they open the login, members and change log pages
    page.goto("/accounts/login/")
    shot(page, "phone-login")
    widths = {"login": _overflow(page)}
    log_in(page, acme.admin.email)
    for name in ("web:member_list", "web:audit_list"):
        page.goto(reverse(name))
        shot(page, f"phone-{name.split(':')[1]}")
        widths[name] = _overflow(page)

    # then nothing is wider than the screen, and looking changed nothing but the login log
    too_wide = {name: px for name, px in widths.items() if px}
    assert not too_wide, f"pages wider than a 390 px phone screen, by CSS px: {too_wide}"
    assert {**identity_state(), "audit": None} == {**before, "audit": None}


def _overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0: it fits)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_recovery_codes_download_copy_continue_and_the_prompt_names_them(
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
    viewport: dict[str, int],
) -> None:
    # given a user who has just activated an authenticator app
    acme = tenant("acme")
    user = acme.member
    context = browser_context(viewport=viewport, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    log_in(page, user.email)
    page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        _submit(page, "password")
    secret = page.locator("#authenticator_secret").input_value()
    activated_at = time.time()
    page.fill("input[name=code]", totp_at(secret, activated_at))
    _submit(page, "code")
    shot(page, "recovery-codes")
    codes = page.locator("#recovery_codes").inner_text().split()

    # when they download the codes, copy them, and tick that they saved them
    with page.expect_download() as caught:
        page.locator("#codes_download").click()
    downloaded = Path(caught.value.path()).read_text(encoding="utf-8").split()
    page.locator("#codes_copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    continue_enabled_before = page.locator("#codes_continue").is_enabled()
    page.check("#codes_saved")
    shot(page, "recovery-codes-saved")
    page.locator("#codes_continue").click()
    page.wait_for_load_state()

    # then the file and the clipboard hold the codes, and Continue waited for the tick
    assert len(codes) == 10
    assert caught.value.suggested_filename == "recovery-codes.txt"
    assert downloaded[-10:] == codes
    assert copied.split() == codes
    assert continue_enabled_before is False
    assert page.url.endswith(reverse("web:home"))

    # when they log in again
    log_out(page)
    log_in(page, user.email)
    shot(page, "mfa-prompt")

    # then the prompt names the app and the recovery codes, and no security key
    text = page.locator("main").inner_text()
    assert "or one of your recovery codes" in text
    assert "security key" not in text.lower()
    while totp_step() == totp_step(activated_at):  # a code is accepted once only
        time.sleep(0.5)
    page.fill("input[name=code]", codes[0])
    _submit(page, "code")
    assert "/accounts/" not in page.url
