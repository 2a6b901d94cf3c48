"""The public face of ledgerbridge.formats: exactly these names, and each one resolves."""

from __future__ import annotations

import ledgerbridge.formats

PUBLIC = [
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


def test_all_is_the_pinned_sorted_list() -> None:
    # given
    exported = ledgerbridge.formats.__all__

    # when
    in_order = sorted(exported)

    # then
    assert exported == PUBLIC
    assert exported == in_order


def test_every_exported_name_resolves() -> None:
    # given
    exported = ledgerbridge.formats.__all__

    # when
    missing = [name for name in exported if not hasattr(ledgerbridge.formats, name)]

    # then
    assert missing == []
