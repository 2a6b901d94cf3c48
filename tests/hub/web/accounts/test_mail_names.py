"""The e-mails name the hub as configured (``LEDGERBRIDGE_SITE_NAME``): never the request's
host that allauth would take ("Hello from 127.0.0.1:8311!"), never a hard-coded name."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from ledgerbridge.hub.config import env
from ledgerbridge.hub.identity import services
from tests.hub.factories import admin_of, make_organization, verified_user

pytestmark = pytest.mark.django_db

_SIGNUP = {
    "first_name": "Hans",
    "last_name": "Muster",
    "password1": "ein langes Passwort 9",
    "password2": "ein langes Passwort 9",
    "accept_terms": "on",
}


def test_the_site_name_is_read_from_the_environment_with_a_default() -> None:
    # when
    configured = env.read({"LEDGERBRIDGE_SITE_NAME": "Treuhand Muster "})
    default = env.read({})
    # then
    assert (configured.site_name, default.site_name) == ("Treuhand Muster", "ledgerbridge")


@pytest.mark.parametrize(
    ("language", "greeting"),
    [
        ("de", "Hallo von Treuhand Muster!"),
        ("fr", "Bonjour, c'est Treuhand Muster !"),
        ("pl", "Witamy z Treuhand Muster!"),
        ("en", "Hello from Treuhand Muster!"),
    ],
)
def test_the_verification_mail_greets_with_the_configured_name(
    settings: Any, language: str, greeting: str
) -> None:
    # given
    settings.SITE_NAME = "Treuhand Muster"
    settings.SITE_URL = "https://hub.example.ch"
    client = Client(HTTP_ACCEPT_LANGUAGE=language, SERVER_NAME="127.0.0.1", SERVER_PORT="8311")
    # when
    client.post("/accounts/signup/", {**_SIGNUP, "email": "hans@example.com"})
    # then
    (message,) = mail.outbox
    assert message.body.splitlines()[0] == greeting
    assert "127.0.0.1" not in f"{message.subject} {message.body}"
    assert "hub.example.ch" in message.body


def test_the_password_reset_mail_names_the_hub_in_the_recipients_language(settings: Any) -> None:
    # given: a Polish user asks from an English browser
    settings.SITE_NAME = "Biuro Rachunkowe"
    settings.SITE_URL = "https://hub.example.pl"
    verified_user("ola@example.com", language="pl")
    client = Client(HTTP_ACCEPT_LANGUAGE="en", SERVER_NAME="127.0.0.1", SERVER_PORT="8311")
    # when
    client.post("/accounts/password/reset/", {"email": "ola@example.com"})
    # then
    (message,) = mail.outbox
    assert message.body.splitlines()[0] == "Witamy z Biuro Rachunkowe!"
    assert message.body.splitlines()[-1] == "hub.example.pl"
    assert "127.0.0.1" not in message.body


def test_the_invitation_mail_names_the_configured_hub(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    settings.SITE_NAME = "Treuhand Muster"
    admin = admin_of(make_organization(name="Acme AG"))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            organization=admin.organization, actor=admin.user, email="klaus@example.test",
            first_name="Klaus", last_name="Keller", language="de", ip=None,
        )  # fmt: skip
    # then
    (message,) = mail.outbox
    assert message.subject == "Sie sind eingeladen, Acme AG auf Treuhand Muster beizutreten"
    assert "Acme AG auf Treuhand Muster beizutreten." in message.body
    assert "ledgerbridge" not in f"{message.subject} {message.body}"
