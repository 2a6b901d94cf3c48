"""Sending documents to the accounting office: by hand, by a link's rule, withdrawn, replaced.

A sent document is a snapshot (file, kind, data and findings as they were), so the office
sees exactly what was sent whatever happens to the document later. Sending the same
document over the same link again is the same sending. Withdrawing or replacing marks the
sendings "cancelled at source" or "changed at source" (the replacement is sent over the
same links, linked from the old one); a booked one is flagged for the office to act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid, NotFound
from ledgerbridge.hub.documents.events import DocumentEvent, subscribe
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.documents.services import document_ingest
from ledgerbridge.hub.exchange.models import (
    Category,
    ClientLink,
    ExchangeStatus,
    LinkStatus,
    SentDocument,
    SentDocumentChange,
    SourceState,
)
from ledgerbridge.hub.exchange.services._common import audit_one, refresh_counters
from ledgerbridge.hub.identity.models import AuditAction
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.identity.plans import Feature
from ledgerbridge.hub.identity.services import actor_membership, plan_require_feature

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledgerbridge.hub.identity.models import ApiToken, User

__all__ = [
    "Replacement",
    "category_of",
    "document_replace",
    "document_send",
    "document_withdraw",
    "register_document_hooks",
]

Step = SentDocumentChange.Step


def category_of(document: Document) -> tuple[str, bool]:
    """The partner-space category of ``document`` and whether it is also an invoice.

    A QR-bill is a payment slip, and an incoming invoice as well when it carries one (its
    bill information names an invoice number).
    """
    also_invoice = document.kind == Document.Kind.PAYMENT_SLIP and bool(document.invoice_number)
    return str(document.kind), also_invoice


def _shares(link: ClientLink, category: str, also_invoice: bool) -> bool:
    return category in link.categories or (
        also_invoice and Category.INCOMING_INVOICE in link.categories
    )


def _document_date(document: Document) -> date:
    data: dict[str, Any] = document.data if isinstance(document.data, dict) else {}
    for key in ("issue_date", "date", "creation_date"):
        value = data.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return document.created_at.date()


def _counterparty(document: Document) -> str:
    data: dict[str, Any] = document.data if isinstance(document.data, dict) else {}
    if document.kind == Document.Kind.OUTGOING_INVOICE:
        buyer = data.get("buyer")
        if isinstance(buyer, dict) and isinstance(buyer.get("name"), str):
            return str(buyer["name"])[:200]
    return document.creditor_name


def _snapshot(
    document: Document, link: ClientLink, *, actor: User | None, automatic: bool, version: int
) -> SentDocument:
    category, also_invoice = category_of(document)
    if link.office_id is None:  # a request, not a link: nothing crosses it
        raise Conflict(ErrorCode.LINK_NOT_ACTIVE, _("This link is not active."))
    return SentDocument.objects.create(
        organization_id=document.organization_id,
        office_id=link.office_id,
        link=link,
        document=document,
        file_id=document.file_id,
        kind=document.kind,
        category=category,
        also_invoice=also_invoice,
        format=document.format,
        data=document.data,
        findings=document.findings,
        counterparty=_counterparty(document),
        amount=document.amount,
        currency=document.currency,
        document_date=_document_date(document),
        number=document.invoice_number or document.reference,
        version=version,
        sent_by=actor,
        automatic=automatic,
    )


def _link_for_sending(link: ClientLink, document: Document) -> ClientLink:
    link = ClientLink.objects.select_for_update().get(pk=link.pk)
    if link.client_id != document.organization_id:
        raise NotFound(ErrorCode.NOT_FOUND, _("No such link."))
    if link.status == LinkStatus.REVOKED:
        raise Conflict(ErrorCode.LINK_REVOKED, _("This link was revoked: nothing crosses it."))
    if link.status != LinkStatus.ACTIVE:
        raise Conflict(
            ErrorCode.LINK_NOT_ACTIVE,
            _("The accounting office has not accepted this link yet."),
        )
    return link


def _history(
    sent: SentDocument, step: str, *, by_office: bool, actor: User | None,
    token: ApiToken | None, reference: str = "", reason: str = "",
) -> None:  # fmt: skip
    SentDocumentChange.objects.create(
        organization_id=sent.organization_id,
        sent_document=sent,
        step=step,
        reference=reference,
        reason=reason,
        by_organization_id=sent.office_id if by_office else sent.organization_id,
        actor=actor,
        actor_token=token,
    )


@transaction.atomic
def document_send(
    *,
    document: Document,
    link: ClientLink,
    actor: User | None,
    token: ApiToken | None = None,
    ip: str | None,
    automatic: bool = False,
) -> tuple[SentDocument, bool]:
    """Send ``document`` over ``link``; the sending and whether it is new.

    Refusals: a link of another organization (404), a link not active or revoked (409),
    a category the link does not share (``category-not-shared``).
    """
    if actor is not None:
        actor_membership(
            actor=actor, organization=document.organization, permission=Permission.DOCUMENTS_SEND
        )
    plan_require_feature(organization=document.organization, feature=Feature.EXCHANGE)
    link = _link_for_sending(link, document)
    existing = SentDocument.objects.filter(link=link, document=document).first()
    if existing is not None:
        return existing, False
    category, also_invoice = category_of(document)
    if not _shares(link, category, also_invoice):
        raise Invalid(
            ErrorCode.CATEGORY_NOT_SHARED,
            _("This link does not share documents of this kind with the accounting office."),
        )
    sent = _snapshot(document, link, actor=actor, automatic=automatic, version=1)
    _history(sent, Step.SENT, by_office=False, actor=actor, token=token)
    refresh_counters(link)
    audit_one(
        organization=document.organization, actor=actor, action=AuditAction.DOCUMENT_SENT,
        ip=ip, token=token,
        details={"document_id": document.pk, "link_id": link.pk, "sent_id": sent.pk,
                 "automatic": automatic},
    )  # fmt: skip
    return sent, True


def _current_sendings(document: Document) -> list[SentDocument]:
    sendings = list(
        SentDocument.objects.select_for_update()
        .filter(document=document, source_state=SourceState.CURRENT)
        .exclude(link__status=LinkStatus.REVOKED)
        .order_by("id")
    )
    if not sendings:
        raise Conflict(
            ErrorCode.DOCUMENT_NOT_SENT,
            _("This document was not sent to an accounting office over an active link."),
        )
    return sendings


def _mark_source(
    sent: SentDocument, state: str, step: str, *, actor: User | None, token: ApiToken | None,
    replaced_by: SentDocument | None = None,
) -> None:  # fmt: skip
    sent.source_state = state
    sent.source_changed_at = timezone.now()
    sent.replaced_by = replaced_by
    sent.needs_attention = sent.status == ExchangeStatus.BOOKED
    sent.save(update_fields=["source_state", "source_changed_at", "replaced_by", "needs_attention"])
    _history(sent, step, by_office=False, actor=actor, token=token)


@transaction.atomic
def document_withdraw(
    *, document: Document, actor: User, token: ApiToken | None = None, ip: str | None
) -> list[SentDocument]:
    """Withdraw a sent document: the office sees it "cancelled at source"."""
    actor_membership(
        actor=actor, organization=document.organization, permission=Permission.DOCUMENTS_SEND
    )
    sendings = _current_sendings(document)
    for sent in sendings:
        _mark_source(sent, SourceState.WITHDRAWN, Step.WITHDRAWN, actor=actor, token=token)
        refresh_counters(sent.link)
    audit_one(
        organization=document.organization, actor=actor, action=AuditAction.DOCUMENT_WITHDRAWN,
        ip=ip, token=token,
        details={"document_id": document.pk, "sent_ids": [s.pk for s in sendings]},
    )  # fmt: skip
    return sendings


@dataclass(frozen=True, slots=True)
class Replacement:
    document: Document
    sendings: list[SentDocument]


@transaction.atomic
def document_replace(
    *,
    document: Document,
    data: bytes,
    filename: str,
    source: str,
    actor: User,
    token: ApiToken | None = None,
    ip: str | None,
) -> Replacement:
    """Replace a sent document with a corrected file, sent over the same links.

    The file must hold exactly one document (``replacement-not-one-document``) and not be
    the same file (``replacement-same-file``); the old sendings become "changed at source"
    with the new one linked. Any refusal leaves everything as it was.
    """
    actor_membership(
        actor=actor, organization=document.organization, permission=Permission.DOCUMENTS_SEND
    )
    sendings = _current_sendings(document)
    result = document_ingest(
        organization=document.organization, data=data, filename=filename, source=source,
        actor=actor, token=token, ip=ip,
    )  # fmt: skip
    if len(result.documents) != 1:
        raise Invalid(
            ErrorCode.REPLACEMENT_NOT_ONE_DOCUMENT,
            _("The corrected file must hold exactly one document."),
        )
    new = result.documents[0]
    if new.pk == document.pk or result.duplicate_file:
        raise Conflict(
            ErrorCode.REPLACEMENT_SAME_FILE, _("This is the file that was sent already.")
        )
    category, also_invoice = category_of(new)
    successors: list[SentDocument] = []
    for sent in sendings:
        link = ClientLink.objects.select_for_update().get(pk=sent.link_id)
        successor = None
        if link.status == LinkStatus.ACTIVE and _shares(link, category, also_invoice):
            successor = SentDocument.objects.filter(link=link, document=new).first()
            if successor is None:
                successor = _snapshot(
                    new, link, actor=actor, automatic=False, version=sent.version + 1
                )
                _history(successor, Step.SENT, by_office=False, actor=actor, token=token)
            successors.append(successor)
        _mark_source(
            sent, SourceState.REPLACED, Step.REPLACED, actor=actor, token=token,
            replaced_by=successor,
        )  # fmt: skip
        refresh_counters(link)
    audit_one(
        organization=document.organization, actor=actor, action=AuditAction.DOCUMENT_REPLACED,
        ip=ip, token=token,
        details={"document_id": document.pk, "replacement_id": new.pk,
                 "sent_ids": [s.pk for s in successors]},
    )  # fmt: skip
    return Replacement(document=new, sendings=successors)


def _send_by_rules(documents: Sequence[Document]) -> None:
    """Send what was just read over every active link whose rule asks for its category.

    Only documents read without errors and not duplicates of earlier ones are sent: a rule
    says "once it is read", and a duplicate was (or will be) sent as its first copy.
    """
    by_client: dict[int, list[Document]] = {}
    for document in documents:
        if not document.has_errors and document.duplicate_of_id is None:
            by_client.setdefault(document.organization_id, []).append(document)
    for client_id, found in by_client.items():
        links = list(
            ClientLink.objects.filter(client_id=client_id, status=LinkStatus.ACTIVE)
            .exclude(auto_send=[])
            .order_by("id")
        )
        for link in links:
            for document in found:
                category, also_invoice = category_of(document)
                wanted = category in link.auto_send or (
                    also_invoice and Category.INCOMING_INVOICE in link.auto_send
                )
                if wanted and _shares(link, category, also_invoice):
                    document_send(document=document, link=link, actor=None, ip=None, automatic=True)


def register_document_hooks() -> None:
    """Subscribe the exchange to the documents app's events (called once at start-up)."""
    subscribe(DocumentEvent.READ, _send_by_rules)
