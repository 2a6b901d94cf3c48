"""Account pages in sentence case, with one spelling of "e-mail" per language.

allauth writes Title Case ("Reset My Password") and "Email", and its German and Polish
catalogues mix "Email"/"E-Mail" and "email"/"e-mail"; the hub's catalogues (English
included) override them.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.hub.factories import verified_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "expected", "unexpected"),
    [
        ("/accounts/password/reset/", "Reset my password", "Reset My Password"),
        ("/accounts/password/reset/", "Password reset", "Password Reset"),
        ("/accounts/login/", "E-mail", ">Email<"),
    ],
)
def test_english_entrance_pages_use_sentence_case_and_e_mail(
    path: str, expected: str, unexpected: str
) -> None:
    # given
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    # when
    page = client.get(path).content.decode()
    # then
    assert expected in page
    assert unexpected not in page


@pytest.mark.parametrize(
    ("language", "expected", "unexpected"),
    [
        ("en", ["E-mail address", "Change e-mail"], ["Email Address", "Change Email"]),
        ("de", ["E-Mail-Adresse", "E-Mail ändern"], ["Email-Adresse", "Email ändern"]),
        ("pl", ["Adres e-mail", "Zmień e-mail"], ["Adresy email"]),
    ],
)
def test_the_e_mail_page_spells_e_mail_one_way(
    language: str, expected: list[str], unexpected: list[str]
) -> None:
    # given
    client = Client()
    client.force_login(verified_user("anna@example.com", language=language))
    # when
    page = client.get("/accounts/email/").content.decode()
    # then
    assert [text for text in expected if text not in page] == []
    assert [text for text in unexpected if text in page] == []
