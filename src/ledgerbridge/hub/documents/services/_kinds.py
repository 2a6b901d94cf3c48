"""``document_set_kind``: a person corrects a document's category (its ``kind``), audited.

What the data allows is :func:`~ledgerbridge.hub.documents.categories.allowed_kinds`: a
payment slip needs a QR-bill's payment data (``document-kind-needs-qr-bill``), a bank
statement a camt.053's (``document-kind-needs-bank-statement``); every other kind fits
any document. A payment slip leaves the payment slips only while it is pending: one that
was exported for payment, processed or rejected is in the payment or booking flow
(``document-kind-slip-not-pending``). All three are 422 and change nothing.

Entering or leaving the payment slips moves the status between ``pending`` and
``received`` with a step in the status history, so the pending list (and its ``ETag``)
follows. A receipt category is dropped with the purchase-receipt kind. The same kind again
is a no-op: no write, no audit event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid, NotFound
from ledgerbridge.hub.documents.categories import allowed_kinds
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.documents.services._common import record_status
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.identity.services import audit_record

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import ApiToken, User

__all__ = ["document_set_kind"]


def _refuse_impossible(document: Document, kind: str) -> None:
    if kind not in allowed_kinds(document.format):
        if kind == Document.Kind.PAYMENT_SLIP:
            raise Invalid(
                ErrorCode.DOCUMENT_KIND_NEEDS_QR_BILL,
                _("Only a QR-bill can be a payment slip: a payment slip needs its payment data."),
            )
        raise Invalid(
            ErrorCode.DOCUMENT_KIND_NEEDS_BANK_STATEMENT,
            _("Only a bank statement file (camt.053) can be a bank statement."),
        )
    if document.is_payment_slip and document.status != Document.Status.PENDING:
        raise Invalid(
            ErrorCode.DOCUMENT_KIND_SLIP_NOT_PENDING,
            _(
                "This payment slip was exported for payment, processed or rejected; "
                "it stays a payment slip."
            ),
        )


def _status_for(document: Document, kind: str) -> str:
    if kind == Document.Kind.PAYMENT_SLIP and document.status == Document.Status.RECEIVED:
        return Document.Status.PENDING
    if document.is_payment_slip and document.status == Document.Status.PENDING:
        return Document.Status.RECEIVED
    return document.status


@transaction.atomic
def document_set_kind(
    *,
    document: Document,
    kind: str,
    actor: User | None,
    token: ApiToken | None = None,
    ip: str | None = None,
) -> Document:
    """Set ``document``'s kind to ``kind`` (a :class:`Document.Kind` value) and answer the
    document; refused with :class:`~ledgerbridge.hub.core.errors.Invalid` (see above)."""
    if kind not in Document.Kind.values:
        raise Invalid(ErrorCode.DOCUMENT_KIND_INVALID, _("Unknown document category."))
    locked = (
        Document.objects.select_for_update()
        .filter(pk=document.pk, organization_id=document.organization_id)
        .first()
    )
    if locked is None:
        raise NotFound(ErrorCode.DOCUMENT_NOT_FOUND, _("No such document."))
    if locked.kind == kind:
        return locked
    _refuse_impossible(locked, kind)
    from_kind, from_status, from_category = locked.kind, locked.status, locked.category
    locked.status = _status_for(locked, kind)
    locked.kind = kind
    if kind != Document.Kind.PURCHASE_RECEIPT:
        locked.category = ""
    locked.updated_at = timezone.now()
    locked.save(update_fields=["kind", "status", "category", "updated_at"])
    if locked.status != from_status:
        record_status(locked, from_status, locked.status, actor=actor, token=token)
    audit_record(
        organization=locked.organization, actor=actor, category=AuditCategory.DOCUMENTS,
        action=AuditAction.DOCUMENT_KIND_CHANGED, ip=ip,
        details={
            "document_id": locked.pk, "from": from_kind, "to": kind,
            "token_id": token.pk if token else None,
            **({"status": [from_status, locked.status]} if locked.status != from_status else {}),
            **({"category": from_category} if from_category != locked.category else {}),
        },
    )  # fmt: skip
    return locked
