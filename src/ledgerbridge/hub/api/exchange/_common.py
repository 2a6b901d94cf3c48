"""The router of the exchange API and what its endpoints share: the JSON form of a link
and of a sent document, the opaque cursor, and the ``ETag`` match."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Router

from ledgerbridge.hub.api._common import IdCursor
from ledgerbridge.hub.api.auth import API_AUTH
from ledgerbridge.hub.api.documents._common import exchange_step_out
from ledgerbridge.hub.api.documents._schemas import PartyOut
from ledgerbridge.hub.api.exchange._schemas import ClientOut, LinkOut, SentDetailOut, SentOut
from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import NotFound
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange.models import (
    Category,
    ExchangeStatus,
    LinkDirection,
    LinkStatus,
    SourceState,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.exchange.models import ClientLink, SentDocument
    from ledgerbridge.hub.identity.models import Organization

router = Router(auth=API_AUTH)

_CURSOR = IdCursor("x1:")
encode_cursor = _CURSOR.encode
decode_cursor = _CURSOR.decode


def etag_matches(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    return etag in tags or "*" in tags


IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "the ETag of the last answer: 304 when unchanged",
}


def link_out(link: ClientLink, organization: Organization) -> LinkOut:
    """``link`` as ``organization`` sees it.

    The side that was asked sees who asked. The side that asked sees the other
    organization only once that one accepted (the link is active, or was before it was
    revoked): typing a tax ID never tells whose it is, nor that it is registered.
    """
    mine = link.organization_id == organization.pk
    side: Literal["office", "client"]
    if link.office_id == organization.pk:
        side = "office"
    elif link.client_id == organization.pk:
        side = "client"
    else:  # an unbound request for this organization's tax ID
        side = "office" if link.direction == LinkDirection.ACCOUNTING_OFFICE else "client"
    other: Organization | None = None
    if not mine:
        other = link.organization
    elif link.accepted_at is not None:
        other = link.other_side(organization)
    return LinkOut(
        id=link.pk, direction=LinkDirection(link.direction), side=side, requested_by_you=mine,
        other=PartyOut(id=other.pk, name=other.name) if other is not None else None,
        target_country=link.target_country, target_tax_id=link.target_tax_id,
        contact_email=link.contact_email,
        categories=[Category(c) for c in link.categories],
        auto_send=[Category(c) for c in link.auto_send],
        status=LinkStatus(link.status), created_at=link.created_at,
        expires_at=link.expires_at, accepted_at=link.accepted_at, revoked_at=link.revoked_at,
    )  # fmt: skip


def linked_client(link: ClientLink) -> Organization:
    """The client of an accepted link (the partner-space selectors list no other)."""
    if link.client is None:  # pragma: no cover - a pending request is never listed
        raise NotFound(ErrorCode.NOT_FOUND, _("No such client."))
    return link.client


def client_out(link: ClientLink) -> ClientOut:
    client = linked_client(link)
    return ClientOut(
        id=client.pk, name=client.name, country=client.country, tax_id=client.tax_id,
        link=link.pk, link_status=LinkStatus(link.status),
        categories=[Category(c) for c in link.categories],
        count_new=link.count_new, count_waiting=link.count_waiting,
        count_rejected=link.count_rejected, last_activity_at=link.last_activity_at,
    )  # fmt: skip


def sent_file_url(sent: SentDocument) -> str:
    return reverse(
        "api:client_document_file",
        kwargs={"client_id": sent.organization_id, "sent_id": sent.pk},
    )


def sent_out(sent: SentDocument) -> SentOut:
    """A sent document as the office sees it (``link`` and ``replaced_by`` loaded)."""
    return SentOut(
        id=sent.pk, link=sent.link_id, kind=Document.Kind(sent.kind),
        category=Category(sent.category), also_invoice=sent.also_invoice, format=sent.format,
        counterparty=sent.counterparty, amount=sent.amount, currency=sent.currency,
        document_date=sent.document_date, number=sent.number, version=sent.version,
        sent_at=sent.sent_at, status=ExchangeStatus(sent.status), reference=sent.reference,
        reason=sent.reason, status_at=sent.status_at,
        source_state=SourceState(sent.source_state), replaced_by=sent.replaced_by_id,
        needs_attention=sent.needs_attention,
        read_only=sent.link.status == LinkStatus.REVOKED, file_url=sent_file_url(sent),
    )  # fmt: skip


def sent_detail_out(sent: SentDocument) -> SentDetailOut:
    changes = sent.changes.select_related("actor").order_by("at", "id")
    return SentDetailOut(
        **dict(sent_out(sent)),
        data=sent.data,
        findings=sent.findings,
        history=[exchange_step_out(c, office_id=sent.office_id) for c in changes],
    )
