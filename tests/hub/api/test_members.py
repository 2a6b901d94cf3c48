"""API of the organization, its members and invitations: happy paths and refusals."""

from __future__ import annotations

import pytest
from django.core import mail

from ledgerbridge.hub.identity.models import AuditEvent, Invitation, Membership
from tests.hub.factories import admin_of, make_membership, make_user
from tests.hub.helpers import session_client, snapshot, token_client

pytestmark = pytest.mark.django_db


def test_member_list_searches_and_paginates() -> None:
    # given
    admin = admin_of(first_name="Zora", last_name="Zed")
    for n in range(12):
        make_membership(
            organization=admin.organization,
            user=make_user(email=f"m{n:02d}@example.test", last_name=f"Member{n:02d}"),
        )
    client = session_client(admin)
    # when
    first = client.get("/api/v1/members").json()
    second = client.get("/api/v1/members?page=2&page_size=5").json()
    searched = client.get("/api/v1/members?search=member03").json()
    # then
    assert (first["count"], len(first["items"]), first["page_size"]) == (13, 10, 10)
    assert [m["last_name"] for m in second["items"]] == [f"Member{n:02d}" for n in range(5, 10)]
    assert [m["email"] for m in searched["items"]] == ["m03@example.test"]
    assert set(first["items"][0]) == {
        "id",
        "user_id",
        "email",
        "first_name",
        "last_name",
        "last_login",
        "status",
        "role",
        "permissions",
        "created_at",
    }


def test_page_size_over_the_limit_is_422() -> None:
    # given
    client = session_client(admin_of())
    # when
    response = client.get("/api/v1/members?page_size=1000")
    # then
    assert (response.status_code, response.json()["code"]) == (422, "invalid-request")


def test_patch_member_changes_permissions() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    # when
    response = session_client(admin).patch(
        f"/api/v1/members/{member.pk}",
        {"permissions": ["documents.view"]},
        content_type="application/json",
    )
    # then
    assert response.status_code == 200
    assert (response.json()["role"], response.json()["permissions"]) == (
        "employee",
        ["documents.view"],
    )


def test_patch_with_unknown_permission_is_422_and_changes_nothing() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    client = session_client(admin)
    before = snapshot()
    # when
    response = client.patch(
        f"/api/v1/members/{member.pk}", {"permissions": ["x.y"]}, content_type="application/json"
    )
    # then
    assert (response.status_code, response.json()["code"]) == (422, "unknown-permission")
    assert snapshot() == before


def test_lock_unlock_delete_round_trip() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    client = session_client(admin)
    # when
    locked = client.post(f"/api/v1/members/{member.pk}/lock")
    unlocked = client.post(f"/api/v1/members/{member.pk}/unlock")
    deleted = client.delete(f"/api/v1/members/{member.pk}")
    # then
    assert (locked.status_code, locked.json()["status"]) == (200, "locked")
    assert (unlocked.status_code, unlocked.json()["status"]) == (200, "active")
    assert deleted.status_code == 204
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert list(
        AuditEvent.objects.filter(subject_user=member.user)
        .order_by("seq")
        .values_list("action", "ip")
    ) == [("locked", "127.0.0.1"), ("unlocked", "127.0.0.1"), ("deleted", "127.0.0.1")]


def test_admin_locking_themself_is_409_with_the_code() -> None:
    # given
    admin = admin_of()
    admin_of(admin.organization)
    client = session_client(admin)
    # when
    response = client.post(f"/api/v1/members/{admin.pk}/lock")
    # then
    assert response.status_code == 409
    assert response.json() == {"code": "cannot-lock-self", "message": "You cannot lock yourself."}


def test_invite_through_members_and_invitations(
    django_capture_on_commit_callbacks: object,
) -> None:
    # given
    admin = admin_of()
    client = session_client(admin)
    # when
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]  # fixture
        created = client.post(
            "/api/v1/members",
            {"email": "new@example.test", "first_name": "Nina", "salutation": "ms"},
            content_type="application/json",
        )
    listed = client.get("/api/v1/invitations?pending_only=true").json()
    # then
    assert created.status_code == 201
    body = created.json()
    assert (body["email"], body["role"], body["status"], body["sent_count"]) == (
        "new@example.test",
        "employee",
        "pending",
        1,
    )
    assert "token" not in body
    assert [i["id"] for i in listed["items"]] == [body["id"]]
    assert len(mail.outbox) == 1


def test_resend_and_revoke_invitation() -> None:
    # given
    admin = admin_of()
    client = session_client(admin)
    invitation_id = client.post(
        "/api/v1/invitations", {"email": "new@example.test"}, content_type="application/json"
    ).json()["id"]
    # when
    resent = client.post(f"/api/v1/invitations/{invitation_id}/resend")
    revoked = client.post(f"/api/v1/invitations/{invitation_id}/revoke")
    again = client.post(f"/api/v1/invitations/{invitation_id}/resend")
    # then
    assert (resent.status_code, resent.json()["sent_count"]) == (200, 2)
    assert (revoked.status_code, revoked.json()["status"]) == (200, "revoked")
    assert (again.status_code, again.json()["code"]) == (409, "invitation-revoked")


def test_invalid_invitation_email_is_refused() -> None:
    # given
    client = session_client(admin_of())
    # when
    response = client.post(
        "/api/v1/invitations", {"email": "nope"}, content_type="application/json"
    )
    # then
    assert (response.status_code, response.json()["code"]) == (422, "invalid-email")
    assert Invitation.objects.count() == 0


def test_patch_organization_validates_tax_id_and_sets_mfa() -> None:
    # given: a token, since the session would be sent to MFA setup once MFA is required
    admin = admin_of()
    client = token_client(admin)
    # when
    wrong = client.patch(
        "/api/v1/organization", {"tax_id": "CHE-1"}, content_type="application/json"
    )
    right = client.patch(
        "/api/v1/organization",
        {"name": "Renamed AG", "require_mfa": True},
        content_type="application/json",
    )
    # then
    assert wrong.status_code == 422
    assert wrong.json() == {
        "code": "invalid-tax-id",
        "message": "A Swiss UID looks like CHE-123.456.789.",
    }
    assert (right.json()["name"], right.json()["require_mfa"]) == ("Renamed AG", True)


def test_token_with_few_permissions_cannot_manage_members() -> None:
    # given
    admin = admin_of()
    client = token_client(admin, ["documents.view"])
    # when
    response = client.get("/api/v1/members")
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "permission-denied"
