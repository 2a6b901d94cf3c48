"""The canonical model every reader fills: one shape per kind of business document.

Amounts are :class:`~decimal.Decimal`, dates are :class:`~datetime.date`; absent values are
``None``. The model mirrors the JSON contract of ``ledgerbridge read --json`` field by
field, so :func:`ledgerbridge.formats.contract.result_to_json` is a plain walk over it.

>>> from decimal import Decimal
>>> f = Finding(Severity.ERROR, "BR-CO-15", "/Invoice/LegalMonetaryTotal", "gross != net + tax")
>>> f.is_error
True
>>> Totals(net=Decimal("10.00")).gross is None
True
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

__all__ = [
    "Address",
    "BankEntry",
    "BankStatement",
    "BillInformation",
    "Container",
    "Document",
    "DocumentData",
    "Finding",
    "Format",
    "Invoice",
    "InvoiceLine",
    "Kind",
    "Party",
    "Payment",
    "PaymentSlip",
    "ReadOptions",
    "ReadResult",
    "Severity",
    "Totals",
    "VatBreakdown",
]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Format(enum.StrEnum):
    SWISS_QR_BILL = "swiss-qr-bill"
    UBL = "ubl"
    CII = "cii"
    KSEF_FA3 = "ksef-fa3"
    CAMT_053 = "camt.053"


class Container(enum.StrEnum):
    TEXT = "text"
    XML = "xml"
    PDF = "pdf"
    IMAGE = "image"


class Kind(enum.StrEnum):
    PAYMENT_SLIP = "payment_slip"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    BANK_STATEMENT = "bank_statement"


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Caps and switches for one read; nothing here comes from settings or the environment."""

    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_pdf_pages: int = 20
    pdf_dpi: int = 200
    pdf_render_seconds: float = 20.0
    max_xml_depth: int = 256
    validate: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    code: str
    location: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


# --- payment slips (Swiss QR-bill) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Address:
    address_type: str | None = None  # "S" structured, "K" combined
    name: str | None = None
    street: str | None = None
    building_number: str | None = None
    postal_code: str | None = None
    town: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class BillInformation:
    """Swico S1 structured bill information, decoded."""

    invoice_number: str | None = None
    invoice_date: date | None = None
    customer_reference: str | None = None
    vat_number: str | None = None
    vat_dates: tuple[date, ...] = ()  # one date, or start and end of a period
    vat_rates: tuple[tuple[Decimal, Decimal | None], ...] = ()  # (rate %, net amount or None)
    import_vat: tuple[tuple[Decimal, Decimal], ...] = ()  # (rate %, tax amount)
    payment_conditions: tuple[tuple[Decimal, int], ...] = ()  # (discount %, days)


@dataclass(frozen=True, slots=True)
class PaymentSlip:
    iban: str
    amount: Decimal | None
    currency: str
    reference_type: str  # QRR, SCOR, NON
    reference: str | None
    message: str | None
    bill_information: str | None
    creditor: Address
    ultimate_debtor: Address | None = None
    alternative_procedures: tuple[str, ...] = ()
    bill: BillInformation | None = None


# --- invoices and credit notes (EN 16931) -------------------------------------------


@dataclass(frozen=True, slots=True)
class Party:
    name: str | None = None
    vat_id: str | None = None
    tax_registration_id: str | None = None
    legal_id: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Totals:
    line_net: Decimal | None = None  # BT-106
    allowances: Decimal | None = None  # BT-107
    charges: Decimal | None = None  # BT-108
    net: Decimal | None = None  # BT-109
    tax: Decimal | None = None  # BT-110
    gross: Decimal | None = None  # BT-112
    prepaid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    due: Decimal | None = None  # BT-115


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    category: str | None  # BT-118
    rate: Decimal | None  # BT-119
    taxable: Decimal | None  # BT-116
    tax: Decimal | None  # BT-117


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    id: str | None  # BT-126
    name: str | None  # BT-153
    quantity: Decimal | None  # BT-129
    unit: str | None  # BT-130
    net: Decimal | None  # BT-131
    vat_category: str | None  # BT-151
    vat_rate: Decimal | None  # BT-152


@dataclass(frozen=True, slots=True)
class Payment:
    means_code: str | None = None  # BT-81
    iban: str | None = None  # BT-84
    remittance: str | None = None  # BT-83


@dataclass(frozen=True, slots=True)
class Invoice:
    """An invoice or a credit note; which one is the document's ``kind``."""

    number: str | None  # BT-1
    type_code: str | None  # BT-3
    issue_date: date | None  # BT-2
    due_date: date | None = None  # BT-9
    currency: str | None = None  # BT-5
    buyer_reference: str | None = None  # BT-10
    seller: Party = field(default_factory=Party)
    buyer: Party = field(default_factory=Party)
    totals: Totals = field(default_factory=Totals)
    vat_breakdown: tuple[VatBreakdown, ...] = ()
    lines: tuple[InvoiceLine, ...] = ()
    payment: Payment = field(default_factory=Payment)


# --- bank statements (camt.053) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class BankEntry:
    booking_date: date | None
    value_date: date | None
    amount: Decimal
    credit_debit: str  # "CRDT" or "DBIT"
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    reference: str | None = None
    remittance: str | None = None


@dataclass(frozen=True, slots=True)
class BankStatement:
    statement_id: str | None
    account_iban: str | None
    currency: str | None
    from_date: date | None  # "from" in the JSON contract
    to_date: date | None  # "to" in the JSON contract
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    entries: tuple[BankEntry, ...] = ()


DocumentData: TypeAlias = PaymentSlip | Invoice | BankStatement


@dataclass(frozen=True, slots=True)
class Document:
    """One business document found in a file."""

    format: Format
    container: Container
    kind: Kind
    data: DocumentData
    findings: tuple[Finding, ...] = ()
    profile: str | None = None

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Everything read from one file: possibly several documents.

    ``notices`` are file-level observations that belong to no document (for example a
    KSeF verification QR code on a printed invoice, or a QR code that is not a QR-bill).
    """

    documents: tuple[Document, ...]
    notices: tuple[Finding, ...] = ()

    @property
    def has_errors(self) -> bool:
        return any(d.has_errors for d in self.documents)
