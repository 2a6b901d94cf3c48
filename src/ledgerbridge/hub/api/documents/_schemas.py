"""Request and response schemas of the documents and payment-slips API."""

from __future__ import annotations

from datetime import date, datetime  # noqa: TC003  # pydantic needs them at run time
from decimal import Decimal  # noqa: TC003  # pydantic needs it at run time
from typing import Any

from ninja import Schema
from pydantic import Field

from ledgerbridge.hub.api.schemas import PageQuery

KINDS = "^(incoming_invoice|outgoing_invoice|credit_note|purchase_receipt|bank_statement|payment_slip|other)$"  # noqa: E501  # one regex
STATUSES = "^(received|pending|processed|rejected)$"
SOURCES = "^(scan|upload|api|email|exchange)$"


class FileOut(Schema):
    sha256: str
    size: int
    content_type: str = Field(description="judged by the content, not the name")
    filename: str
    url: str = Field(description="download of the original file")


class DocumentOut(Schema):
    id: int
    kind: str = Field(examples=["payment_slip"])
    source: str = Field(examples=["api"])
    status: str = Field(description="pending|processed|rejected for slips, else received")
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
    created_by: str | None = Field(description="e-mail of the user who sent it")
    created_at: datetime
    updated_at: datetime


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    reason: str
    actor: str | None
    token: str | None = Field(description="name of the API token used, if any")
    at: datetime


class DocumentDetailOut(DocumentOut):
    history: list[StatusChangeOut]


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
    kind: str | None = Field(None, pattern=KINDS)
    status: str | None = Field(None, pattern=STATUSES)
    source: str | None = Field(None, pattern=SOURCES)
    duplicate: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    q: str = Field("", max_length=200, description="search in the extracted fields")


class UploadQuery(Schema):
    filename: str = Field("upload", max_length=255, description="name of a raw-body upload")
    keep_unreadable: bool = Field(False, description="keep a file without documents as other")
    source: str = Field("api", pattern="^(scan|upload|api)$")


class SlipQuery(Schema):
    status: str = Field("pending", pattern="^(pending|processed|rejected)$")
    cursor: str | None = Field(None, max_length=100, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


class SlipOut(Schema):
    id: int
    status: str
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
    source: str
    scanned_by: str | None
    scanned_at: datetime
    updated_at: datetime
    file_url: str


class SlipPage(Schema):
    items: list[SlipOut]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page")


class ProcessedIn(Schema):
    booking_reference: str = Field(min_length=1, max_length=200)


class RejectedIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class Pain001In(Schema):
    ids: list[int] = Field(min_length=1, max_length=1000, description="payment slips to pay")
    debtor_name: str = Field(min_length=1, max_length=70, description="account holder")
    debtor_iban: str = Field(min_length=15, max_length=42, description="the account to debit")
    execution_date: date = Field(description="requested execution date")
