"""Brute-force limits, the organization's MFA requirement, and the audit trail of logins."""

from __future__ import annotations

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from ledgerbridge.hub.identity.models import AuditEvent
from ledgerbridge.hub.web.middleware import SESSION_KEY
from tests.hub.factories import (
    PASSWORD,
    make_membership,
    make_organization,
    verified_user,
    with_totp,
)

TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.mark.django_db
def test_the_sixth_wrong_password_for_one_address_is_refused_by_the_rate_limit() -> None:
    # given: five wrong passwords (the limit per address is 5 in 5 minutes)
    verified_user("anna@example.com")
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "anna@example.com", "password": "bad"})
        assert TOO_MANY not in response.content.decode()
    # when: even the right password is refused now
    response = client.post("/accounts/login/", {"login": "anna@example.com", "password": PASSWORD})
    # then
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out() -> None:
    # given: six wrong passwords for anna's address from someone else's address
    owner = verified_user("anna@example.com")
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        guesser.post("/accounts/login/", {"login": "anna@example.com", "password": "bad"})
    # when
    guessed = guesser.post("/accounts/login/", {"login": "anna@example.com", "password": PASSWORD})
    client = Client(REMOTE_ADDR="198.51.100.7")
    response = client.post("/accounts/login/", {"login": "anna@example.com", "password": PASSWORD})
    # then: the guesser is throttled with the generic message; the owner gets in
    assert TOO_MANY in guessed.content.decode()
    assert "_auth_user_id" not in guesser.session
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.django_db
def test_the_rate_limit_answers_the_same_for_unknown_addresses() -> None:
    # given
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"login": "ghost@example.com", "password": "bad"})
    # when
    response = client.post("/accounts/login/", {"login": "ghost@example.com", "password": "bad"})
    # then
    assert TOO_MANY in response.content.decode()


@pytest.mark.django_db
def test_wrong_totp_codes_are_rate_limited_too() -> None:
    # given
    user = verified_user("anna@example.com")
    with_totp(user)
    RecoveryCodes.activate(user)
    client = Client()
    client.post("/accounts/login/", {"login": "anna@example.com", "password": PASSWORD})
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "00000000"})
    # when
    response = client.post("/accounts/2fa/authenticate/", {"code": "00000000"})
    # then
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_member_without_mfa_is_sent_to_set_it_up_when_the_organization_requires_it() -> None:
    # given
    user = verified_user("anna@example.com")
    membership = make_membership(organization=make_organization(require_mfa=True), user=user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = membership.organization_id
    session.save()
    # when
    page = client.get("/")
    mfa_page = client.get("/accounts/2fa/")
    api = client.get("/api/v1/openapi.json")
    # then
    assert page.status_code == 302
    assert page["Location"] == "/accounts/2fa/"
    assert mfa_page.status_code == 200
    assert "requires two-factor authentication" in mfa_page.content.decode()
    assert api.status_code == 403
    assert api.json()["code"] == "mfa-required"


@pytest.mark.django_db
def test_a_member_with_totp_passes_the_mfa_requirement() -> None:
    # given
    user = verified_user("anna@example.com")
    with_totp(user)
    make_membership(organization=make_organization(require_mfa=True), user=user)
    client = Client()
    client.force_login(user)
    # when
    response = client.get("/")
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_no_requirement_no_redirect() -> None:
    # given
    user = verified_user("anna@example.com")
    make_membership(organization=make_organization(require_mfa=False), user=user)
    client = Client()
    client.force_login(user)
    # when
    response = client.get("/")
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_logins_are_audited_in_each_organization_of_the_user() -> None:
    # given
    user = verified_user("anna@example.com")
    first, second = make_organization(), make_organization()
    make_membership(organization=first, user=user)
    make_membership(organization=second, user=user)
    client = Client(REMOTE_ADDR="203.0.113.9")
    # when
    client.post("/accounts/login/", {"login": "anna@example.com", "password": "wrong one"})
    client.post("/accounts/login/", {"login": "anna@example.com", "password": PASSWORD})
    # then
    events = AuditEvent.objects.filter(subject_user=user, category="security").order_by("id")
    assert sorted((e.organization_id, e.action) for e in events) == sorted(
        [
            (first.pk, "login_failed"),
            (second.pk, "login_failed"),
            (first.pk, "login_succeeded"),
            (second.pk, "login_succeeded"),
        ]
    )
    failed = events.filter(action="login_failed").first()
    assert failed is not None
    assert failed.details == {"email": "anna@example.com", "step": "password"}
    assert failed.ip == "203.0.113.9"
    assert PASSWORD not in str([e.details for e in events])


@pytest.mark.django_db
def test_a_failed_login_for_an_unknown_address_goes_into_the_global_chain() -> None:
    # given
    client = Client()
    # when
    client.post("/accounts/login/", {"login": "ghost@example.com", "password": "guess"})
    # then
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.organization_id, event.subject_user_id) == (None, None)
    assert event.details == {"email": "ghost@example.com", "step": "password"}


@pytest.mark.django_db
def test_password_change_is_audited_without_the_password() -> None:
    # given
    user = verified_user("anna@example.com")
    make_membership(organization=make_organization(), user=user)
    client = Client()
    client.force_login(user)
    # when
    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another secret 1234",
            "password2": "another secret 1234",
        },
    )
    # then
    event = AuditEvent.objects.get(action="password_changed")
    assert (event.subject_user_id, event.actor_id, event.details) == (user.pk, user.pk, {})
