"""Registration with an e-mail code, then login, logout and the password flows."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from ledgerbridge.hub.identity.models import User
from tests.hub.factories import PASSWORD, verified_user
from tests.hub.helpers import code_from_mail

SIGNUP = {
    "email": "new@example.com",
    "first_name": "Nina",
    "last_name": "Neumann",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "accept_terms": "on",
}


@pytest.mark.django_db
def test_signup_code_from_the_mail_verifies_and_logs_in() -> None:
    # given
    client = Client()
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new@example.com")
    assert (user.first_name, user.last_name) == ("Nina", "Neumann")
    assert not EmailAddress.objects.get(user=user).verified
    # when
    response = client.post("/accounts/confirm-email/", {"code": code_from_mail("new@example.com")})
    # then
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_leaves_the_address_unverified() -> None:
    # given
    client = Client()
    client.post("/accounts/signup/", SIGNUP)
    right = code_from_mail("new@example.com")
    wrong = "BBBB-BBBB" if right != "BBBB-BBBB" else "CCCC-CCCC"
    # when
    response = client.post("/accounts/confirm-email/", {"code": wrong})
    # then
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not EmailAddress.objects.get(email="new@example.com").verified
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_without_accepting_the_terms_creates_nobody() -> None:
    # given
    data = {**SIGNUP, "accept_terms": ""}
    # when
    response = Client().post("/accounts/signup/", data)
    # then
    assert response.status_code == 200
    assert "Please accept the terms of use to create an account." in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "look_alike",
    [
        pytest.param("admin-a@\uff41.test", id="fullwidth-domain"),
        pytest.param('"admin-a"@a.test', id="quoted-local-part"),
    ],
)
def test_signup_with_a_look_alike_of_a_taken_address_creates_no_second_identity(
    look_alike: str,
) -> None:
    # given
    owner = verified_user("admin-a@a.test")
    # when
    response = Client().post("/accounts/signup/", {**SIGNUP, "email": look_alike})
    # then: the answer of a taken address; nobody new, no second address
    assert (response.status_code, response["Location"]) == (302, "/accounts/confirm-email/")
    assert list(User.objects.values_list("pk", flat=True)) == [owner.pk]
    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["admin-a@a.test"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "look_alike",
    [
        pytest.param("admin-a@\uff41.test", id="fullwidth-domain"),
        pytest.param('"admin-a"@a.test', id="quoted-local-part"),
    ],
)
def test_login_with_a_look_alike_spelling_finds_the_one_account(look_alike: str) -> None:
    # given
    owner = verified_user("admin-a@a.test")
    client = Client()
    # when
    response = client.post("/accounts/login/", {"login": look_alike, "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.django_db
def test_signup_with_a_taken_address_does_not_reveal_the_account() -> None:
    # given
    verified_user("new@example.com")
    # when
    response = Client().post("/accounts/signup/", SIGNUP)
    # then: the same page as for a new address; the owner gets an "already exists" mail
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="new@example.com").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_signup_stores_the_language_the_page_was_shown_in() -> None:
    # given
    client = Client(HTTP_ACCEPT_LANGUAGE="pl")
    # when
    client.post("/accounts/signup/", SIGNUP)
    # then
    assert User.objects.get(email="new@example.com").language == "pl"
    assert "Kod" in mail.outbox[0].body or "kod" in mail.outbox[0].body


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so_without_naming_the_account() -> None:
    # given
    verified_user("anna@example.com")
    client = Client()
    # when
    known = client.post("/accounts/login/", {"login": "anna@example.com", "password": "nope-nope"})
    unknown = client.post("/accounts/login/", {"login": "zoe@example.com", "password": "nope-nope"})
    # then
    message = "The email address and/or password you specified are not correct."
    assert message in known.content.decode()
    assert message in unknown.content.decode()


@pytest.mark.django_db
def test_login_then_logout() -> None:
    # given
    user = verified_user("anna@example.com")
    client = Client()
    # when
    response = client.post("/accounts/login/", {"login": "ANNA@example.com", "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_by_code() -> None:
    # given
    user = verified_user("anna@example.com")
    client = Client()
    client.post("/accounts/password/reset/", {"email": "anna@example.com"})
    code = code_from_mail("anna@example.com")
    # when
    client.post("/accounts/password/reset/confirm/", {"code": code})
    response = client.post(
        "/accounts/password/reset/complete/",
        {"password1": "a brand new secret 77", "password2": "a brand new secret 77"},
    )
    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new secret 77")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_looks_the_same() -> None:
    # given
    client = Client()
    # when
    response = client.post("/accounts/password/reset/", {"email": "ghost@example.com"})
    # then: same redirect as for a real account; the mail says no account exists
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/confirm/"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_change_password() -> None:
    # given
    user = verified_user("anna@example.com")
    client = Client()
    client.force_login(user)
    # when
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another secret 1234",
            "password2": "another secret 1234",
        },
    )
    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another secret 1234")


@pytest.mark.django_db
def test_change_email_takes_effect_after_the_new_address_is_verified() -> None:
    # given
    user = verified_user("anna@example.com")
    client = Client()
    client.force_login(user)
    # when
    client.post("/accounts/email/", {"action_add": "", "email": "anna.new@example.com"})
    user.refresh_from_db()
    email_before = user.email
    client.post("/accounts/confirm-email/", {"code": code_from_mail("anna.new@example.com")})
    # then
    user.refresh_from_db()
    assert email_before == "anna@example.com"
    assert user.email == "anna.new@example.com"
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")
    ) == [("anna.new@example.com", True, True)]
