"""Every identity API route: a foreign id answers exactly like a missing one (404), and a
member without the route's permission gets 403. A new route without a row here fails."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from ledgerbridge.hub.api import members, tokens_audit
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Membership
from tests.hub.factories import admin_of, make_membership, make_token
from tests.hub.helpers import session_client, snapshot, token_client

if TYPE_CHECKING:
    from django.test import Client

pytestmark = pytest.mark.django_db

MISSING = 987_654_321
USE = frozenset({"last_used_at"})
INVITE = {"email": "someone@example.test"}
TOKEN = {"name": "t", "permissions": ["documents.view"]}

# (method, path) -> (permission needed or None for "any active member", JSON body)
ROUTES: dict[tuple[str, str], tuple[str | None, dict[str, Any] | None]] = {
    ("GET", "/organization"): (None, None),
    ("PATCH", "/organization"): ("organization.manage", {}),
    ("GET", "/members"): ("users.manage", None),
    ("POST", "/members"): ("users.manage", INVITE),
    ("GET", "/members/{membership_id}"): ("users.manage", None),
    ("PATCH", "/members/{membership_id}"): ("users.manage", {}),
    ("DELETE", "/members/{membership_id}"): ("users.manage", None),
    ("POST", "/members/{membership_id}/lock"): ("users.manage", None),
    ("POST", "/members/{membership_id}/unlock"): ("users.manage", None),
    ("GET", "/invitations"): ("users.manage", None),
    ("POST", "/invitations"): ("users.manage", INVITE),
    ("GET", "/invitations/{invitation_id}"): ("users.manage", None),
    ("POST", "/invitations/{invitation_id}/resend"): ("users.manage", None),
    ("POST", "/invitations/{invitation_id}/revoke"): ("users.manage", None),
    ("GET", "/tokens"): (None, None),
    ("POST", "/tokens"): (None, TOKEN),
    ("DELETE", "/tokens/{token_id}"): (None, None),
    ("GET", "/audit-events"): ("audit.view", None),
    ("GET", "/audit-events.csv"): ("audit.view", None),
}
WITH_IDS = [route for route in ROUTES if "{" in route[1]]
NEEDS_PERMISSION = [route for route, (permission, _body) in ROUTES.items() if permission]


def test_every_route_is_listed() -> None:
    # given
    served = {
        (method, path)
        for router in (members.router, tokens_audit.router)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    # then
    assert served == set(ROUTES)


def _call(client: Client, method: str, path: str, body: dict[str, Any] | None) -> Any:
    return client.generic(
        method,
        f"/api/v1{path}",
        data=None if body is None else json.dumps(body),
        content_type="application/json",
    )


def _world_a() -> dict[str, int]:
    """Organization A with a member, an invitation and a token to aim at."""
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    invitation, _raw = services.invitation_create(
        organization=admin.organization, actor=admin.user, email="inv@example.test", ip=None
    )
    token = make_token(member, name="a")
    return {"membership_id": member.pk, "invitation_id": invitation.pk, "token_id": token.pk}


@pytest.mark.parametrize(("method", "path"), WITH_IDS)
@pytest.mark.parametrize("via", ["session", "token"])
def test_foreign_id_answers_like_a_missing_one(method: str, path: str, via: str) -> None:
    # given
    ids = _world_a()
    intruder = admin_of()
    client = session_client(intruder) if via == "session" else token_client(intruder)
    body = ROUTES[(method, path)][1]
    before = snapshot(ignore=USE)
    # when
    foreign = _call(client, method, path.format(**ids), body)
    missing = _call(client, method, path.format(**dict.fromkeys(ids, MISSING)), body)
    # then
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"code": "not-found", "message": "Not found."}
    assert snapshot(ignore=USE) == before


@pytest.mark.parametrize(("method", "path"), NEEDS_PERMISSION)
def test_missing_permission_is_403(method: str, path: str) -> None:
    # given: a member of A with every permission except the route's own
    ids = _world_a()
    permission, body = ROUTES[(method, path)]
    organization = Membership.objects.get(pk=ids["membership_id"]).organization
    everything_else = [
        p
        for p in (
            "documents.view",
            "documents.upload",
            "users.manage",
            "audit.view",
            "organization.manage",
        )
        if p != permission
    ]
    caller = make_membership(organization=organization, permissions=everything_else)
    client = session_client(caller)
    before = snapshot(ignore=USE)
    # when
    response = _call(client, method, path.format(**ids), body)
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "permission-denied"
    assert snapshot(ignore=USE) == before
