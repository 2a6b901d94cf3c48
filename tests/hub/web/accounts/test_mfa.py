"""Two-factor authentication: TOTP with encrypted secrets, recovery codes, removal, audit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from ledgerbridge.hub.identity.models import AuditEvent
from ledgerbridge.hub.web.accounts.mfa import EncryptingMFAAdapter
from tests.hub.factories import PASSWORD, verified_user, with_totp
from tests.hub.helpers import totp_now


def _password_step(client: Client, email: str = "anna@example.com") -> None:
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"


def _logged_in(*, secret: str | None = None) -> Client:
    """A client logged in through the forms and freshly reauthenticated."""
    client = Client()
    if secret is None:
        response = client.post(
            "/accounts/login/", {"login": "anna@example.com", "password": PASSWORD}
        )
    else:
        _password_step(client)
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    # allauth asks for the password again before any change to MFA methods.
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_activating_totp_stores_the_secret_encrypted_and_adds_recovery_codes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    user = verified_user("anna@example.com")
    client = _logged_in()
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    # when: allauth announces the new methods once the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    # then
    assert response.status_code == 302
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    stored = json.dumps(totp.data)
    assert secret not in stored
    assert EncryptingMFAAdapter().decrypt(totp.data["secret"]) == secret
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert "seed" in codes.data
    seed = EncryptingMFAAdapter().decrypt(codes.data["seed"])
    assert seed not in json.dumps(codes.data)
    assert AuditEvent.objects.filter(action="mfa_added", subject_user=user).count() == 2


@pytest.mark.django_db
def test_a_wrong_code_does_not_activate_totp() -> None:
    # given
    user = verified_user("anna@example.com")
    client = _logged_in()
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    wrong = "000000" if totp_now(secret) != "000000" else "111111"
    # when
    response = client.post("/accounts/2fa/totp/activate/", {"code": wrong})
    # then
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_login_with_totp() -> None:
    # given
    user = verified_user("anna@example.com")
    secret = with_totp(user)
    client = Client()
    _password_step(client)
    assert "_auth_user_id" not in client.session
    # when
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="login_succeeded", subject_user=user).count() == 1


@pytest.mark.django_db
def test_login_with_a_wrong_totp_is_refused_and_audited() -> None:
    # given
    user = verified_user("anna@example.com")
    secret = with_totp(user)
    client = Client()
    _password_step(client)
    wrong = next(
        c
        for c in ("123456", "654321")
        if c not in {totp_now(secret, offset_periods=d) for d in (-1, 0, 1)}
    )
    # when
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    # then
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action="login_failed", subject_user=user)
    assert failed.details == {"step": "mfa", "type": "totp"}
    assert not AuditEvent.objects.filter(action="login_succeeded").exists()


@pytest.mark.django_db
def test_recovery_codes_are_shown_once_and_each_works_once() -> None:
    # given
    user = verified_user("anna@example.com")
    secret = with_totp(user)
    RecoveryCodes.activate(user)
    client = _logged_in(secret=secret)
    first_view = client.get("/accounts/2fa/recovery-codes/")
    codes = first_view.context["unused_codes"]
    second_view = client.get("/accounts/2fa/recovery-codes/")
    client.post("/accounts/logout/")
    # when
    _password_step(client)
    used = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    client.post("/accounts/logout/")
    _password_step(client)
    reused = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    # then
    assert len(codes) == 10
    assert codes[0] in first_view.content.decode()
    assert codes[0] not in second_view.content.decode()
    assert used.status_code == 302
    assert "Incorrect code." in reused.content.decode()


@pytest.mark.django_db
def test_regenerated_recovery_codes_replace_the_old_ones(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    user = verified_user("anna@example.com")
    secret = with_totp(user)
    old = RecoveryCodes.activate(user).generate_codes()
    client = _logged_in(secret=secret)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/recovery-codes/generate/")
    # then
    assert response.status_code == 302
    new = RecoveryCodes(
        Authenticator.objects.get(user=user, type="recovery_codes")
    ).generate_codes()
    assert set(old).isdisjoint(new)
    assert AuditEvent.objects.filter(action="mfa_reset", subject_user=user).count() == 1


@pytest.mark.django_db
def test_removing_totp_is_audited() -> None:
    # given
    user = verified_user("anna@example.com")
    client = _logged_in(secret=with_totp(user))
    # when
    response = client.post("/accounts/2fa/totp/deactivate/")
    # then
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
    assert AuditEvent.objects.filter(action="mfa_removed", subject_user=user).count() == 1


@pytest.mark.django_db
def test_recovery_codes_just_shown_download_as_a_text_file() -> None:
    # given
    user = verified_user("anna@example.com")
    secret = with_totp(user)
    RecoveryCodes.activate(user)
    client = _logged_in(secret=secret)
    codes = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"]
    # when
    response = client.get("/accounts/2fa/recovery-codes/download/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="recovery-codes.txt"'
    assert response.content.decode().split("\n") == [
        "ledgerbridge recovery codes for anna@example.com: each code logs you in once.",
        "",
        *codes,
        "",
    ]


@pytest.mark.django_db
def test_recovery_codes_download_is_refused_once_the_page_is_long_gone() -> None:
    # given: the codes were shown more than ten minutes ago
    user = verified_user("anna@example.com")
    secret = with_totp(user)
    RecoveryCodes.activate(user)
    client = _logged_in(secret=secret)
    client.get("/accounts/2fa/recovery-codes/")
    session = client.session
    session["ledgerbridge_recovery_codes_shown"] -= 10 * 60 + 1
    session.save()
    # when
    response = client.get("/accounts/2fa/recovery-codes/download/")
    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_recovery_codes_page_offers_download_copy_and_continue() -> None:
    # given
    user = verified_user("anna@example.com")
    secret = with_totp(user)
    RecoveryCodes.activate(user)
    client = _logged_in(secret=secret)
    # when
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    # then
    assert 'href="/accounts/2fa/recovery-codes/download/" download>' in page
    assert 'id="codes_copy"' in page
    assert '<input type="checkbox" id="codes_saved" required>' in page
    assert '<button type="submit" id="codes_continue">Continue</button>' in page
    assert 'src="/static/accounts/recovery_codes.js"' in page
    assert "<script>" not in page
