"""How the account pages read: one term ("Log in"), labels without colons, no empty boxes."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.hub.factories import PASSWORD, verified_user, with_totp

pytestmark = pytest.mark.django_db


def _two_factor_page() -> str:
    user = verified_user("anna@example.com")
    with_totp(user)
    client = Client()
    step = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert step["Location"] == "/accounts/2fa/authenticate/"
    response = client.get("/accounts/2fa/authenticate/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_two_factor_step_says_log_in_like_every_other_page() -> None:
    # given a user with an authenticator app who passed the password step
    # when
    page = _two_factor_page()
    # then
    assert "Sign In" not in page
    assert "<title>Log in · ledgerbridge</title>" in page
    assert re.search(r'<button type="submit" class="btn block">\s*Log in\s*</button>', page)


def test_the_two_factor_step_offers_no_security_key_to_a_user_without_one() -> None:
    # given a user with an authenticator app only
    # when
    page = _two_factor_page()
    # then: one card, the code form, and nothing about a security key
    forms = re.findall(r"<form [^>]*>", page)
    assert [f for f in forms if 'id="webauthn_form"' in f] == []
    assert sum('class="card account-form"' in f for f in forms) == 1
    assert "security key" not in page.lower()
    assert "Enter the six-digit code from your authenticator app.</p>" in page


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_account_form_labels_have_no_colon(url: str) -> None:
    # given
    client = Client()
    # when
    page = client.get(url).content.decode()
    # then
    labels = re.findall(r"<label for=\"id_[^\"]+\">([^<]*)</label>", page)
    assert "Email" in labels or "E-mail" in labels
    assert [label for label in labels if label.rstrip().endswith(":")] == []


def test_the_header_hides_the_link_to_the_page_itself_on_phones() -> None:
    # given
    client = Client()
    # when
    login = client.get("/accounts/login/").content.decode()
    signup = client.get("/accounts/signup/").content.decode()
    # then: the class the phone layout hides marks only the link to the current page
    assert 'class="btn ghost small is-current" href="/accounts/login/"' in login
    assert 'class="btn small" href="/accounts/signup/"' in login
    assert 'class="btn ghost small" href="/accounts/login/"' in signup
    assert 'class="btn small is-current" href="/accounts/signup/"' in signup
