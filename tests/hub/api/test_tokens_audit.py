"""API tokens and the change log through the API, including the CSV export."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from ledgerbridge.hub.core.errors import PermissionDenied
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken
from tests.hub.factories import admin_of, make_membership, make_token
from tests.hub.helpers import session_client, token_client

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.django_db


def test_create_token_shows_it_once_and_it_works() -> None:
    # given
    member = make_membership(role="accountant")
    client = session_client(member)
    # when
    created = client.post(
        "/api/v1/tokens",
        {"name": "erp", "permissions": ["documents.view"]},
        content_type="application/json",
    )
    listed = client.get("/api/v1/tokens").json()
    # then
    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith(f"lb_{created.json()['prefix']}_")
    assert [t["id"] for t in listed] == [created.json()["id"]]
    assert "token" not in listed[0]
    bearer = Client(headers={"Authorization": f"Bearer {raw}"})
    assert bearer.get("/api/v1/organization").status_code == 200


@pytest.mark.parametrize(
    ("caller", "tokens_before"),
    [
        # an employee's session asks for a right the employee lacks
        pytest.param(
            lambda: session_client(make_membership(role="employee")), 0, id="user-lacks-it"
        ),
        # the user may do more than the (only) token that calls
        pytest.param(
            lambda: token_client(admin_of(), ["tokens.manage", "documents.upload"]),
            1,
            id="calling-token-lacks-it",
        ),
    ],
)
def test_a_new_token_cannot_exceed_its_caller(
    caller: Callable[[], Client], tokens_before: int
) -> None:
    # given
    client = caller()
    # when
    response = client.post(
        "/api/v1/tokens",
        {"name": "x", "permissions": ["users.manage"]},
        content_type="application/json",
    )
    # then
    assert (response.status_code, response.json()["code"]) == (
        422,
        "token-permissions-exceed-user",
    )
    assert ApiToken.objects.count() == tokens_before


def test_revoke_own_token_and_not_someone_elses() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    own = make_token(member, name="a")
    admins = make_token(admin, name="b")
    client = session_client(member)
    # when
    foreign = client.delete(f"/api/v1/tokens/{admins.pk}")
    mine = client.delete(f"/api/v1/tokens/{own.pk}")
    again = client.delete(f"/api/v1/tokens/{own.pk}")
    # then
    assert (foreign.status_code, foreign.json()["code"]) == (404, "not-found")
    assert mine.status_code == 204
    assert (again.status_code, again.json()["code"]) == (409, "token-revoked")
    assert ApiToken.objects.get(pk=admins.pk).revoked_at is None


def test_a_narrow_token_cannot_revoke_its_users_broader_token() -> None:
    # given
    admin = admin_of()
    full = make_token(admin, name="full", permissions=tuple(admin.permissions))
    narrow = token_client(admin, ["integrations.manage"])
    # when
    response = narrow.delete(f"/api/v1/tokens/{full.pk}")
    # then
    assert (response.status_code, response.json()["code"]) == (403, "permission-denied")
    assert ApiToken.objects.get(pk=full.pk).revoked_at is None


def test_a_token_without_tokens_manage_cannot_list_or_mint_tokens() -> None:
    # given
    admin = admin_of()
    narrow = token_client(admin, ["documents.view", "integrations.manage"])
    # when
    listed = narrow.get("/api/v1/tokens")
    created = narrow.post(
        "/api/v1/tokens",
        {"name": "x", "permissions": ["documents.view"]},
        content_type="application/json",
    )
    # then
    assert (listed.status_code, listed.json()["code"]) == (403, "permission-denied")
    assert (created.status_code, created.json()["code"]) == (403, "permission-denied")
    assert ApiToken.objects.count() == 1


def test_a_token_managing_tokens_sees_and_revokes_only_tokens_within_its_rights() -> None:
    # given
    admin = admin_of()
    broader = make_token(admin, name="broader", permissions=("documents.view", "audit.view"))
    within = make_token(admin, name="within", permissions=("documents.view",))
    manager = token_client(admin, ["tokens.manage", "documents.view"])
    # when
    listed = manager.get("/api/v1/tokens").json()
    refused = manager.delete(f"/api/v1/tokens/{broader.pk}")
    revoked = manager.delete(f"/api/v1/tokens/{within.pk}")
    # then
    assert sorted(t["name"] for t in listed) == ["test", "within"]
    assert (refused.status_code, refused.json()["code"]) == (404, "not-found")
    assert revoked.status_code == 204
    assert ApiToken.objects.get(pk=broader.pk).revoked_at is None


def test_the_revoke_service_refuses_a_token_acting_on_a_broader_one() -> None:
    # given
    admin = admin_of()
    full = make_token(admin, name="full", permissions=tuple(admin.permissions))
    acting = make_token(admin, name="acting", permissions=("tokens.manage", "documents.view"))
    # when
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=full, actor=admin.user, ip=None, via_token=acting)
    # then
    assert ApiToken.objects.get(pk=full.pk).revoked_at is None


def test_users_manager_sees_and_revokes_every_token() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    token = make_token(member, name="a")
    client = session_client(admin)
    # when
    listed = client.get("/api/v1/tokens").json()
    response = client.delete(f"/api/v1/tokens/{token.pk}")
    # then
    assert [t["user_email"] for t in listed] == [member.user.email]
    assert response.status_code == 204


def test_audit_events_filter_and_paginate() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    services.membership_lock(membership=member, actor=admin.user, ip="192.0.2.1")
    services.membership_unlock(membership=member, actor=admin.user, ip="192.0.2.1")
    make_token(admin, name="erp")
    client = session_client(admin)
    # when
    by_user = client.get(f"/api/v1/audit-events?user_id={member.user_id}").json()
    security = client.get("/api/v1/audit-events?category=security").json()
    paged = client.get("/api/v1/audit-events?page_size=1&page=2").json()
    # then
    assert [e["action"] for e in by_user["items"]] == ["unlocked", "locked"]
    assert by_user["items"][0]["subject_email"] == member.user.email
    assert [e["action"] for e in security["items"]] == ["token_created"]
    assert (paged["count"], [e["action"] for e in paged["items"]]) == (3, ["unlocked"])


def test_audit_events_by_date() -> None:
    # given
    admin = admin_of()
    services.organization_update(
        organization=admin.organization, actor=admin.user, ip=None, name="Renamed"
    )
    client = session_client(admin)
    # when
    today = client.get("/api/v1/audit-events?since=2000-01-01&until=2999-12-31").json()
    past = client.get("/api/v1/audit-events?until=2000-01-01").json()
    # then
    assert (today["count"], past["count"]) == (1, 0)


@pytest.mark.parametrize("url", ["/api/v1/audit-events?format=csv", "/api/v1/audit-events.csv"])
def test_audit_csv_export(url: str) -> None:
    # given
    admin = admin_of()
    admin.user.first_name = "=cmd"
    admin.user.save()
    member = make_membership(organization=admin.organization)
    services.membership_lock(membership=member, actor=admin.user, ip="192.0.2.1")
    # when
    response = session_client(admin).get(url)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "time",
        "seq",
        "category",
        "action",
        "actor",
        "subject",
        "ip",
        "details",
        "hash",
    ]
    assert rows[1][1:7] == ["1", "user", "locked", admin.user.email, member.user.email, "192.0.2.1"]


def test_audit_needs_audit_view() -> None:
    # given
    client = session_client(make_membership(role="employee"))
    # when
    json_response = client.get("/api/v1/audit-events")
    csv_response = client.get("/api/v1/audit-events.csv")
    # then
    assert json_response.status_code == csv_response.status_code == 403
