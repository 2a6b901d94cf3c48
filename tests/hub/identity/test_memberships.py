"""Memberships: permissions editor, lock/unlock, delete, and the admin safety rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ledgerbridge.hub.core.errors import Conflict, Invalid, PermissionDenied
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken, AuditEvent, Membership
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import admin_of, make_membership, make_token
from tests.hub.helpers import snapshot

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.django_db


def test_update_permissions_sets_role_and_list_and_audits_before_after() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    # when
    services.membership_update_permissions(
        membership=member,
        actor=admin.user,
        role=Role.ACCOUNTANT,
        permissions=["audit.view", "documents.view"],
        ip="192.0.2.9",
    )
    # then
    member.refresh_from_db()
    assert (member.role, member.permissions) == ("accountant", ["documents.view", "audit.view"])
    event = AuditEvent.objects.get(action="permissions_changed")
    assert event.subject_user == member.user
    assert event.details == {
        "before": {"role": "employee", "permissions": ["documents.upload", "documents.view"]},
        "after": {"role": "accountant", "permissions": ["documents.view", "audit.view"]},
    }


@pytest.mark.parametrize(
    ("role", "permissions", "error", "code"),
    [
        ("king", ["documents.view"], Invalid, "unknown-role"),
        ("employee", ["documents.fly"], Invalid, "unknown-permission"),
    ],
)
def test_update_permissions_refuses_bad_input(
    role: str, permissions: list[str], error: type[Exception], code: str
) -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    before = snapshot()
    # when
    with pytest.raises(error) as caught:
        services.membership_update_permissions(
            membership=member, actor=admin.user, role=role, permissions=permissions, ip=None
        )
    # then
    assert getattr(caught.value, "code", None) == code
    assert snapshot() == before


def test_nobody_grants_what_they_do_not_hold() -> None:
    # given
    manager = make_membership(role=Role.EMPLOYEE, permissions=["users.manage", "documents.view"])
    member = make_membership(organization=manager.organization)
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied) as caught:
        services.membership_update_permissions(
            membership=member,
            actor=manager.user,
            role="employee",
            permissions=["audit.view"],
            ip=None,
        )
    # then
    assert caught.value.code == "permission-exceeds-actor"
    assert snapshot() == before


def test_member_without_users_manage_cannot_edit() -> None:
    # given
    member = make_membership(role=Role.ACCOUNTANT)
    other = make_membership(organization=member.organization)
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied) as caught:
        services.membership_lock(membership=other, actor=member.user, ip=None)
    # then
    assert caught.value.code == "permission-denied"
    assert snapshot() == before


def test_admin_of_another_organization_cannot_edit() -> None:
    # given
    foreign_admin = admin_of()
    member = make_membership()
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied):
        services.membership_delete(membership=member, actor=foreign_admin.user, ip=None)
    # then
    assert snapshot() == before


def _a_plain_member(admin: Membership) -> None:
    make_membership(organization=admin.organization)


def _a_locked_admin(admin: Membership) -> None:
    # only active admins count: a locked one cannot take over
    locked = admin_of(admin.organization)
    services.membership_lock(membership=locked, actor=admin.user, ip=None)


@pytest.mark.parametrize(
    "colleague", [_a_plain_member, _a_locked_admin], ids=["plain-member", "locked-admin"]
)
def test_last_active_admin_cannot_demote_themself(
    colleague: Callable[[Membership], None],
) -> None:
    # given
    admin = admin_of()
    colleague(admin)
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        services.membership_update_permissions(
            membership=admin,
            actor=admin.user,
            role="employee",
            permissions=["documents.view"],
            ip=None,
        )
    # then
    assert caught.value.code == "last-admin"
    assert snapshot() == before


def test_admin_may_step_down_when_another_admin_remains() -> None:
    # given
    admin = admin_of()
    admin_of(admin.organization)
    # when
    services.membership_update_permissions(
        membership=admin,
        actor=admin.user,
        role="employee",
        permissions=["documents.view"],
        ip=None,
    )
    # then
    admin.refresh_from_db()
    assert admin.permissions == ["documents.view"]


def test_lock_and_unlock_are_audited() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    # when
    services.membership_lock(membership=member, actor=admin.user, ip=None)
    locked = Membership.objects.get(pk=member.pk).status
    services.membership_unlock(membership=member, actor=admin.user, ip=None)
    # then
    assert locked == "locked"
    assert Membership.objects.get(pk=member.pk).status == "active"
    actions = list(
        AuditEvent.objects.filter(subject_user=member.user)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["locked", "unlocked"]


@pytest.mark.parametrize("operation", ["lock", "delete"])
def test_admin_cannot_lock_or_delete_themself(operation: str) -> None:
    # given
    admin = admin_of()
    admin_of(admin.organization)
    before = snapshot()
    service = getattr(services, f"membership_{operation}")
    # when
    with pytest.raises(Conflict) as caught:
        service(membership=admin, actor=admin.user, ip=None)
    # then
    assert caught.value.code == f"cannot-{operation}-self"
    assert snapshot() == before


@pytest.mark.parametrize("operation", ["lock", "delete"])
def test_an_admin_may_lock_or_remove_another_admin(operation: str) -> None:
    # given: the acting admin stays, so the organization keeps an active admin
    first = admin_of()
    second = admin_of(first.organization)
    service = getattr(services, f"membership_{operation}")
    # when
    service(membership=second, actor=first.user, ip=None)
    # then
    remaining = Membership.objects.filter(organization=first.organization, status="active")
    assert list(remaining) == [first]


def test_delete_removes_membership_and_revokes_its_tokens() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    token = make_token(member, name="scanner", permissions=("documents.upload",))
    # when
    services.membership_delete(membership=member, actor=admin.user, ip="192.0.2.3")
    # then
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    event = AuditEvent.objects.get(action="deleted")
    assert event.details == {
        "email": member.user.email,
        "role": "employee",
        "tokens_revoked": 1,
    }


def test_locking_twice_and_unlocking_an_active_member_are_refused() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    # when
    with pytest.raises(Conflict) as not_locked:
        services.membership_unlock(membership=member, actor=admin.user, ip=None)
    services.membership_lock(membership=member, actor=admin.user, ip=None)
    before = snapshot()
    with pytest.raises(Conflict) as twice:
        services.membership_lock(membership=member, actor=admin.user, ip=None)
    # then
    assert (not_locked.value.code, twice.value.code) == ("not-locked", "already-locked")
    assert snapshot() == before
