"""Read operations of the identity domain; tenant data is always read through an organization.

A ``*_get`` selector raises :class:`~ledgerbridge.hub.core.errors.NotFound` for an id that
does not exist *and* for one of another organization: both answers are identical.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import NotFound
from ledgerbridge.hub.identity.hashing import sha256_hex
from ledgerbridge.hub.identity.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    User,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

__all__ = [
    "active_membership",
    "api_token_get",
    "api_token_list",
    "audit_event_list",
    "invitation_from_token",
    "invitation_get",
    "invitation_list",
    "membership_get",
    "membership_list",
    "memberships_of",
    "organization_find",
]


def membership_list(
    *, organization: Organization, search: str = "", status: str | None = None
) -> QuerySet[Membership]:
    """Members of ``organization`` by name, optionally searched (name, e-mail) and filtered."""
    members = Membership.objects.filter(organization=organization).select_related("user")
    for word in search.split():
        members = members.filter(
            Q(user__email__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
        )
    if status:
        members = members.filter(status=status)
    return members.order_by("user__last_name", "user__first_name", "user__email", "id")


def membership_get(*, organization: Organization, membership_id: int) -> Membership:
    membership = (
        Membership.objects.filter(organization=organization, pk=membership_id)
        .select_related("user", "organization")
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


def invitation_list(
    *, organization: Organization, pending_only: bool = False
) -> QuerySet[Invitation]:
    """Invitations of ``organization``, newest first; ``pending_only`` hides closed ones."""
    invitations = Invitation.objects.filter(organization=organization).select_related("created_by")
    if pending_only:
        invitations = invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
    return invitations.order_by("-created_at", "-id")


def invitation_get(*, organization: Organization, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.filter(organization=organization, pk=invitation_id)
        .select_related("organization")
        .first()
    )
    if invitation is None:
        raise NotFound()
    return invitation


def invitation_has_account(*, invitation: Invitation) -> bool:
    """Whether someone already has an account under the invited address.

    Only the holder of the link learns it (to be offered "log in" rather than "sign up").
    """
    return User.objects.filter(email__iexact=invitation.email).exists()


def invitation_from_token(*, raw_token: str) -> Invitation:
    """The invitation behind a link (whatever its state; check it before accepting)."""
    invitation = (
        Invitation.objects.filter(token_hash=sha256_hex(raw_token))
        .select_related("organization")
        .first()
    )
    if invitation is None:
        raise NotFound(ErrorCode.INVITATION_NOT_FOUND, _("This invitation link is not valid."))
    return invitation


def api_token_list(
    *, organization: Organization, user: User | None = None, include_revoked: bool = True
) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.filter(organization=organization).select_related("user")
    if user is not None:
        tokens = tokens.filter(user=user)
    if not include_revoked:
        tokens = tokens.filter(revoked_at__isnull=True)
    return tokens.order_by("-created_at", "-id")


def api_token_get(*, organization: Organization, token_id: int) -> ApiToken:
    token = (
        ApiToken.objects.filter(organization=organization, pk=token_id)
        .select_related("user", "organization")
        .first()
    )
    if token is None:
        raise NotFound()
    return token


def _as_datetime(value: date | datetime, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if end and value == date.max:  # the end of the last day there is: no next day
        return datetime.max.replace(tzinfo=UTC)
    day = value + timedelta(days=1) if end else value
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(
    *,
    organization: Organization,
    user_id: int | None = None,
    category: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Events of ``organization``, newest first. A date ``until`` includes that whole day.

    ``user_id`` keeps events where that user acted or was acted upon.
    """
    events = AuditEvent.objects.filter(organization=organization).select_related(
        "actor", "subject_user"
    )
    if user_id is not None:
        events = events.filter(Q(actor_id=user_id) | Q(subject_user_id=user_id))
    if category:
        events = events.filter(category=category)
    if since is not None:
        events = events.filter(created_at__gte=_as_datetime(since, end=False))
    if until is not None:
        upper = _as_datetime(until, end=True)
        if isinstance(until, datetime):
            events = events.filter(created_at__lte=upper)
        else:
            events = events.filter(created_at__lt=upper)
    return events.order_by("-created_at", "-seq")


def active_membership(*, user: User, organization_id: int) -> Membership | None:
    """The user's membership in that organization if both user and membership are active."""
    if not user.is_active:
        return None
    return (
        Membership.objects.filter(
            user=user, organization_id=organization_id, status=Membership.Status.ACTIVE
        )
        .select_related("organization")
        .first()
    )


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """Every membership of ``user`` (active and locked), by organization name."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )


def organization_find(*, key: str) -> Organization:
    """An organization by slug or by tax ID (any spelling stdnum understands)."""
    found = Organization.objects.filter(slug=key).first()
    if found is None:
        compact = "".join(ch for ch in key.upper() if ch.isalnum())
        candidates = Organization.objects.filter(
            Q(tax_id=compact) | Q(tax_id=compact[2:], country=compact[:2])
        )
        found = candidates.first()
    if found is None:
        raise NotFound()
    return found
