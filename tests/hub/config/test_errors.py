"""The site's error handlers: branded pages in the web UI, the API's JSON body under /api/."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import translation

from ledgerbridge.hub.identity import services
from tests.hub.factories import tenant
from tests.hub.helpers import client_for, session_client

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpResponse


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/members/{removed}/", "/documents/99999/", "/no-such-page"])
def test_missing_pages_are_branded_with_navigation_in_the_users_language(path: str) -> None:
    # given: an admin reading German, and a member they removed
    acme = tenant("acme")
    acme.admin.language = "de"
    acme.admin.save(update_fields=["language"])
    admin = acme.organization.memberships.get(user=acme.admin)
    services.membership_delete(membership=acme.membership, actor=acme.admin, ip="192.0.2.1")
    # when
    response = client_for(admin).get(path.format(removed=acme.membership.pk))
    # then
    assert response.status_code == 404
    assert response.templates[0].name == "web/404.html"
    page = html.unescape(response.content.decode())
    assert '<html lang="de">' in page
    assert "<h1>Diese Seite gibt es nicht</h1>" in page
    assert f'href="{reverse("web:member_list")}"' in page  # the navigation is there
    assert f'href="{reverse("web:home")}">Zurück zur Übersicht</a>' in page


@pytest.mark.django_db
def test_missing_page_for_a_visitor_offers_the_login() -> None:
    # when
    response = Client(headers={"accept-language": "fr"}).get("/no-such-page")
    # then
    assert response.status_code == 404
    page = html.unescape(response.content.decode())
    assert "<h1>Cette page n'existe pas</h1>" in page
    assert f'<a class="btn secondary" href="{reverse("account_login")}">' in page


@pytest.mark.django_db
def test_permission_denied_anywhere_is_the_branded_403_page() -> None:
    # given
    request = RequestFactory().get("/somewhere")
    request.user = AnonymousUser()
    # the stubs type every handler as the 500 one; 400, 403 and 404 take the exception
    handler: Callable[..., HttpResponse] = get_resolver().resolve_error_handler(403)
    # when
    with translation.override("pl"):
        response = handler(request, PermissionDenied())
    # then
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "<h1>Nie masz dostępu do tej strony</h1>" in page
    assert "Twoje konto nie daje dostępu do tej strony." in page


def test_server_error_page_renders_without_database_or_request_context() -> None:
    # given: no django_db mark, so any query would fail the test
    handler = get_resolver().resolve_error_handler(500)
    # when
    with translation.override("fr"):
        response = handler(RequestFactory().get("/documents/"))
    # then
    assert response.status_code == 500
    page = html.unescape(response.content.decode())
    assert page.startswith("<!doctype html>")
    assert '<html lang="fr">' in page
    assert "<h1>Une erreur s'est produite</h1>" in page
    assert '<a class="btn" href="/">Retour à la page d\'accueil</a>' in page


def test_server_error_under_the_api_is_json_without_database() -> None:
    # given
    handler = get_resolver().resolve_error_handler(500)
    # when
    response = handler(RequestFactory().get("/api/v1/documents"))
    # then
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "code": "error",
        "message": "the server failed to answer this request; it has been logged",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_path_answers_json_not_found(method: str) -> None:
    # when
    response = getattr(Client(), method)("/api/v1/no-such-thing/42")
    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not-found",
        "message": "there is nothing at /api/v1/no-such-thing/42",
    }


@pytest.mark.django_db
def test_wrong_method_on_an_api_path_answers_json_405_with_allow() -> None:
    # given
    acme = tenant("acme")
    client = Client(headers={"Authorization": f"Bearer {acme.admin_token}"})
    # when
    response = client.put("/api/v1/organization")
    # then
    assert response.status_code == 405
    assert response["Allow"] == "GET, PATCH"
    assert response.json() == {
        "code": "method-not-allowed",
        "message": "PUT is not allowed here; allowed: GET, PATCH",
    }


@pytest.mark.django_db
def test_api_csrf_failure_answers_json_with_its_own_code() -> None:
    # given: a logged-in browser session that forgets the CSRF token
    acme = tenant("acme")
    admin = acme.organization.memberships.get(user=acme.admin)
    client = session_client(admin, enforce_csrf=True)
    # when
    response = client.patch(
        "/api/v1/organization", {"name": "Renamed AG"}, content_type="application/json"
    )
    # then
    assert response.status_code == 403
    assert response.json() == {
        "code": "csrf-failed",
        "message": "The CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.",
    }
    acme.organization.refresh_from_db()
    assert acme.organization.name == "Acme Tenant AG"


@pytest.mark.django_db
def test_web_csrf_failure_is_a_branded_page_in_the_users_language() -> None:
    # given
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "de"})
    # when
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})
    # then
    assert response.status_code == 403
    assert response.templates[0].name == "web/csrf_failure.html"
    assert "<h1>Das Formular ist abgelaufen</h1>" in html.unescape(response.content.decode())
