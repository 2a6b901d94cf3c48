"""Processing payment slips: mark processed (with the booking reference) or reject.

Both are idempotent: the same request again answers the same state and writes nothing.
A slip that went the other way is a conflict (a rejected slip cannot be processed, a
processed slip cannot be rejected), and so is a second, different booking reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid, NotFound
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.documents.services._common import record_status
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.identity.services import audit_record

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import ApiToken, User

__all__ = ["payment_slip_mark_processed", "payment_slip_reject"]

_ACTIONS = {
    Document.Status.PROCESSED: AuditAction.PAYMENT_SLIP_PROCESSED,
    Document.Status.REJECTED: AuditAction.PAYMENT_SLIP_REJECTED,
}


def _locked_slip(document: Document) -> Document:
    slip = (
        Document.objects.select_for_update()
        .filter(pk=document.pk, organization_id=document.organization_id)
        .first()
    )
    if slip is None or slip.kind != Document.Kind.PAYMENT_SLIP:
        raise NotFound(ErrorCode.PAYMENT_SLIP_NOT_FOUND, _("No such payment slip."))
    return slip


def _change(
    slip: Document, to_status: Document.Status, *, actor: User | None, token: ApiToken | None,
    reason: str, ip: str | None, **fields: str,
) -> Document:  # fmt: skip
    from_status = slip.status
    slip.status = to_status
    slip.updated_at = timezone.now()
    for name, value in fields.items():
        setattr(slip, name, value)
    slip.save(update_fields=["status", "updated_at", *fields])
    record_status(slip, from_status, to_status, actor=actor, token=token, reason=reason)
    audit_record(
        organization=slip.organization, actor=actor, category=AuditCategory.DOCUMENTS,
        action=_ACTIONS[to_status], ip=ip,
        details={"document_id": slip.pk, "from": from_status, "reason": reason,
                 "token_id": token.pk if token else None, **fields},
    )  # fmt: skip
    return slip


@transaction.atomic
def payment_slip_mark_processed(
    *,
    document: Document,
    actor: User | None,
    booking_reference: str,
    token: ApiToken | None = None,
    ip: str | None = None,
) -> Document:
    """Mark a pending slip processed with the accounting program's booking reference."""
    reference = " ".join(booking_reference.split())[:200]
    slip = _locked_slip(document)
    if slip.status == Document.Status.REJECTED:
        raise Conflict(
            ErrorCode.SLIP_REJECTED, _("This payment slip was rejected; it cannot be processed.")
        )
    if slip.status == Document.Status.PROCESSED:
        if reference and slip.booking_reference and reference != slip.booking_reference:
            raise Conflict(
                ErrorCode.SLIP_ALREADY_PROCESSED,
                _("This payment slip was already processed under another booking reference."),
            )
        return slip
    return _change(
        slip, Document.Status.PROCESSED, actor=actor, token=token, reason="", ip=ip,
        booking_reference=reference,
    )  # fmt: skip


@transaction.atomic
def payment_slip_reject(
    *,
    document: Document,
    actor: User | None,
    reason: str,
    token: ApiToken | None = None,
    ip: str | None = None,
) -> Document:
    """Reject a pending slip with a reason (shown to the person who scanned it)."""
    reason = " ".join(reason.split())[:500]
    if not reason:
        raise Invalid(ErrorCode.REASON_REQUIRED, _("Say why the payment slip is rejected."))
    slip = _locked_slip(document)
    if slip.status == Document.Status.PROCESSED:
        raise Conflict(
            ErrorCode.SLIP_ALREADY_PROCESSED,
            _("This payment slip was processed; it cannot be rejected."),
        )
    if slip.status == Document.Status.REJECTED:
        return slip
    return _change(
        slip, Document.Status.REJECTED, actor=actor, token=token, reason=reason, ip=ip,
        status_reason=reason,
    )  # fmt: skip
