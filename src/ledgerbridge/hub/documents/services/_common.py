"""Helpers shared by the document services: the status history row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.hub.documents.models import DocumentStatusChange

if TYPE_CHECKING:
    from ledgerbridge.hub.documents.models import Document
    from ledgerbridge.hub.identity.models import ApiToken, User

__all__ = ["record_status"]


def record_status(
    document: Document,
    from_status: str,
    to_status: str,
    *,
    actor: User | None,
    token: ApiToken | None,
    reason: str = "",
    message_id: str = "",
) -> DocumentStatusChange:
    """Append one step to ``document``'s status history (call inside the service's transaction)."""
    return DocumentStatusChange.objects.create(
        organization_id=document.organization_id,
        document=document,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:500],
        message_id=message_id,
        actor=actor,
        actor_token=token,
    )
