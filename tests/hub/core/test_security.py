"""The Content-Security-Policy, the Permissions-Policy and no-store on the API's JSON.

Every page the route walk of :mod:`tests.hub.test_isolation` finds is opened by a member
and by a visitor: each HTML answer carries the strict policy, and each inline script on it
is a JSON data block or carries the request's nonce. The templates are read as well, so a
page the walk cannot open (an error page, a branch with other data) cannot bring an
inline handler or style back.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client, RequestFactory
from django.urls import reverse

from ledgerbridge import hub
from ledgerbridge.hub.core.security import PERMISSIONS_POLICY, content_security_policy
from ledgerbridge.hub.web.views import errors
from tests.hub.factories import PASSWORD, tenant
from tests.hub.test_isolation import _values, _web_patterns, _web_url

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

HUB = Path(hub.__file__).parent
NONCE = re.compile(r"script-src 'self' 'nonce-([\w-]+)'")
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
DATA_SCRIPT = re.compile(r'type="application/(?:ld\+)?json"')


def _inline_scripts_without(nonce: str, html: str) -> list[str]:
    """Script tags of ``html`` that would run inline without carrying ``nonce``."""
    return [
        tag
        for tag in SCRIPT_TAG.findall(html)
        if " src=" not in tag and not DATA_SCRIPT.search(tag) and f'nonce="{nonce}"' not in tag
    ]


def _logged_in(user: User) -> Client:
    """A member who just confirmed the password, so the MFA pages open without asking."""
    client = Client()
    client.force_login(user)
    confirmed = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert confirmed.status_code == 302
    return client


def test_every_html_page_sends_the_strict_policy() -> None:
    # given organization A with data, its admin logged in and a visitor
    alpha = tenant("zorvath")
    values = _values(alpha)
    # the walk's WebAuthn key has no credential: the "add a key" page would fail on it
    Authenticator.objects.filter(pk=values["pk"]).delete()
    clients = {"admin": _logged_in(alpha.admin), "visitor": Client()}

    # when each opens every page of the hub
    pages = {
        (who, p.name): client.get(_web_url(p, values))
        for who, client in clients.items()
        for p in _web_patterns()
        if (who, p.name) != ("admin", "account_logout")  # would end the session mid-walk
    }

    # then every HTML answer carries the policy with its own nonce, and the nonce on every
    # inline script; every answer carries the Permissions-Policy
    html = {k: r for k, r in pages.items() if r.get("Content-Type", "").startswith("text/html")}
    assert len([k for k, r in html.items() if r.status_code == 200]) >= 40
    wrong_policy, inline = {}, {}
    for key, response in html.items():
        found = NONCE.search(response.get("Content-Security-Policy", ""))
        nonce = found.group(1) if found else ""
        if response.get("Content-Security-Policy") != content_security_policy(nonce) or not nonce:
            wrong_policy[key] = response.get("Content-Security-Policy")
        if not response.streaming and (bad := _inline_scripts_without(nonce, response.text)):
            inline[key] = bad
    assert wrong_policy == {}
    assert inline == {}
    assert [k for k, r in pages.items() if r.get("Permissions-Policy") != PERMISSIONS_POLICY] == []


def test_the_policy_allows_no_inline_script_and_only_listed_origins() -> None:
    # given the policy of a page
    # when it is written for a nonce
    policy = content_security_policy("n0nce")

    # then scripts run only from the hub or with the nonce, and nothing may frame the page
    assert policy.split("; ") == [
        "default-src 'self'",
        "script-src 'self' 'nonce-n0nce'",
        "style-src 'self' 'nonce-n0nce' 'unsafe-hashes' "
        "'sha256-ZdHxw9eWtnxUb3mk6tBS+gIiVUPE3pGM470keHPDFlE='",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    assert PERMISSIONS_POLICY == (
        "camera=(self), microphone=(), geolocation=(), "
        "publickey-credentials-get=(self), publickey-credentials-create=(self)"
    )


def test_no_template_has_inline_script_handler_or_style_without_a_nonce() -> None:
    # given every page template of the hub (e-mails are not pages: no policy applies there)
    templates = [p for p in HUB.rglob("templates/**/*.html") if "/email/" not in p.as_posix()]
    assert len(templates) >= 60

    # when their tags are read
    offending = {
        str(path.relative_to(HUB)): found
        for path in templates
        if (
            found := _inline_scripts_without("{{ csp_nonce }}", text := path.read_text())
            + re.findall(r"\son[a-z]+=", text)
            + re.findall(r"\sstyle=", text)
            + [t for t in re.findall(r"<style\b[^>]*>", text) if "{{ csp_nonce }}" not in t]
        )
    }

    # then none runs inline code or sets a style the policy would block
    assert offending == {}


def test_the_error_page_styles_carry_the_nonce_of_the_request() -> None:
    # given a request the middleware gave a nonce, that failed
    request = RequestFactory().get("/broken")
    request.csp_nonce = "n0nce"  # type: ignore[attr-defined]  # set by the middleware

    # when the 500 page is rendered
    response = errors.server_error(request)

    # then its only style block carries that nonce
    assert re.findall(r"<style\b[^>]*>", response.content.decode()) == ['<style nonce="n0nce">']


def test_api_json_answers_are_not_stored() -> None:
    # given organization A's admin token
    alpha = tenant("zorvath")
    client = Client()
    bearer = {"Authorization": f"Bearer {alpha.admin_token}"}

    # when the API answers a read, a missing object and an anonymous call
    answers = [
        client.get("/api/v1/organization", headers=bearer),
        client.get("/api/v1/documents/2000000000", headers=bearer),
        client.get("/api/v1/organization"),
    ]

    # then none of its JSON answers may be stored by a browser or a proxy
    assert [(r.status_code, r["Cache-Control"]) for r in answers] == [
        (200, "no-store"),
        (404, "no-store"),
        (401, "no-store"),
    ]
