"""Audit events for what people do with their own accounts.

An account belongs to no single organization, so each event is written into the chain of
every organization the user is a member of (each admin sees it in their change log), and
into the global chain (``organization=None``) when the user has none or is unknown.
Details never carry passwords or codes; the callers pass only names, types and flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.identity.models import AuditCategory
from ledgerbridge.hub.identity.selectors import memberships_of
from ledgerbridge.hub.identity.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.identity.models import AuditAction, Organization, User


def _organizations(user: User | None) -> list[Organization | None]:
    if user is None or user.pk is None:
        return [None]

    organizations: list[Organization | None] = [m.organization for m in memberships_of(user=user)]
    return organizations or [None]


def record_account_event(
    *,
    request: HttpRequest | None,
    category: AuditCategory,
    action: AuditAction,
    subject: User | None,
    actor: User | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Write one audit event per organization of ``subject`` (or one global event)."""

    ip = client_ip(request)
    for organization in _organizations(subject):
        audit_record(
            organization=organization,
            actor=actor,
            category=category,
            action=action,
            subject_user=subject,
            details=dict(details or {}),
            ip=ip,
        )


def record_own_event(
    request: HttpRequest | None,
    user: User,
    action: AuditAction,
    *,
    category: AuditCategory = AuditCategory.SECURITY,
    details: dict[str, Any] | None = None,
) -> None:
    """Record what ``user`` did to their own account (a security event unless told)."""
    record_account_event(
        request=request, category=category, action=action, subject=user, actor=user, details=details
    )
