"""``/documents/{document_id}/send|withdraw|replace``: a company sends a document to its
accounting office over a link, withdraws it, or replaces it with a corrected file
(``documents.send``). Where a document went, with the office's statuses, is in
``GET /documents/{document_id}`` under ``exchange``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from ninja import Status

from ledgerbridge.hub.api._common import ERRORS
from ledgerbridge.hub.api.auth import client_ip, require
from ledgerbridge.hub.api.documents._common import UPLOAD_ERRORS, document_out, sending_out
from ledgerbridge.hub.api.documents._documents import read_upload
from ledgerbridge.hub.api.exchange._common import router
from ledgerbridge.hub.api.exchange._schemas import ReplaceOut, SendIn, SendOut, WithdrawOut
from ledgerbridge.hub.api.schemas import Id  # noqa: TC001  # ninja reads the annotation at run time
from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import NotFound
from ledgerbridge.hub.documents import selectors as document_selectors
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.api.auth import Principal
    from ledgerbridge.hub.api.documents._schemas import SendingOut

TAGS = ["sending"]

_REPLACE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    },
}


def _document(request: HttpRequest, document_id: int) -> tuple[Principal, Document]:
    caller = require(request, Permission.DOCUMENTS_SEND)
    found = (
        document_selectors.document_list(organization=caller.organization)
        .filter(pk=document_id)
        .first()
    )
    if found is None:
        raise NotFound(ErrorCode.DOCUMENT_NOT_FOUND, _("No such document."))
    return caller, found


def _outs(caller: Principal, document: Document, ids: list[int]) -> list[SendingOut]:
    """The sendings ``ids`` of ``document`` as its owner sees them, in one read."""
    sendings = selectors.document_sendings(organization=caller.organization, document=document)
    return [sending_out(sent) for sent in sendings.filter(pk__in=ids)]


@router.post("/documents/{document_id}/send", response={200: SendOut, **ERRORS}, tags=TAGS)
def document_send(request: HttpRequest, document_id: Id, body: SendIn) -> SendOut:
    """Send the document to the accounting office over ``link`` (``documents.send``): the
    office sees a snapshot, exactly as it is now. Sending it again over the same link
    answers the same sending with ``created`` false. Refusals change nothing: a link that
    is not this company's to send over (404), ``link-not-active`` or ``link-revoked``
    (409), ``category-not-shared`` (422, the link does not share this kind)."""
    caller, document = _document(request, document_id)
    link = selectors.client_link_get(organization=caller.organization, link_id=body.link)
    sent, created = services.document_send(
        document=document, link=link, actor=caller.user, token=caller.token,
        ip=client_ip(request),
    )  # fmt: skip
    (out,) = _outs(caller, document, [sent.pk])
    return SendOut(sending=out, created=created)


@router.post("/documents/{document_id}/withdraw", response={200: WithdrawOut, **ERRORS}, tags=TAGS)
def document_withdraw(request: HttpRequest, document_id: Id) -> WithdrawOut:
    """Withdraw a sent document (``documents.send``): the office sees it "cancelled at
    source" and can no longer book it; one it had booked is flagged for it to act on. A
    document not sent over an active link answers 409 ``document-not-sent``."""
    caller, document = _document(request, document_id)
    withdrawn = services.document_withdraw(
        document=document, actor=caller.user, token=caller.token, ip=client_ip(request)
    )
    return WithdrawOut(sendings=_outs(caller, document, [s.pk for s in withdrawn]))


@router.post(
    "/documents/{document_id}/replace",
    response={201: ReplaceOut, **UPLOAD_ERRORS},
    tags=TAGS,
    openapi_extra={"requestBody": _REPLACE_BODY},
)
def document_replace(request: HttpRequest, document_id: Id) -> Status[ReplaceOut]:
    """Replace a sent document with a corrected file (``documents.send``), as multipart
    field ``file`` or the raw body, under the upload's size cap (413) and rules. The file
    is read as a new document and sent over the same links; the office sees the old one
    "changed at source", linked to the new version (a booked one is flagged). Refusals
    change nothing: ``document-not-sent`` (409), ``replacement-same-file`` (409),
    ``replacement-not-one-document`` (422), or the reader's code for a file it refuses."""
    caller, document = _document(request, document_id)
    data, name = read_upload(request)
    replacement = services.document_replace(
        document=document, data=data, filename=name or "replacement",
        source=Document.Source.API, actor=caller.user, token=caller.token,
        ip=client_ip(request),
    )  # fmt: skip
    new = replacement.document
    body = ReplaceOut(
        document=document_out(new),
        sendings=_outs(caller, new, [s.pk for s in replacement.sendings]),
    )
    return Status(201, body)
