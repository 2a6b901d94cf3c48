"""Helpers shared by the identity services: roles, the actor's rights, audited saves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid, PermissionDenied
from ledgerbridge.hub.identity.models import Membership
from ledgerbridge.hub.identity.permissions import Permission, Role, parse_permissions
from ledgerbridge.hub.identity.services._audit import audit_record

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledgerbridge.hub.identity.models import (
        ApiToken,
        AuditAction,
        AuditCategory,
        Invitation,
        Organization,
        User,
    )


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise Invalid(
            ErrorCode.UNKNOWN_ROLE, _("Unknown role: %(name)s") % {"name": value}
        ) from None


def actor_membership(
    *, actor: User, organization: Organization, permission: Permission
) -> Membership:
    """The actor's active membership in ``organization`` holding ``permission``, or 403."""
    membership = (
        Membership.objects.filter(organization=organization, user=actor)
        .select_related("user")
        .first()
    )
    if membership is None or not actor.is_active or not membership.has_permission(permission):
        raise PermissionDenied()
    return membership


def grantable(*, actor_membership: Membership, permissions: Iterable[str]) -> list[Permission]:
    """Parse ``permissions``; nobody grants a right they do not hold themselves."""
    wanted = parse_permissions(permissions)
    if not set(wanted) <= actor_membership.permission_set:
        raise PermissionDenied(
            ErrorCode.PERMISSION_EXCEEDS_ACTOR,
            _("You cannot grant a permission that you do not hold yourself."),
        )
    return wanted


def is_admin(membership: Membership) -> bool:
    """An admin is an active member who may manage users (and so can restore anything)."""
    return membership.has_permission(Permission.USERS_MANAGE)


def other_active_admins(membership: Membership) -> bool:
    return any(
        is_admin(other)
        for other in Membership.objects.filter(
            organization_id=membership.organization_id, status=Membership.Status.ACTIVE
        ).exclude(pk=membership.pk)
    )


def save_audited(
    row: Membership | Invitation | ApiToken,
    *,
    fields: list[str],
    actor: User,
    category: AuditCategory,
    action: AuditAction,
    ip: str | None,
    subject_user: User | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Save ``fields`` of a tenant row and record the change in its organization's log."""
    row.save(update_fields=fields)
    audit_record(
        organization=row.organization,
        actor=actor,
        category=category,
        action=action,
        subject_user=subject_user,
        details=details,
        ip=ip,
    )
