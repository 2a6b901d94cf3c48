"""API authentication: bearer tokens and sessions, CSRF, and locks that act at once."""

from __future__ import annotations

import pytest
from django.test import Client

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Membership
from tests.hub.factories import admin_of, make_membership
from tests.hub.helpers import session_client, token_client

pytestmark = pytest.mark.django_db


def test_anonymous_request_is_401_with_the_error_body() -> None:
    # when
    response = Client().get("/api/v1/organization")
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "not-authenticated"


def test_bearer_token_acts_for_its_organization() -> None:
    # given
    member = make_membership()
    client = token_client(member)
    # when
    response = client.get("/api/v1/organization")
    # then
    assert response.status_code == 200
    assert response.json()["id"] == member.organization_id
    assert response.json()["tax_id"] == member.organization.tax_id_display


def test_wrong_bearer_token_is_401() -> None:
    # given
    client = Client(headers={"Authorization": "Bearer lb_00000000_nothing"})
    # when
    response = client.get("/api/v1/organization")
    # then
    assert response.status_code == 401


def test_session_uses_the_organization_chosen_in_the_session() -> None:
    # given
    first = make_membership()
    second = make_membership(user=first.user)
    # when
    response = session_client(second).get("/api/v1/organization")
    # then
    assert response.json()["id"] == second.organization_id


def test_session_without_choice_uses_the_first_active_membership() -> None:
    # given
    member = make_membership()
    client = Client()
    client.force_login(member.user)
    # when
    response = client.get("/api/v1/organization")
    # then
    assert response.json()["id"] == member.organization_id


def test_session_writes_need_the_csrf_token() -> None:
    # given
    admin = admin_of()
    client = session_client(admin, enforce_csrf=True)
    # when
    refused = client.post(
        "/api/v1/invitations", {"email": "x@example.test"}, content_type="application/json"
    )
    # then
    assert refused.status_code == 403
    assert admin.organization.invitations.count() == 0


def test_token_requests_need_no_csrf() -> None:
    # given
    admin = admin_of()
    client = token_client(admin)
    # when
    response = client.post(
        "/api/v1/invitations", {"email": "x@example.test"}, content_type="application/json"
    )
    # then
    assert response.status_code == 201


def test_lock_stops_the_session_and_the_token_on_the_next_request() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    session, bearer = session_client(member), token_client(member)
    assert session.get("/api/v1/organization").status_code == 200
    assert bearer.get("/api/v1/organization").status_code == 200
    # when
    services.membership_lock(membership=member, actor=admin.user, ip=None)
    # then
    locked = session.get("/api/v1/organization")
    assert (locked.status_code, locked.json()["code"]) == (403, "access-locked")
    assert bearer.get("/api/v1/organization").status_code == 401


def test_deactivated_user_loses_token_access() -> None:
    # given
    member = make_membership()
    bearer = token_client(member)
    # when
    member.user.is_active = False
    member.user.save()
    # then
    assert bearer.get("/api/v1/organization").status_code == 401


def test_session_of_a_user_without_organization_is_401() -> None:
    # given
    member = make_membership()
    client = Client()
    client.force_login(member.user)
    Membership.objects.filter(pk=member.pk).delete()
    # when
    response = client.get("/api/v1/organization")
    # then
    assert response.status_code == 401


def test_session_falls_back_when_the_chosen_membership_is_gone() -> None:
    # given
    first = make_membership()
    second = make_membership(user=first.user)
    client = session_client(second)
    Membership.objects.filter(pk=second.pk).delete()
    # when
    response = client.get("/api/v1/organization")
    # then
    assert response.json()["id"] == first.organization_id
