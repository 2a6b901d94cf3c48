"""API tokens: ``lb_<prefix>_<secret>``, stored as SHA-256, for one user in one organization.

A token works only while it is not revoked, its user is active and its membership is
active; it never grants more than the membership currently holds.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.errors import Conflict, Invalid, PermissionDenied
from ledgerbridge.hub.identity.models import ApiToken, AuditCategory, Membership
from ledgerbridge.hub.identity.permissions import Permission, parse_permissions
from ledgerbridge.hub.identity.services._audit import audit_record
from ledgerbridge.hub.identity.services._common import save_audited, sha256_hex

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledgerbridge.hub.identity.models import Organization, User

# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """What an authenticated token may do right now."""

    token: ApiToken
    membership: Membership
    permissions: frozenset[Permission]


@transaction.atomic
def api_token_create(
    *,
    organization: Organization,
    user: User,
    name: str,
    permissions: Iterable[str],
    ip: str | None,
) -> tuple[ApiToken, str]:
    """Create a token with a subset of ``user``'s permissions; the raw token is returned once."""
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is None or not membership.is_active or not user.is_active:
        raise PermissionDenied()
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise Invalid("token-name-required", _("Give the token a name (at most 100 characters)."))
    wanted = parse_permissions(permissions)
    if not wanted:
        raise Invalid("token-permissions-empty", _("Choose at least one permission."))
    if not set(wanted) <= membership.permission_set:
        raise Invalid(
            "token-permissions-exceed-user",
            _("A token cannot have permissions that you do not have yourself."),
        )
    prefix = secrets.token_hex(4)
    raw_token = f"lb_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organization=organization,
        user=user,
        name=name,
        prefix=prefix,
        token_hash=sha256_hex(raw_token),
        permissions=[p.value for p in wanted],
    )
    audit_record(
        organization=organization,
        actor=user,
        category=AuditCategory.SECURITY,
        action="token_created",
        subject_user=user,
        details={"token_id": token.pk, "name": name, "prefix": prefix,
                 "permissions": token.permissions},
        ip=ip,
    )  # fmt: skip
    return token, raw_token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, ip: str | None) -> ApiToken:
    """Revoke a token (its owner, or a member who manages users)."""
    if token.user_id != actor.pk:
        acting = Membership.objects.filter(
            organization_id=token.organization_id, user=actor
        ).first()
        if (
            acting is None
            or not actor.is_active
            or not acting.has_permission(Permission.USERS_MANAGE)
        ):
            raise PermissionDenied()
    target = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if target.revoked_at is not None:
        raise Conflict("token-revoked", _("This token has already been revoked."))
    target.revoked_at = timezone.now()
    save_audited(
        target, fields=["revoked_at"], actor=actor, category=AuditCategory.SECURITY,
        action="token_revoked", subject_user=target.user,
        details={"token_id": target.pk, "name": target.name, "prefix": target.prefix}, ip=ip,
    )  # fmt: skip
    token.refresh_from_db()
    return target


def api_token_authenticate(raw_token: str) -> TokenGrant | None:
    """The grant of a raw bearer token, or ``None`` when it does not work (any reason).

    One query reads the token with its user, its organization and the user's membership
    there (every API request pays it); ``last_used_at`` is written at most once per
    :data:`LAST_USED_RESOLUTION`.
    """
    parts = raw_token.split("_", 2)
    if len(parts) != 3 or parts[0] != "lb" or not parts[2]:
        return None
    token = (
        ApiToken.objects.annotate(  # type: ignore[misc]  # stubs miss FilteredRelation names
            holder_membership=FilteredRelation(
                "organization__memberships",
                condition=Q(organization__memberships__user=F("user")),
            )
        )
        .select_related("user", "organization", "holder_membership")
        .filter(prefix=parts[1], token_hash=sha256_hex(raw_token), revoked_at__isnull=True)
        .order_by()
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # The FilteredRelation; a missing membership (LEFT JOIN) leaves the attribute unset.
    membership: Membership | None = getattr(token, "holder_membership", None)
    if membership is None or not membership.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    membership.organization = token.organization
    membership.user = token.user
    return TokenGrant(token, membership, token.permission_set & membership.permission_set)
