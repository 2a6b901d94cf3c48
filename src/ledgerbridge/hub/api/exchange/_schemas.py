"""Request and response schemas of the exchange API: client links, sending, the partner space."""

from __future__ import annotations

from datetime import date, datetime  # noqa: TC003  # pydantic needs them at run time
from decimal import Decimal  # noqa: TC003  # pydantic needs it at run time
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

# pydantic reads these annotations at run time
from ledgerbridge.hub.api.documents._schemas import (
    AtSource,  # noqa: TC001
    DocumentOut,  # noqa: TC001
    ExchangeStepOut,  # noqa: TC001
    OfficeStatus,  # noqa: TC001
    PartyOut,  # noqa: TC001
    SendingOut,  # noqa: TC001
    Side,  # noqa: TC001
)
from ledgerbridge.hub.api.schemas import Id, PageQuery, RequestSchema, inline_enum
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange.models import (
    Category,
    ExchangeStatus,
    LinkDirection,
    LinkStatus,
)

CategoryName = Annotated[Category, inline_enum(Category)]
Direction = Annotated[LinkDirection, inline_enum(LinkDirection)]
LinkState = Annotated[LinkStatus, inline_enum(LinkStatus)]
Kind = Annotated[Document.Kind, inline_enum(Document.Kind)]
# What the office may set: ``sent`` is where every sending starts.
SettableStatus = Literal[ExchangeStatus.RECEIVED, ExchangeStatus.BOOKED, ExchangeStatus.REJECTED]
ClientSort = Literal["name", "-new", "-waiting", "-rejected", "-activity"]


# --- client links -----------------------------------------------------------------------


class LinkIn(RequestSchema):
    tax_id: str = Field(min_length=1, max_length=40, description="the other side's tax ID")
    email: str = Field(min_length=3, max_length=254, description="a contact at the other side")
    direction: Direction = Field(
        description="what the other side is: accounting_office (a company connects its "
        "office) or client (an office adds a client)"
    )
    categories: list[CategoryName] | None = Field(
        None, max_length=len(Category), description="what crosses the link; default: all"
    )
    country: str | None = Field(
        None,
        pattern="^[A-Za-z]{2}$",
        description="ISO country of the tax ID; default: its prefix, else your own country",
    )


class LinkAcceptIn(RequestSchema):
    categories: list[CategoryName] | None = Field(
        None,
        max_length=len(Category),
        description="a client accepting may narrow what crosses; an office may not send it",
    )


class LinkPatch(RequestSchema):
    categories: list[CategoryName] | None = Field(None, max_length=len(Category))
    auto_send: list[CategoryName] | None = Field(
        None, max_length=len(Category), description="sent by rule once read; within categories"
    )


class LinkOut(Schema):
    id: int
    direction: Direction = Field(description="what the other side is, seen by the side that asked")
    side: Side = Field(description="your side of the link")
    requested_by_you: bool
    other: PartyOut | None = Field(
        description="the other organization: to the side asked, the one that asked; to the "
        "side that asked, only once the link was accepted"
    )
    target_country: str
    target_tax_id: str = Field(description="the tax ID the link was made for, compact")
    contact_email: str
    categories: list[CategoryName]
    auto_send: list[CategoryName]
    status: LinkState
    created_at: datetime
    expires_at: datetime = Field(description="until when the request can be accepted")
    accepted_at: datetime | None
    revoked_at: datetime | None


class LinkPage(Schema):
    items: list[LinkOut]
    count: int
    page: int
    page_size: int


class LinkQuery(PageQuery):
    status: LinkState | None = None


# --- sending --------------------------------------------------------------------------


class SendIn(RequestSchema):
    link: Id = Field(description="the client link to send over")


class SendOut(Schema):
    sending: SendingOut
    created: bool = Field(description="false: the document was sent over this link before")


class WithdrawOut(Schema):
    sendings: list[SendingOut]


class ReplaceOut(Schema):
    document: DocumentOut = Field(description="the new version, read from the file")
    sendings: list[SendingOut] = Field(description="its sendings over the same links")


# --- the partner space ------------------------------------------------------------------


class ClientOut(Schema):
    id: int = Field(description="the client organization's id")
    name: str
    country: str
    tax_id: str
    link: int
    link_status: LinkState
    categories: list[CategoryName]
    count_new: int
    count_waiting: int
    count_rejected: int
    last_activity_at: datetime | None


class ClientPage(Schema):
    items: list[ClientOut]
    count: int
    page: int
    page_size: int


class ClientQuery(PageQuery):
    search: str = Field("", max_length=100, description="in the name and the tax ID")
    sort: ClientSort = "name"


class SentQuery(RequestSchema):
    category: CategoryName | None = Field(
        None, description="incoming_invoice also holds the QR-bills that carry an invoice"
    )
    status: OfficeStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = Field(None, ge=0, le=10**12, decimal_places=2)
    amount_max: Decimal | None = Field(None, ge=0, le=10**12, decimal_places=2)
    counterparty: str = Field("", max_length=200)
    attention: bool = Field(False, description="only booked documents changed at source")
    cursor: str | None = Field(None, max_length=100, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


class SentOut(Schema):
    id: int = Field(description="the sent document's id in the partner space")
    link: int
    kind: Kind
    category: CategoryName
    also_invoice: bool = Field(description="a QR-bill that carries an invoice")
    format: str
    counterparty: str
    amount: Decimal | None
    currency: str
    document_date: date | None
    number: str
    version: int
    sent_at: datetime
    status: OfficeStatus
    reference: str
    reason: str
    status_at: datetime
    source_state: AtSource
    replaced_by: int | None = Field(description="the new version's sent document")
    needs_attention: bool
    read_only: bool = Field(description="the link was revoked: no status can be set")
    file_url: str


class SentDetailOut(SentOut):
    data: dict[str, Any] | None
    findings: list[dict[str, Any]]
    history: list[ExchangeStepOut]


class SentPage(Schema):
    items: list[SentOut]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page")


class StatusIn(RequestSchema):
    status: SettableStatus
    reference: str = Field("", max_length=200, description="the booking reference (booked)")
    reason: str = Field("", max_length=500, description="why it is rejected (required then)")


class StatusOut(Schema):
    document: SentOut
    changed: bool = Field(description="false: the document had this status already")
