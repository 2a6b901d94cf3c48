"""API tokens: a subset of the user's permissions, hashed, revocable, stopped by locks."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from ledgerbridge.hub.core.errors import Conflict, Invalid, PermissionDenied
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken, AuditEvent, Membership
from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.factories import admin_of, make_membership
from tests.hub.helpers import snapshot

pytestmark = pytest.mark.django_db


def _token(membership: Membership, permissions: list[str] | None = None) -> tuple[ApiToken, str]:
    return services.api_token_create(
        organization=membership.organization,
        user=membership.user,
        name="  scan   app ",
        permissions=permissions or ["documents.upload"],
        ip="192.0.2.4",
    )


def test_create_returns_raw_once_and_stores_the_hash() -> None:
    # given
    member = make_membership()
    # when
    token, raw = _token(member)
    # then
    prefix, secret = raw.removeprefix("lb_").split("_", 1)
    assert (prefix, len(secret) >= 40) == (token.prefix, True)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert (token.name, token.permissions) == ("scan app", ["documents.upload"])
    event = AuditEvent.objects.get(action="token_created")
    assert (event.category, event.details["prefix"]) == ("security", token.prefix)
    assert raw not in str(event.details)


@pytest.mark.parametrize(
    ("permissions", "code"),
    [
        (["users.manage"], "token-permissions-exceed-user"),
        (["documents.fly"], "unknown-permission"),
    ],
)
def test_create_refuses_permissions_beyond_the_user(permissions: list[str], code: str) -> None:
    # given
    member = make_membership(role=Role.EMPLOYEE)
    before = snapshot()
    # when
    with pytest.raises(Invalid) as caught:
        _token(member, permissions)
    # then
    assert caught.value.code == code
    assert snapshot() == before


def test_create_refuses_empty_name_and_empty_permissions() -> None:
    # given
    member = make_membership()
    before = snapshot()
    # when
    with pytest.raises(Invalid) as no_name:
        services.api_token_create(
            organization=member.organization,
            user=member.user,
            name=" ",
            permissions=["documents.view"],
            ip=None,
        )
    with pytest.raises(Invalid) as no_permissions:
        services.api_token_create(
            organization=member.organization, user=member.user, name="x", permissions=[], ip=None
        )
    # then
    assert (no_name.value.code, no_permissions.value.code) == (
        "token-name-required",
        "token-permissions-empty",
    )
    assert snapshot() == before


def test_locked_member_cannot_create_tokens() -> None:
    # given
    member = make_membership(status=Membership.Status.LOCKED)
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied):
        _token(member)
    # then
    assert snapshot() == before


def test_authenticate_grants_the_token_permissions_and_records_use() -> None:
    # given
    member = make_membership(role=Role.ACCOUNTANT)
    token, raw = _token(member, ["documents.view", "audit.view"])
    # when
    grant = services.api_token_authenticate(raw)
    # then
    assert grant is not None
    assert grant.membership == member
    assert grant.permissions == {Permission.DOCUMENTS_VIEW, Permission.AUDIT_VIEW}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute() -> None:
    # given
    member = make_membership()
    token, raw = _token(member)
    recent = timezone.now() - timedelta(seconds=30)
    old = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    # when
    services.api_token_authenticate(raw)
    kept = ApiToken.objects.get(pk=token.pk).last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    services.api_token_authenticate(raw)
    # then
    assert kept == recent
    assert ApiToken.objects.get(pk=token.pk).last_used_at > old  # type: ignore[operator]  # set


def test_token_shrinks_with_the_membership() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization, role=Role.ACCOUNTANT)
    raw = _token(member, ["documents.view", "audit.view"])[1]
    # when
    services.membership_update_permissions(
        membership=member,
        actor=admin.user,
        role="employee",
        permissions=["documents.view"],
        ip=None,
    )
    # then
    grant = services.api_token_authenticate(raw)
    assert grant is not None
    assert grant.permissions == {Permission.DOCUMENTS_VIEW}


@pytest.mark.parametrize("what", ["revoked", "locked", "deleted", "deactivated", "tampered"])
def test_token_stops_working_at_once(what: str) -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    token, raw = _token(member)
    # when
    if what == "revoked":
        services.api_token_revoke(token=token, actor=member.user, ip=None)
    elif what == "locked":
        services.membership_lock(membership=member, actor=admin.user, ip=None)
    elif what == "deleted":
        services.membership_delete(membership=member, actor=admin.user, ip=None)
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)  # the membership alone
    elif what == "deactivated":
        member.user.is_active = False
        member.user.save()
    else:
        raw = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    # then
    assert services.api_token_authenticate(raw) is None


@pytest.mark.parametrize("raw", ["", "lb_", "lb__x", "Bearer", "xx_abcd_efgh", "lb_a_b_c"])
def test_malformed_tokens_do_not_authenticate(raw: str) -> None:
    # then
    assert services.api_token_authenticate(raw) is None


def test_revoke_by_a_stranger_is_refused_and_twice_conflicts() -> None:
    # given
    member = make_membership()
    stranger = admin_of()
    token, _raw = _token(member)
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, actor=stranger.user, ip=None)
    unchanged = snapshot() == before
    services.api_token_revoke(token=token, actor=member.user, ip=None)
    with pytest.raises(Conflict) as again:
        services.api_token_revoke(token=token, actor=member.user, ip=None)
    # then
    assert unchanged
    assert again.value.code == "token-revoked"
    assert AuditEvent.objects.filter(action="token_revoked").count() == 1


def test_users_manager_may_revoke_a_members_token() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    token, _raw = _token(member)
    # when
    services.api_token_revoke(token=token, actor=admin.user, ip=None)
    # then
    assert token.revoked_at is not None
