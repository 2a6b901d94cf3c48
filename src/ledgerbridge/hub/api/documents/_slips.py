"""``/payment-slips``: the pull API of accounting software (the "ES-Vorschau" over HTTP).

``GET`` pages with an opaque cursor and answers ``304 Not Modified`` to an unchanged
``If-None-Match`` after one aggregate query, without loading a row: a "refresh" with
nothing new costs nothing. ``processed`` and ``rejected`` are idempotent. ``POST
/payment-slips/pain001`` answers the chosen slips as an ISO 20022 ``pain.001.001.09``
credit transfer order (Swiss Payment Standards) for the bank and marks them
``exported``; a slip exported before is refused with ``409 slip-already-exported``
unless the request says ``allow_reexport``.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.http import HttpResponse
from ninja import Query  # noqa: TC002  # ninja reads the annotation at run time

from ledgerbridge.hub.api._common import ERRORS, IdCursor
from ledgerbridge.hub.api.auth import client_ip, principal, require
from ledgerbridge.hub.api.documents._common import file_url, router
from ledgerbridge.hub.api.documents._schemas import (
    SLIP_OPEN,
    Pain001In,
    ProcessedIn,
    RejectedIn,
    SlipOut,
    SlipPage,
    SlipQuery,
)
from ledgerbridge.hub.api.schemas import Id  # noqa: TC001  # ninja reads the annotation at run time
from ledgerbridge.hub.core.errors import PermissionDenied
from ledgerbridge.hub.documents import selectors, services
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.api.auth import Principal

_CURSOR = IdCursor("s1:")
encode_cursor = _CURSOR.encode
decode_cursor = _CURSOR.decode


def _puller(request: HttpRequest) -> Principal:
    """Pulling slips needs ``payment_slips.process`` or ``documents.view``."""
    caller = principal(request)
    if not caller.permissions & {Permission.PAYMENT_SLIPS_PROCESS, Permission.DOCUMENTS_VIEW}:
        raise PermissionDenied()
    return caller


def _etag(caller: Principal, query: SlipQuery) -> str:
    version = selectors.pending_slips_version(organization=caller.organization)
    basis = f"{caller.organization.pk}|{version}|{query.status}|{query.cursor}|{query.limit}"
    return f'"{hashlib.sha256(basis.encode()).hexdigest()[:32]}"'


def _matches(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    return etag in tags or "*" in tags


def slip_out(slip: Document) -> SlipOut:
    data = slip.data or {}
    return SlipOut(
        id=slip.pk, status=Document.Status(slip.status), status_reason=slip.status_reason,
        booking_reference=slip.booking_reference, creditor_name=slip.creditor_name,
        creditor=data.get("creditor"), iban=slip.iban, amount=slip.amount,
        currency=slip.currency, reference_type=data.get("reference_type"),
        reference=slip.reference, message=data.get("message"),
        due_date=slip.due_date, invoice_number=slip.invoice_number,
        duplicate_of=slip.duplicate_of_id, has_errors=slip.has_errors,
        findings=slip.findings, source=Document.Source(slip.source),
        scanned_by=slip.created_by.email if slip.created_by else None,
        scanned_at=slip.created_at, updated_at=slip.updated_at,
        file_url=file_url(slip),
    )  # fmt: skip


@router.get(
    "/payment-slips",
    response={200: SlipPage, 304: None, **ERRORS},
    tags=["payment slips"],
    openapi_extra={
        "parameters": [{"name": "If-None-Match", "in": "header", "required": False,
                        "schema": {"type": "string"},
                        "description": "the ETag of the last answer: 304 when unchanged"}]
    },
)  # fmt: skip
def payment_slip_list(request: HttpRequest, query: Query[SlipQuery]) -> HttpResponse:
    """Payment slips by status (default ``pending``), oldest first, with a cursor."""
    caller = _puller(request)
    after = decode_cursor(query.cursor) if query.cursor else 0
    etag = _etag(caller, query)
    if _matches(request, etag):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    status = (Document.Status.PENDING, Document.Status.EXPORTED)
    wanted = status if query.status == SLIP_OPEN else query.status
    slips = selectors.payment_slip_list(organization=caller.organization, status=wanted)
    page = list(slips.filter(pk__gt=after)[: query.limit + 1])
    more = len(page) > query.limit
    page = page[: query.limit]
    body = SlipPage(
        items=[slip_out(s) for s in page],
        next_cursor=encode_cursor(page[-1].pk) if more else None,
    )
    response = HttpResponse(body.model_dump_json(), content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _slip(request: HttpRequest, document_id: int) -> tuple[Principal, Document]:
    caller = require(request, Permission.PAYMENT_SLIPS_PROCESS)
    slip = selectors.payment_slip_get(organization=caller.organization, document_id=document_id)
    return caller, slip


@router.post(
    "/payment-slips/{document_id}/processed",
    response={200: SlipOut, **ERRORS},
    tags=["payment slips"],
)
def payment_slip_processed(
    request: HttpRequest, document_id: Id, body: ProcessedIn | None = None
) -> SlipOut:
    """Mark a pending or exported slip processed (``payment_slips.process``), with the
    accounting program's booking reference if there is one: the body is optional, an
    empty body or ``{}`` marks it processed without one. Repeating it answers the same
    state; a rejected slip answers 409."""
    caller, slip = _slip(request, document_id)
    reference = body.booking_reference if body is not None else ""
    done = services.payment_slip_mark_processed(
        document=slip, actor=caller.user, booking_reference=reference,
        token=caller.token, ip=client_ip(request),
    )  # fmt: skip
    return slip_out(done)


@router.post(
    "/payment-slips/{document_id}/rejected",
    response={200: SlipOut, **ERRORS},
    tags=["payment slips"],
)
def payment_slip_rejected(request: HttpRequest, document_id: Id, body: RejectedIn) -> SlipOut:
    """Reject a slip with a reason (``payment_slips.process``); idempotent."""
    caller, slip = _slip(request, document_id)
    done = services.payment_slip_reject(
        document=slip, actor=caller.user, reason=body.reason, token=caller.token,
        ip=client_ip(request),
    )  # fmt: skip
    return slip_out(done)


_PAIN001_RESPONSE = {
    200: {
        "description": "the pain.001.001.09 credit transfer order (UTF-8 XML)",
        "content": {"application/xml": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post(
    "/payment-slips/pain001",
    response=ERRORS,
    tags=["payment slips"],
    openapi_extra={"responses": _PAIN001_RESPONSE},
)
def payment_slip_pain001(request: HttpRequest, body: Pain001In) -> HttpResponse:
    """The slips ``ids`` (in that order) as a ``pain.001.001.09`` order paying them from
    the debtor's account (``payment_slips.process``); they become ``exported``, with the
    file's MsgId in their history, in the same transaction.

    A slip exported before answers 409 ``slip-already-exported`` naming the earlier file,
    who made it and when, unless ``allow_reexport`` is true; a processed or rejected slip
    409 ``slip-already-processed`` / ``slip-rejected``; a slip without amount, IBAN or
    creditor town 422 ``slip-not-payable``; a foreign id 404. A refusal changes nothing."""
    caller = require(request, Permission.PAYMENT_SLIPS_PROCESS)
    slips = selectors.payment_slips_by_ids(organization=caller.organization, document_ids=body.ids)
    xml = services.payment_slips_export_pain001(
        organization=caller.organization, documents=slips, debtor_name=body.debtor_name,
        debtor_iban=body.debtor_iban, execution_date=body.execution_date, actor=caller.user,
        token=caller.token, ip=client_ip(request), allow_reexport=body.allow_reexport,
    )  # fmt: skip
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pain001.xml"'
    response["Cache-Control"] = "no-store"
    return response
