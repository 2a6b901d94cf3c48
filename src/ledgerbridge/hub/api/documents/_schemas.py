"""Request and response schemas of the documents and payment-slips API."""

from __future__ import annotations

from datetime import date, datetime  # noqa: TC003  # pydantic needs them at run time
from decimal import Decimal  # noqa: TC003  # pydantic needs it at run time
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from ledgerbridge.hub.api.schemas import Id, Instant, PageQuery, RequestSchema, inline_enum
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange.models import ExchangeStatus, SentDocumentChange, SourceState

Kind = Annotated[Document.Kind, inline_enum(Document.Kind)]
Source = Annotated[Document.Source, inline_enum(Document.Source)]
Status = Annotated[Document.Status, inline_enum(Document.Status)]
ReceiptCategory = Annotated[Document.ReceiptCategory, inline_enum(Document.ReceiptCategory)]
# What an uploader may choose for the documents whose data does not determine their kind
# (ledgerbridge.hub.documents.categories.CHOOSABLE_KINDS).
ChosenKind = Literal[
    Document.Kind.INCOMING_INVOICE,
    Document.Kind.OUTGOING_INVOICE,
    Document.Kind.CREDIT_NOTE,
    Document.Kind.PURCHASE_RECEIPT,
    Document.Kind.OTHER,
]
OfficeStatus = Annotated[ExchangeStatus, inline_enum(ExchangeStatus)]
AtSource = Annotated[SourceState, inline_enum(SourceState)]
Step = Annotated[SentDocumentChange.Step, inline_enum(SentDocumentChange.Step)]
Side = Literal["office", "client"]
# What a client may name as the source of its upload (e-mail and exchange are the hub's own).
UploadSource = Literal[Document.Source.SCAN, Document.Source.UPLOAD, Document.Source.API]
# The states a payment slip can be in (``received`` is for the other kinds).
SlipStatus = Literal[
    Document.Status.PENDING,
    Document.Status.EXPORTED,
    Document.Status.PROCESSED,
    Document.Status.REJECTED,
]
# What the slip list may filter on: a status, or ``open`` (pending or exported: not booked).
SLIP_OPEN = "open"
SlipFilter = SlipStatus | Literal["open"]


class FileOut(Schema):
    sha256: str
    size: int
    content_type: str = Field(description="judged by the content, not the name")
    filename: str
    url: str = Field(description="download of the original file")


class DocumentOut(Schema):
    id: int
    kind: Kind
    source: Source
    status: Status = Field(
        description="pending, exported (for payment), processed or rejected for slips, "
        "else received"
    )
    status_reason: str
    booking_reference: str
    format: str = Field(description="detected format, e.g. swiss-qr-bill, ubl, cii")
    profile: str
    index_in_file: int = Field(description="position of this document in its file")
    file: FileOut
    duplicate_of: int | None = Field(description="the first document of the same payment")
    has_errors: bool
    findings: list[dict[str, Any]]
    data: dict[str, Any] | None = Field(description="canonical data (formats JSON contract)")
    creditor_name: str
    iban: str
    amount: Decimal | None
    currency: str
    reference: str
    due_date: date | None
    invoice_number: str
    category: ReceiptCategory | Literal[""] = Field(
        description="what a purchase receipt was for, chosen by the uploader; else empty"
    )
    created_by: str | None = Field(description="e-mail of the user who sent it")
    created_at: datetime
    updated_at: datetime


class StatusChangeOut(Schema):
    from_status: Status | Literal[""] = Field(description="empty for the first status")
    to_status: Status
    reason: str
    message_id: str = Field(
        description="the MsgId of the pain.001 file of a step to exported, else empty"
    )
    actor: str | None
    token: str | None = Field(description="name of the API token used, if any")
    at: datetime


class PartyOut(Schema):
    id: int
    name: str


class ExchangeStepOut(Schema):
    step: Step = Field(description="withdrawn: cancelled at source; replaced: changed at source")
    by: Side = Field(description="which side acted")
    reference: str = Field(description="the booking reference of a step to booked")
    reason: str = Field(description="the reason of a step to rejected")
    actor: str | None = Field(description="e-mail of the user who acted, if any")
    at: datetime


class SendingOut(Schema):
    id: int = Field(description="the sending (the office's sent document)")
    link: int
    office: PartyOut
    status: OfficeStatus = Field(description="the office's status")
    reference: str = Field(description="the office's booking reference once booked")
    reason: str = Field(description="why the office rejected it")
    status_at: datetime
    source_state: AtSource = Field(
        description="withdrawn: cancelled at source; replaced: changed at source"
    )
    replaced_by: int | None = Field(description="the document that replaced this one")
    version: int
    sent_at: datetime
    automatic: bool = Field(description="sent by the link's rule")
    history: list[ExchangeStepOut]


class DocumentDetailOut(DocumentOut):
    history: list[StatusChangeOut]
    exchange: list[SendingOut] = Field(
        default_factory=list,
        description="where the document was sent, each with the office's status and history",
    )


class IngestOut(Schema):
    documents: list[DocumentOut]
    created: bool = Field(description="false: the same file or Idempotency-Key was seen before")
    duplicate_file: bool


class DocumentPage(Schema):
    items: list[DocumentOut]
    count: int
    page: int
    page_size: int


class DocumentQuery(PageQuery):
    kind: Kind | None = None
    status: Status | None = None
    source: Source | None = None
    duplicate: bool | None = None
    since: Instant | None = None
    until: Instant | None = None
    q: str = Field("", max_length=200, description="search in the extracted fields")


class UploadQuery(RequestSchema):
    filename: str = Field("upload", max_length=255, description="name of a raw-body upload")
    keep_unreadable: bool = Field(
        False,
        description="keep a file in which nothing is found (a PDF letter, a photo of a till "
        "receipt) instead of refusing it, as a document of `kind`",
    )
    kind: ChosenKind | None = Field(
        None,
        description="the category of documents whose content does not determine it: a "
        "file kept with keep_unreadable (default `other`) and an e-invoice naming neither "
        "this organization nor a linked one (default `other`). QR-bills, bank statements, "
        "credit notes and e-invoices naming this organization are sorted by their content. "
        "`purchase_receipt` needs `category`",
    )
    category: ReceiptCategory | None = Field(
        None, description="with kind=purchase_receipt: what the receipt was for"
    )
    source: UploadSource = Document.Source.API


class KindIn(RequestSchema):
    kind: Kind = Field(
        description="the document's category; payment_slip only for a QR-bill, "
        "bank_statement only for a camt.053 statement"
    )


class SlipQuery(RequestSchema):
    status: SlipFilter = Field(
        Document.Status.PENDING,
        description="pending (default): not yet paid nor booked; exported: ordered in a "
        "pain.001 file, not yet booked; open: pending or exported; processed; rejected",
    )
    cursor: str | None = Field(None, max_length=100, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


class SlipOut(Schema):
    id: int
    status: Status
    status_reason: str
    booking_reference: str
    creditor_name: str
    creditor: dict[str, Any] | None
    iban: str
    amount: Decimal | None
    currency: str
    reference_type: str | None
    reference: str
    message: str | None
    due_date: date | None
    invoice_number: str
    duplicate_of: int | None
    has_errors: bool
    findings: list[dict[str, Any]]
    source: Source
    scanned_by: str | None
    scanned_at: datetime
    updated_at: datetime
    file_url: str


class SlipPage(Schema):
    items: list[SlipOut]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page")


class ProcessedIn(RequestSchema):
    booking_reference: str = Field(
        "", max_length=200, description="the accounting program's booking reference, optional"
    )


class RejectedIn(RequestSchema):
    reason: str = Field(min_length=1, max_length=500)


class Pain001In(RequestSchema):
    ids: list[Id] = Field(min_length=1, max_length=1000, description="payment slips to pay")
    debtor_name: str = Field(min_length=1, max_length=70, description="account holder")
    debtor_iban: str = Field(min_length=15, max_length=42, description="the account to debit")
    execution_date: date = Field(description="requested execution date")
    allow_reexport: bool = Field(
        False,
        description="pay slips that were exported before as well; without it such a slip "
        "answers 409 slip-already-exported naming the earlier file, who and when",
    )
