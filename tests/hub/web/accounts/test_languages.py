"""Pages in German, French and Polish; the language switch; e-mails in the reader's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from ledgerbridge.hub.identity.models import User
from tests.hub.factories import verified_user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "password_label"),
    [
        ("de", "Anmelden", "Passwort"),
        ("fr", "Se connecter", "Mot de passe"),
        ("pl", "Zaloguj się", "Hasło"),
    ],
)
def test_the_login_page_in_each_language(language: str, title: str, password_label: str) -> None:
    # given
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    # when
    page = client.get("/accounts/login/").content.decode()
    # then
    assert f'<html lang="{language}">' in page
    assert f'<h1 class="account-title">{title}</h1>' in page
    assert password_label in page


@pytest.mark.django_db
def test_the_language_switch_is_stored_for_a_logged_in_user() -> None:
    # given
    user = verified_user("anna@example.com")
    client = Client()
    client.force_login(user)
    # when
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/email/"})
    page = client.get("/accounts/email/", HTTP_ACCEPT_LANGUAGE="de")
    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "fr"
    assert '<html lang="fr">' in page.content.decode()


@pytest.mark.django_db
def test_a_users_language_wins_over_the_browser() -> None:
    # given
    user = verified_user("anna@example.com", language="pl")
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(user)
    # when
    page = client.get("/accounts/password/change/")
    # then
    assert '<html lang="pl">' in page.content.decode()


@pytest.mark.django_db
def test_the_password_reset_mail_is_in_the_recipients_language() -> None:
    # given: a German user asks from an English browser
    verified_user("anna@example.com", language="de")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    # when
    client.post("/accounts/password/reset/", {"email": "anna@example.com"})
    # then
    assert len(mail.outbox) == 1
    assert "Passwort" in f"{mail.outbox[0].subject} {mail.outbox[0].body}"


@pytest.mark.django_db
def test_the_verification_mail_is_in_the_language_of_the_signup_page() -> None:
    # given
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    data = {
        "email": "fr@example.com",
        "first_name": "Fanny",
        "last_name": "Fournier",
        "password1": "un mot de passe long 9",
        "password2": "un mot de passe long 9",
        "accept_terms": "on",
    }
    # when
    client.post("/accounts/signup/", data)
    # then
    assert User.objects.get(email="fr@example.com").language == "fr"
    assert "Vous recevez cet e-mail" in mail.outbox[0].body
