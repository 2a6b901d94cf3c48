"""Read business documents: bytes in, canonical model and findings out.

A pure library: no Django, no HTTP, no settings, no environment. :func:`read` detects
the container (PDF, image, XML, text) and the format inside it, and returns a
:class:`ReadResult` with every business document found (a PDF may hold several
QR-bills, or an invoice and its QR-bill). Anything that cannot be read raises a
:class:`FormatError` subclass, never another exception.

>>> from ledgerbridge.formats import read, UnsupportedFormat
>>> try:
...     read(b"hello, world")
... except UnsupportedFormat as err:
...     print(err.code)
unsupported-format
"""

from __future__ import annotations

from ledgerbridge.formats._dispatch import read
from ledgerbridge.formats.errors import (
    ErrorCode,
    FormatError,
    LimitExceeded,
    MalformedDocument,
    RuleViolation,
    UnsupportedFormat,
)
from ledgerbridge.formats.model import (
    Address,
    BankEntry,
    BankStatement,
    BillInformation,
    Container,
    Document,
    DocumentData,
    Finding,
    Format,
    Invoice,
    InvoiceLine,
    Kind,
    Party,
    Payment,
    PaymentSlip,
    ReadOptions,
    ReadResult,
    Severity,
    Totals,
    VatBreakdown,
)

__all__ = [
    "Address",
    "BankEntry",
    "BankStatement",
    "BillInformation",
    "Container",
    "Document",
    "DocumentData",
    "ErrorCode",
    "Finding",
    "Format",
    "FormatError",
    "Invoice",
    "InvoiceLine",
    "Kind",
    "LimitExceeded",
    "MalformedDocument",
    "Party",
    "Payment",
    "PaymentSlip",
    "ReadOptions",
    "ReadResult",
    "RuleViolation",
    "Severity",
    "Totals",
    "UnsupportedFormat",
    "VatBreakdown",
    "read",
]
