"""Memberships: change a member's rights, lock, unlock, remove.

Two rules keep an organization manageable: nobody locks or removes themself, and the
last active admin (an active member holding ``users.manage``) is never removed, locked
or demoted. A lock takes effect at once: the web middleware and the API check the
membership's status on every request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict
from ledgerbridge.hub.identity.models import ApiToken, AuditAction, AuditCategory, Membership
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.identity.services._audit import audit_record
from ledgerbridge.hub.identity.services._common import (
    actor_membership,
    grantable,
    is_admin,
    other_active_admins,
    parse_role,
    save_audited,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledgerbridge.hub.identity.models import User


def _locked_row(membership: Membership) -> Membership:
    """Re-read the membership under a row lock, so two admins cannot race past the rules."""
    return Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)


def _guard_last_admin(membership: Membership, *, losing_admin: bool) -> None:
    if losing_admin and is_admin(membership) and not other_active_admins(membership):
        raise Conflict(
            ErrorCode.LAST_ADMIN, _("The organization needs at least one active administrator.")
        )


@transaction.atomic
def membership_update_permissions(
    *,
    membership: Membership,
    actor: User,
    role: str,
    permissions: Iterable[str],
    ip: str | None,
) -> Membership:
    """Give ``membership`` a role label and an explicit permission list."""
    acting = actor_membership(
        actor=actor, organization=membership.organization, permission=Permission.USERS_MANAGE
    )
    target = _locked_row(membership)
    new_role = parse_role(role)
    new_permissions = grantable(actor_membership=acting, permissions=permissions)
    _guard_last_admin(target, losing_admin=Permission.USERS_MANAGE not in new_permissions)
    new_values = [p.value for p in new_permissions]
    old = {"role": target.role, "permissions": list(target.permissions)}
    new = {"role": new_role.value, "permissions": new_values}
    if old == new:
        return target
    target.role, target.permissions = new_role.value, new_values
    save_audited(
        target, fields=["role", "permissions"], actor=actor, category=AuditCategory.USER,
        action=AuditAction.PERMISSIONS_CHANGED, subject_user=target.user,
        details={"before": old, "after": new}, ip=ip,
    )  # fmt: skip
    membership.refresh_from_db()
    return target


def _managed_row(membership: Membership, actor: User) -> Membership:
    """The membership re-read under a row lock, once ``actor`` is shown to manage users."""
    actor_membership(
        actor=actor, organization=membership.organization, permission=Permission.USERS_MANAGE
    )
    return _locked_row(membership)


def _set_status(
    membership: Membership, target: Membership, *, status: str, actor: User, ip: str | None
) -> Membership:
    """Give ``target`` its new status, log it (``locked``/``unlocked``), refresh ``membership``."""
    target.status = status
    action = AuditAction.LOCKED if status == Membership.Status.LOCKED else AuditAction.UNLOCKED
    save_audited(
        target, fields=["status"], actor=actor, category=AuditCategory.USER, action=action,
        subject_user=target.user, ip=ip,
    )  # fmt: skip
    membership.refresh_from_db()
    return target


@transaction.atomic
def membership_lock(*, membership: Membership, actor: User, ip: str | None) -> Membership:
    """Lock a member out of this organization at once (sessions and tokens alike)."""
    target = _managed_row(membership, actor)
    if target.user_id == actor.pk:
        raise Conflict(ErrorCode.CANNOT_LOCK_SELF, _("You cannot lock yourself."))
    if target.status == Membership.Status.LOCKED:
        raise Conflict(ErrorCode.ALREADY_LOCKED, _("This member is already locked."))
    _guard_last_admin(target, losing_admin=True)
    return _set_status(membership, target, status=Membership.Status.LOCKED, actor=actor, ip=ip)


@transaction.atomic
def membership_unlock(*, membership: Membership, actor: User, ip: str | None) -> Membership:
    """Let a locked member back in."""
    target = _managed_row(membership, actor)
    if target.status != Membership.Status.LOCKED:
        raise Conflict(ErrorCode.NOT_LOCKED, _("This member is not locked."))
    return _set_status(membership, target, status=Membership.Status.ACTIVE, actor=actor, ip=ip)


@transaction.atomic
def membership_delete(*, membership: Membership, actor: User, ip: str | None) -> None:
    """Remove a member from the organization; their tokens for it are revoked too."""
    target = _managed_row(membership, actor)
    if target.user_id == actor.pk:
        raise Conflict(ErrorCode.CANNOT_DELETE_SELF, _("You cannot remove yourself."))
    _guard_last_admin(target, losing_admin=True)
    revoked = ApiToken.objects.filter(
        organization_id=target.organization_id, user_id=target.user_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    details = {"email": target.user.email, "role": target.role, "tokens_revoked": revoked}
    organization, user = target.organization, target.user
    target.delete()
    audit_record(
        organization=organization,
        actor=actor,
        category=AuditCategory.USER,
        action=AuditAction.DELETED,
        subject_user=user,
        details=details,
        ip=ip,
    )
