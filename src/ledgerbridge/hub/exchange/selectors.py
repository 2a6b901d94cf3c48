"""Reads of the exchange, every one filtered by the organization that asks.

A link is visible to its two sides and, while it is a request for a tax ID that no
organization had when it was made, to the organization that carries that tax ID now. The
office sees what was sent to it (also after a revocation: a bookkeeper keeps what was
booked); an accountant only the clients assigned to them, unless they manage client links.
A client sees its own sendings, never those of another client of the same office.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import NotFound
from ledgerbridge.hub.exchange.models import (
    Category,
    ClientAssignment,
    ClientLink,
    ExchangeStatus,
    LinkDirection,
    LinkStatus,
    SentDocument,
    SentDocumentChange,
    SourceState,
)
from ledgerbridge.hub.identity.hashing import sha256_hex
from ledgerbridge.hub.identity.models import Organization
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from decimal import Decimal

    from django.db.models.expressions import OrderBy

    from ledgerbridge.hub.documents.models import Document
    from ledgerbridge.hub.identity.models import Membership

__all__ = [
    "ClientFilters",
    "DocumentFilters",
    "client_assignees",
    "client_documents",
    "client_documents_version",
    "client_has_offices",
    "client_link_from_token",
    "client_link_get",
    "client_link_list",
    "client_sent_get",
    "document_sendings",
    "documents_by_exchange_state",
    "exchange_states",
    "incoming_link_requests",
    "link_target_registered",
    "linked_tax_identities",
    "office_client_get",
    "office_clients",
    "office_links_of_client",
    "open_link_count",
    "sees_all_clients",
    "sendings_by_document",
    "sendings_version",
]


def _visible_links(organization: Organization) -> Q:
    unbound_for_me = Q(
        status=LinkStatus.PENDING,
        target_country=organization.country,
        target_tax_id=organization.tax_id,
    ) & (
        Q(direction=LinkDirection.CLIENT, client__isnull=True)
        | Q(direction=LinkDirection.ACCOUNTING_OFFICE, office__isnull=True)
    )
    sides = Q(organization=organization) | Q(office=organization) | Q(client=organization)
    return sides | unbound_for_me


def client_link_list(*, organization: Organization) -> QuerySet[ClientLink]:
    """Every link and request of ``organization``, both directions, newest first."""
    return (
        ClientLink.objects.filter(_visible_links(organization))
        .select_related("organization", "office", "client")
        .order_by("-created_at", "-id")
    )


def client_link_get(*, organization: Organization, link_id: int) -> ClientLink:
    link = client_link_list(organization=organization).filter(pk=link_id).first()
    if link is None:
        raise NotFound(ErrorCode.NOT_FOUND, _("No such link."))
    return link


def open_link_count(*, organization: Organization) -> int:
    """The links that count against the plan: pending or active, on either side."""
    return (
        ClientLink.objects.filter(
            Q(organization=organization) | Q(office=organization) | Q(client=organization)
        )
        .exclude(status=LinkStatus.REVOKED)
        .count()
    )


def linked_tax_identities(organization: Organization) -> list[tuple[str, str]]:
    """The (country, tax ID) of every organization actively linked to ``organization``."""
    links = ClientLink.objects.filter(
        Q(office=organization) | Q(client=organization), status=LinkStatus.ACTIVE
    ).select_related("office", "client")
    return [
        (other.country, other.tax_id)
        for link in links
        if (other := link.other_side(organization)) is not None
    ]


def incoming_link_requests(*, organization: Organization) -> QuerySet[ClientLink]:
    """Open requests that another organization made for this one (to accept or decline)."""
    return (
        client_link_list(organization=organization)
        .filter(status=LinkStatus.PENDING)
        .exclude(organization=organization)
    )


def client_link_from_token(*, raw_token: str) -> ClientLink:
    """The link behind an e-mail's link (whatever its state; check it before acting)."""
    link = (
        ClientLink.objects.filter(token_hash=sha256_hex(raw_token))
        .select_related("organization")
        .first()
    )
    if link is None:
        raise NotFound(ErrorCode.NOT_FOUND, _("This link is not valid."))
    return link


def client_assignees(*, office: Organization, client: Organization) -> QuerySet[ClientAssignment]:
    """The office's accountants who were given ``client`` (for the office's admins)."""
    return ClientAssignment.objects.filter(organization=office, client=client)


def link_target_registered(*, link: ClientLink) -> bool:
    """Whether an organization carries the tax ID ``link`` was made for (never which one)."""
    return Organization.objects.filter(
        country=link.target_country, tax_id=link.target_tax_id
    ).exists()


def sees_all_clients(membership: Membership) -> bool:
    """Admins and members who manage client links see every client; others their own."""
    return membership.has_permission(Permission.CLIENT_LINKS_MANAGE) or membership.has_permission(
        Permission.USERS_MANAGE
    )


@dataclass(frozen=True, slots=True)
class ClientFilters:
    search: str = ""
    # a column (name, tax_id, new, waiting, rejected, activity), "-" before it: descending
    sort: str = "name"


def _client_order(sort: str) -> tuple[OrderBy, ...]:
    """ORDER BY of the client list: the column, then the name and id (stable pages).

    Links without activity yet come last both ways (PostgreSQL puts NULL first in DESC).
    """
    column = _CLIENT_COLUMNS.get(sort.removeprefix("-"), "client__name")
    key = (
        F(column).desc(nulls_last=True) if sort.startswith("-") else F(column).asc(nulls_last=True)
    )
    return (key, F("client__name").asc(), F("id").asc())


_CLIENT_COLUMNS = {
    "name": "client__name",
    "tax_id": "client__tax_id",
    "new": "count_new",
    "waiting": "count_waiting",
    "rejected": "count_rejected",
    "activity": "last_activity_at",
}


def office_clients(
    *, office: Organization, membership: Membership, filters: ClientFilters | None = None
) -> QuerySet[ClientLink]:
    """The office's clients: one row per link that was accepted (active or revoked since)."""
    filters = filters or ClientFilters()
    links = ClientLink.objects.filter(office=office, client__isnull=False).exclude(
        status=LinkStatus.PENDING
    )
    if not sees_all_clients(membership):
        links = links.filter(
            Exists(
                ClientAssignment.objects.filter(
                    organization=office, client=OuterRef("client_id"), user=membership.user_id
                )
            )
        )
    if filters.search:
        links = links.filter(
            Q(client__name__icontains=filters.search)
            | Q(client__tax_id__icontains=filters.search.replace(".", "").replace("-", ""))
        )
    return links.select_related("client").order_by(*_client_order(filters.sort))


def office_client_get(
    *, office: Organization, membership: Membership, client_id: int
) -> ClientLink:
    """The office's newest accepted link with client ``client_id``, or 404."""
    link = (
        office_clients(office=office, membership=membership)
        .filter(client_id=client_id)
        .order_by("-accepted_at", "-id")
        .first()
    )
    if link is None:
        raise NotFound(ErrorCode.NOT_FOUND, _("No such client."))
    return link


@dataclass(frozen=True, slots=True)
class DocumentFilters:
    category: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    counterparty: str = ""
    attention: bool = False


def client_documents(
    *, office: Organization, client: Organization, filters: DocumentFilters | None = None
) -> QuerySet[SentDocument]:
    """What ``client`` sent to ``office``, newest first, filtered as the tab asks.

    The incoming-invoice tab also holds the QR-bills that carry an invoice.
    """
    filters = filters or DocumentFilters()
    sent = SentDocument.objects.filter(office=office, organization=client)
    if filters.category == Category.INCOMING_INVOICE:
        sent = sent.filter(Q(category=filters.category) | Q(also_invoice=True))
    elif filters.category:
        sent = sent.filter(category=filters.category)
    if filters.status:
        sent = sent.filter(status=filters.status)
    if filters.date_from is not None:
        sent = sent.filter(document_date__gte=filters.date_from)
    if filters.date_to is not None:
        sent = sent.filter(document_date__lte=filters.date_to)
    if filters.amount_min is not None:
        sent = sent.filter(amount__gte=filters.amount_min)
    if filters.amount_max is not None:
        sent = sent.filter(amount__lte=filters.amount_max)
    if filters.counterparty:
        sent = sent.filter(counterparty__icontains=filters.counterparty)
    if filters.attention:
        sent = sent.filter(needs_attention=True)
    return sent.select_related("link", "replaced_by").order_by("-sent_at", "-id")


def _fingerprint(sent: QuerySet[SentDocument]) -> str:
    """One aggregate over ``sent``: a new sending, a status set on either side and a change
    at source all move it (each adds a row or sets ``status_at`` or ``source_changed_at``)."""
    row = sent.order_by().aggregate(
        total=Count("id"),
        last_id=Max("id"),
        status_at=Max("status_at"),
        source_at=Max("source_changed_at"),
    )
    stamps = [row[key].timestamp() if row[key] else 0 for key in ("status_at", "source_at")]
    return f"{row['total']}.{row['last_id'] or 0}.{stamps[0]:.6f}.{stamps[1]:.6f}"


def client_documents_version(*, office: Organization, client: Organization) -> str:
    """A cheap fingerprint of what ``client`` sent to ``office``, for ``ETag``s."""
    return _fingerprint(SentDocument.objects.filter(office=office, organization=client))


def client_sent_get(*, office: Organization, client: Organization, sent_id: int) -> SentDocument:
    sent = client_documents(office=office, client=client).filter(pk=sent_id).first()
    if sent is None:
        raise NotFound(ErrorCode.DOCUMENT_NOT_FOUND, _("No such document."))
    return sent


def document_sendings(*, organization: Organization, document: Document) -> QuerySet[SentDocument]:
    """Where ``organization``'s ``document`` was sent, with the statuses and history."""
    return (
        SentDocument.objects.filter(organization=organization, document=document)
        .select_related("office", "link", "status_by", "sent_by", "replaced_by")
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=SentDocumentChange.objects.select_related("actor", "by_organization"),
            )
        )
        .order_by("id")
    )


def client_has_offices(*, organization: Organization) -> bool:
    """Whether ``organization`` has (or had) an accounting office: an accepted link."""
    return (
        ClientLink.objects.filter(client=organization).exclude(status=LinkStatus.PENDING).exists()
    )


def office_links_of_client(*, organization: Organization) -> QuerySet[ClientLink]:
    """The active links over which ``organization`` (the client) can send, by office name."""
    return (
        ClientLink.objects.filter(client=organization, status=LinkStatus.ACTIVE)
        .select_related("office")
        .order_by("office__name", "id")
    )


def sendings_by_document(
    *, organization: Organization, document_ids: Sequence[int]
) -> dict[int, list[SentDocument]]:
    """The sendings of many of ``organization``'s documents in one query, by document id.

    For the document list: each row's exchange status without one query per row.
    """
    found: dict[int, list[SentDocument]] = {}
    if not document_ids:
        return found
    sendings = (
        SentDocument.objects.filter(organization=organization, document_id__in=document_ids)
        .select_related("office", "status_by", "sent_by", "replaced_by")
        .order_by("document_id", "id")
    )
    for sent in sendings:
        found.setdefault(sent.document_id, []).append(sent)
    return found


def sendings_version(*, organization: Organization) -> str:
    """A cheap fingerprint of ``organization``'s sendings, for the live status polls."""
    return _fingerprint(SentDocument.objects.filter(organization=organization))


# The document list's exchange filter: key -> the sendings that match it (current ones).
EXCHANGE_STATES: dict[str, Q] = {
    "sent": Q(status__in=(ExchangeStatus.SENT, ExchangeStatus.RECEIVED)),
    "booked": Q(status=ExchangeStatus.BOOKED),
    "rejected": Q(status=ExchangeStatus.REJECTED),
}


def exchange_states() -> tuple[str, ...]:
    """The keys :func:`documents_by_exchange_state` understands."""
    return ("not_sent", *EXCHANGE_STATES)


def documents_by_exchange_state(
    documents: QuerySet[Document], *, organization: Organization, state: str
) -> QuerySet[Document]:
    """``documents`` narrowed to those in ``state``: ``not_sent`` (no sending at all), or
    with a current sending (not withdrawn or replaced) that is ``sent`` (sent or received,
    waiting), ``booked`` or ``rejected``. An unknown state leaves them as they are."""
    sendings = SentDocument.objects.filter(organization=organization, document=OuterRef("pk"))
    if state == "not_sent":
        return documents.filter(~Exists(sendings))
    match = EXCHANGE_STATES.get(state)
    if match is None:
        return documents
    return documents.filter(Exists(sendings.filter(match, source_state=SourceState.CURRENT)))
