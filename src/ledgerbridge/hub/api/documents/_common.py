"""The router of the documents API and what its endpoints share: who may see what, and
the JSON form of a document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from ninja import Router

from ledgerbridge.hub.api._common import ERRORS
from ledgerbridge.hub.api.auth import API_AUTH, principal
from ledgerbridge.hub.api.documents._schemas import (
    DocumentOut,
    ExchangeStepOut,
    FileOut,
    PartyOut,
    SendingOut,
    StatusChangeOut,
)
from ledgerbridge.hub.api.schemas import ErrorOut
from ledgerbridge.hub.core.errors import PermissionDenied
from ledgerbridge.hub.documents import selectors
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange.models import ExchangeStatus, SentDocumentChange, SourceState
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from ledgerbridge.hub.api.auth import Principal
    from ledgerbridge.hub.documents.models import DocumentStatusChange
    from ledgerbridge.hub.exchange.models import SentDocument

router = Router(auth=API_AUTH)

# Upload refusals add these to the shared error answers.
UPLOAD_ERRORS: dict[int, type[ErrorOut]] = {**ERRORS, 413: ErrorOut, 415: ErrorOut}


def visible_documents(request: HttpRequest, **filters: Any) -> tuple[Principal, QuerySet[Document]]:
    """The documents the caller may see: all with ``documents.view``; with only
    ``documents.upload`` (a phone of the ``app`` role) the ones they sent themselves,
    so the scanner sees what became of its scans."""
    caller = principal(request)
    documents = selectors.document_list(organization=caller.organization, **filters)
    if Permission.DOCUMENTS_VIEW in caller.permissions:
        return caller, documents
    if Permission.DOCUMENTS_UPLOAD in caller.permissions:
        return caller, documents.filter(created_by=caller.user)
    raise PermissionDenied()


def file_url(document: Document) -> str:
    return reverse("api:document_file", kwargs={"document_id": document.pk})


def document_out(document: Document) -> DocumentOut:
    stored = document.file
    return DocumentOut(
        id=document.pk, kind=Document.Kind(document.kind),
        source=Document.Source(document.source), status=Document.Status(document.status),
        status_reason=document.status_reason, booking_reference=document.booking_reference,
        format=document.format, profile=document.profile, index_in_file=document.index_in_file,
        file=FileOut(
            sha256=stored.sha256, size=stored.size, content_type=stored.content_type,
            filename=stored.original_name, url=file_url(document),
        ),
        duplicate_of=document.duplicate_of_id, has_errors=document.has_errors,
        findings=document.findings, data=document.data,
        creditor_name=document.creditor_name, iban=document.iban, amount=document.amount,
        currency=document.currency, reference=document.reference, due_date=document.due_date,
        invoice_number=document.invoice_number,
        category=Document.ReceiptCategory(document.category) if document.category else "",
        created_by=document.created_by.email if document.created_by else None,
        created_at=document.created_at, updated_at=document.updated_at,
    )  # fmt: skip


def status_change_out(change: DocumentStatusChange) -> StatusChangeOut:
    return StatusChangeOut(
        # The first change comes from nothing: an empty ``from_status``.
        from_status=Document.Status(change.from_status) if change.from_status else "",
        to_status=Document.Status(change.to_status),
        reason=change.reason,
        message_id=change.message_id,
        actor=change.actor.email if change.actor else None,
        token=change.actor_token.name if change.actor_token else None,
        at=change.at,
    )


def exchange_step_out(change: SentDocumentChange, *, office_id: int) -> ExchangeStepOut:
    return ExchangeStepOut(
        step=SentDocumentChange.Step(change.step),
        by="office" if change.by_organization_id == office_id else "client",
        reference=change.reference,
        reason=change.reason,
        actor=change.actor.email if change.actor else None,
        at=change.at,
    )


def sending_out(sent: SentDocument) -> SendingOut:
    """One sending of a document as its owner (the client) sees it; ``replaced_by`` names
    the document that replaced it. Expects ``office``, ``replaced_by`` and ``changes``
    (with their actors) loaded, as :func:`exchange.selectors.document_sendings` does."""
    return SendingOut(
        id=sent.pk, link=sent.link_id,
        office=PartyOut(id=sent.office_id, name=sent.office.name),
        status=ExchangeStatus(sent.status), reference=sent.reference, reason=sent.reason,
        status_at=sent.status_at, source_state=SourceState(sent.source_state),
        replaced_by=sent.replaced_by.document_id if sent.replaced_by else None,
        version=sent.version, sent_at=sent.sent_at, automatic=sent.automatic,
        history=[exchange_step_out(c, office_id=sent.office_id) for c in sent.changes.all()],
    )  # fmt: skip
