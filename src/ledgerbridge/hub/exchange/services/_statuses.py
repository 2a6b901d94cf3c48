"""The office's statuses of sent documents, which flow back to the company.

``received`` is set on the first view or pull, ``booked`` carries the accounting program's
reference, ``rejected`` a reason the client reads (and gets in an e-mail digest). The same
status twice is one change. Over a revoked link the documents are read-only. A booked
document that changed at source is flagged until the office sets a status again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid
from ledgerbridge.hub.core.outbox import enqueue
from ledgerbridge.hub.exchange.models import (
    ClientLink,
    ExchangeStatus,
    LinkStatus,
    SentDocument,
    SentDocumentChange,
    SourceState,
)
from ledgerbridge.hub.exchange.services._common import audit_one, refresh_counters
from ledgerbridge.hub.exchange.services._links import admins_of, send_mail
from ledgerbridge.hub.identity.models import AuditAction, Organization
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.identity.services import actor_membership

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledgerbridge.hub.identity.models import ApiToken, User

__all__ = [
    "DIGEST_DELAY",
    "rejection_digest_send",
    "sent_document_set_status",
    "sent_documents_mark_received",
]

DIGEST_DELAY = timedelta(minutes=10)
DIGEST_TASK = "ledgerbridge.hub.exchange.tasks.send_rejection_digest"
_MAX_TEXT = 200
_MAX_REASON = 500


def _check_writable(sent: SentDocument) -> None:
    if sent.link.status == LinkStatus.REVOKED:
        raise Conflict(
            ErrorCode.LINK_REVOKED,
            _("The link with this client was revoked: its documents are read-only."),
        )


def _check_transition(sent: SentDocument, status: str) -> None:
    if status not in ExchangeStatus.values or status == ExchangeStatus.SENT:
        raise Invalid(
            ErrorCode.EXCHANGE_STATUS_INVALID,
            _("The status must be received, booked or rejected."),
        )
    if status == ExchangeStatus.RECEIVED and sent.status in {
        ExchangeStatus.BOOKED, ExchangeStatus.REJECTED,
    }:  # fmt: skip
        raise Conflict(
            ErrorCode.STATUS_TRANSITION_INVALID,
            _("A booked or rejected document cannot go back to received."),
        )
    if status == ExchangeStatus.BOOKED and sent.source_state == SourceState.WITHDRAWN:
        raise Conflict(
            ErrorCode.DOCUMENT_WITHDRAWN,
            _("The client withdrew this document: it cannot be booked. Reject it instead."),
        )
    if status == ExchangeStatus.BOOKED and sent.source_state == SourceState.REPLACED:
        raise Conflict(
            ErrorCode.DOCUMENT_REPLACED,
            _("The client replaced this document: book the new version instead."),
        )


@transaction.atomic
def sent_document_set_status(
    *,
    sent: SentDocument,
    office: Organization,
    status: str,
    reference: str = "",
    reason: str = "",
    actor: User,
    token: ApiToken | None = None,
    ip: str | None,
) -> bool:
    """Set the office's status of ``sent``; whether anything changed.

    ``sent`` must come from a selector of ``office`` (the caller's organization).
    """
    actor_membership(actor=actor, organization=office, permission=Permission.DOCUMENTS_VIEW)
    sent = SentDocument.objects.select_for_update().select_related("link").get(pk=sent.pk)
    _check_writable(sent)
    reference, reason = reference.strip(), reason.strip()
    if len(reference) > _MAX_TEXT or len(reason) > _MAX_REASON:
        raise Invalid(ErrorCode.INVALID, _("The reference or the reason is too long."))
    _check_transition(sent, status)
    if status == ExchangeStatus.REJECTED and not reason:
        raise Invalid(ErrorCode.REASON_REQUIRED, _("Say why the document is rejected."))
    if status != ExchangeStatus.BOOKED:
        reference = ""
    if status != ExchangeStatus.REJECTED:
        reason = ""
    if (sent.status, sent.reference, sent.reason) == (status, reference, reason):
        return False
    before = sent.status
    sent.status, sent.reference, sent.reason = status, reference, reason
    sent.status_at, sent.status_by = timezone.now(), actor
    sent.needs_attention = False
    sent.digest_pending = status == ExchangeStatus.REJECTED
    sent.save()
    SentDocumentChange.objects.create(
        organization_id=sent.organization_id, sent_document=sent, step=status,
        reference=reference, reason=reason, by_organization=office, actor=actor,
        actor_token=token,
    )  # fmt: skip
    refresh_counters(sent.link)
    audit_one(
        organization=office, actor=actor, action=AuditAction.EXCHANGE_STATUS_SET, ip=ip,
        token=token,
        details={"sent_id": sent.pk, "client_id": sent.organization_id, "from": before,
                 "to": status, "reference": reference, "reason": reason},
    )  # fmt: skip
    if status == ExchangeStatus.REJECTED:
        # one digest for the rejections of the next minutes, not a mail per rejection
        enqueue(DIGEST_TASK, delay=DIGEST_DELAY, organization_id=sent.organization_id)
    return True


@transaction.atomic
def sent_documents_mark_received(
    *,
    office: Organization,
    sent_ids: Iterable[int],
    actor: User | None,
    token: ApiToken | None = None,
    ip: str | None,
) -> int:
    """Mark the office's first look at documents still ``sent``: how many became received.

    ``sent_ids`` must come from a selector of ``office``. Over a revoked link nothing
    changes (read-only).
    """
    fresh = list(
        SentDocument.objects.select_for_update()
        .filter(pk__in=list(sent_ids), office=office, status=ExchangeStatus.SENT)
        .exclude(link__status=LinkStatus.REVOKED)
        .order_by("id")
    )
    if not fresh:
        return 0
    now = timezone.now()
    SentDocument.objects.filter(pk__in=[s.pk for s in fresh]).update(
        status=ExchangeStatus.RECEIVED, status_at=now, status_by=actor
    )
    SentDocumentChange.objects.bulk_create(
        SentDocumentChange(
            organization_id=s.organization_id,
            sent_document=s,
            step=SentDocumentChange.Step.RECEIVED,
            by_organization=office,
            actor=actor,
            actor_token=token,
            at=now,
        )
        for s in fresh
    )
    for link in ClientLink.objects.filter(pk__in={s.link_id for s in fresh}):
        refresh_counters(link)
    audit_one(
        organization=office, actor=actor, action=AuditAction.EXCHANGE_STATUS_SET, ip=ip,
        token=token, details={"sent_ids": [s.pk for s in fresh], "to": ExchangeStatus.RECEIVED},
    )  # fmt: skip
    return len(fresh)


@transaction.atomic
def rejection_digest_send(*, organization_id: int) -> int:
    """Mail the client's admins and senders one digest of the rejections not yet mailed.

    The rows stay locked from the read to the receipt, so a retried task mails once.
    """
    pending = list(
        SentDocument.objects.select_for_update(of=("self",))
        .filter(organization_id=organization_id, digest_pending=True)
        .select_related("office", "document__file", "sent_by")
        .order_by("office_id", "status_at", "id")
    )
    if not pending:
        return 0
    client = Organization.objects.get(pk=organization_id)
    recipients = {user.email: user for user in admins_of(client)}
    for sent in pending:
        if sent.sent_by is not None and sent.sent_by.is_active:
            recipients.setdefault(sent.sent_by.email, sent.sent_by)
    context = {
        "organization": client, "rejections": pending, "site_name": settings.SITE_NAME,
        "url": f"{settings.SITE_URL}/documents/",
    }  # fmt: skip
    for email, user in sorted(recipients.items()):
        send_mail("rejection_digest", context, email, user.language or "en")
    SentDocument.objects.filter(pk__in=[s.pk for s in pending]).update(digest_pending=False)
    return len(pending)
