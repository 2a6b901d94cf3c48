"""API authentication: bearer tokens and sessions, CSRF, and locks that act at once."""

from __future__ import annotations

import pytest
from django.test import Client

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Membership
from tests.hub.factories import admin_of, make_membership, make_token_with_secret
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


def test_a_client_guessing_tokens_gets_429_and_working_tokens_still_get_in() -> None:
    # given: ten wrong tokens from one address (the limit per client is 10 in 5 minutes)
    _token, raw = make_token_with_secret(admin_of())
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    wrong = [
        guesser.get("/api/v1/organization", headers={"Authorization": f"Bearer lb_00000000_{n}"})
        for n in range(10)
    ]
    # when
    throttled = guesser.get("/api/v1/organization", headers={"Authorization": "Bearer lb_0_x"})
    right_from_guesser = guesser.get(
        "/api/v1/organization", headers={"Authorization": f"Bearer {raw}"}
    )
    owner = Client(REMOTE_ADDR="198.51.100.7").get(
        "/api/v1/organization", headers={"Authorization": f"Bearer {raw}"}
    )
    # then
    assert [r.status_code for r in wrong] == [401] * 10
    assert (throttled.status_code, throttled.json()["code"]) == (429, "too-many-failed-attempts")
    assert 299 <= int(throttled["Retry-After"]) <= 300
    assert (right_from_guesser.status_code, owner.status_code) == (200, 200)
