"""``/clients``: the accounting office's partner space over HTTP (``documents.view``).

The office's clients (an accountant sees only those assigned to them), and per client what
it sent: a cursor list with filters that answers ``304 Not Modified`` to an unchanged
``If-None-Match`` after one aggregate query, the detail and original file, and the status
the office sets. Pulling a page or reading a detail marks what is still ``sent`` as
``received``. After a revocation the client's documents stay readable, read-only.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from ninja import Query  # noqa: TC002  # ninja reads the annotation at run time

from ledgerbridge.hub.api._common import ERRORS, paginate
from ledgerbridge.hub.api.auth import client_ip, require
from ledgerbridge.hub.api.exchange._common import (
    IF_NONE_MATCH,
    client_out,
    decode_cursor,
    encode_cursor,
    etag_matches,
    linked_client,
    router,
    sent_detail_out,
    sent_out,
)
from ledgerbridge.hub.api.exchange._schemas import (
    ClientPage,
    ClientQuery,
    SentDetailOut,
    SentPage,
    SentQuery,
    StatusIn,
    StatusOut,
)
from ledgerbridge.hub.api.schemas import Id  # noqa: TC001  # ninja reads the annotation at run time
from ledgerbridge.hub.core.http import content_disposition
from ledgerbridge.hub.documents.services import safe_filename
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.exchange.models import ExchangeStatus
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.api.auth import Principal
    from ledgerbridge.hub.exchange.models import ClientLink, SentDocument

TAGS = ["partner space"]
_ORIGINAL_FILE = {
    "description": "the file as it was sent, as an attachment, with the media type judged "
    "by its content when it came in",
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get("/clients", response={200: ClientPage, **ERRORS}, tags=TAGS)
def client_list(request: HttpRequest, query: Query[ClientQuery]) -> ClientPage:
    """The office's clients with their counters (new, waiting to be booked, rejected)
    and last activity, searched and sorted; one row per accepted link, active or revoked.
    An accountant without ``client_links.manage`` sees only the clients assigned to them."""
    caller = require(request, Permission.DOCUMENTS_VIEW)
    links = selectors.office_clients(
        office=caller.organization, membership=caller.membership,
        filters=selectors.ClientFilters(search=query.search, sort=query.sort),
    )  # fmt: skip
    return paginate(ClientPage, links, query=query, out=client_out)


def _client(request: HttpRequest, client_id: int) -> tuple[Principal, ClientLink]:
    caller = require(request, Permission.DOCUMENTS_VIEW)
    link = selectors.office_client_get(
        office=caller.organization, membership=caller.membership, client_id=client_id
    )
    return caller, link


def _filters(query: SentQuery) -> selectors.DocumentFilters:
    return selectors.DocumentFilters(
        category=query.category or "", status=query.status or "",
        date_from=query.date_from, date_to=query.date_to, amount_min=query.amount_min,
        amount_max=query.amount_max, counterparty=query.counterparty,
        attention=query.attention,
    )  # fmt: skip


def _etag(caller: Principal, link: ClientLink, query: SentQuery) -> str:
    client = linked_client(link)
    version = selectors.client_documents_version(office=caller.organization, client=client)
    basis = f"{caller.organization.pk}|{link.pk}|{link.status}|{version}|{query.model_dump_json()}"
    return f'"{hashlib.sha256(basis.encode()).hexdigest()[:32]}"'


def _mark_received(caller: Principal, request: HttpRequest, sent: list[SentDocument]) -> None:
    fresh = [s.pk for s in sent if s.status == ExchangeStatus.SENT]
    if fresh:
        services.sent_documents_mark_received(
            office=caller.organization, sent_ids=fresh, actor=caller.user, token=caller.token,
            ip=client_ip(request),
        )  # fmt: skip


@router.get(
    "/clients/{client_id}/documents",
    response={200: SentPage, 304: None, **ERRORS},
    tags=TAGS,
    openapi_extra={"parameters": [IF_NONE_MATCH]},
)
def client_document_list(
    request: HttpRequest, client_id: Id, query: Query[SentQuery]
) -> HttpResponse:
    """What the client sent, oldest first, with a cursor; ``category`` is a tab of the
    partner space (``incoming_invoice`` also holds the QR-bills that carry an invoice).
    The page answered is marked ``received`` where it was still ``sent``, and shown so."""
    caller, link = _client(request, client_id)
    after = decode_cursor(query.cursor) if query.cursor else 0
    etag = _etag(caller, link, query)
    if etag_matches(request, etag):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    sent = selectors.client_documents(
        office=caller.organization, client=linked_client(link), filters=_filters(query)
    ).order_by("id")
    page = list(sent.filter(pk__gt=after)[: query.limit + 1])
    more = len(page) > query.limit
    page = page[: query.limit]
    if any(row.status == ExchangeStatus.SENT for row in page):
        _mark_received(caller, request, page)
        page = list(sent.filter(pk__in=[row.pk for row in page]))  # as marked
    body = SentPage(
        items=[sent_out(s) for s in page],
        next_cursor=encode_cursor(page[-1].pk) if more else None,
    )
    response = HttpResponse(body.model_dump_json(), content_type="application/json")
    # Computed after the marking: the same request again is answered 304.
    response["ETag"] = _etag(caller, link, query)
    response["Cache-Control"] = "private, no-cache"
    return response


def _sent(request: HttpRequest, client_id: int, sent_id: int) -> tuple[Principal, SentDocument]:
    caller, link = _client(request, client_id)
    sent = selectors.client_sent_get(
        office=caller.organization, client=linked_client(link), sent_id=sent_id
    )
    return caller, sent


@router.get(
    "/clients/{client_id}/documents/{sent_id}",
    response={200: SentDetailOut, **ERRORS},
    tags=TAGS,
)
def client_document_detail(request: HttpRequest, client_id: Id, sent_id: Id) -> SentDetailOut:
    """One sent document with its data, findings and history; read for the first time, it
    becomes ``received``."""
    caller, sent = _sent(request, client_id, sent_id)
    if sent.status == ExchangeStatus.SENT:
        _mark_received(caller, request, [sent])
        sent.refresh_from_db(fields=["status", "status_at", "status_by"])
    return sent_detail_out(sent)


@router.get(
    "/clients/{client_id}/documents/{sent_id}/file",
    response=ERRORS,
    tags=TAGS,
    url_name="client_document_file",
    openapi_extra={"responses": {200: _ORIGINAL_FILE}},
)
def client_document_file(request: HttpRequest, client_id: Id, sent_id: Id) -> FileResponse:
    """Download the original file exactly as it was sent."""
    _caller, sent = _sent(request, client_id, sent_id)
    stored = sent.file
    response = FileResponse(
        default_storage.open(stored.storage_name, "rb"), content_type=stored.content_type
    )
    response["Content-Disposition"] = content_disposition(safe_filename(stored.original_name))
    response["ETag"] = f'"{stored.sha256}"'
    return response


@router.post(
    "/clients/{client_id}/documents/{sent_id}/status",
    response={200: StatusOut, **ERRORS},
    tags=TAGS,
)
def client_document_status(
    request: HttpRequest, client_id: Id, sent_id: Id, body: StatusIn
) -> StatusOut:
    """Set the office's status: ``received``, ``booked`` (with the accounting program's
    ``reference``) or ``rejected`` (with a ``reason`` the client reads). The same status
    twice is one change: 200 both times, ``changed`` false the second. Refusals change
    nothing: ``link-revoked`` (409, the link was revoked: read-only),
    ``document-withdrawn`` / ``document-replaced`` (409, booking what changed at source),
    ``status-transition-invalid`` (409, back to received), ``reason-required`` (422)."""
    caller, sent = _sent(request, client_id, sent_id)
    changed = services.sent_document_set_status(
        sent=sent, office=caller.organization, status=body.status, reference=body.reference,
        reason=body.reason, actor=caller.user, token=caller.token, ip=client_ip(request),
    )  # fmt: skip
    sent.refresh_from_db()
    return StatusOut(document=sent_out(sent), changed=changed)
