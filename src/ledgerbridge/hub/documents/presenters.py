"""What the detail page shows of a document's data: per kind, the fields an accountant checks.

``Document.data`` holds the canonical model of :mod:`ledgerbridge.formats.model` as its
JSON contract (decimal strings, ISO dates). :func:`document_data_view` turns it back into
typed values (``Decimal``, ``date``) grouped the way the page lays them out, so the
template only formats them:

- an invoice or credit note: number and dates, seller and buyer with their tax IDs, the
  totals, the VAT breakdown and the lines (tables), the payment instructions;
- a bank statement: account, period, opening and closing balance, and its entries as a
  table, one page of :data:`STATEMENT_ENTRIES_PER_PAGE` at a time (``?page=``);
- a payment slip (QR-bill): creditor and debtor addresses, reference, the unstructured
  message and the bill information, with Swico S1 decoded.

The layout follows the data's format when it is given (``data_format``), so an invoice
whose kind was corrected to "other" still shows as an invoice; without it, the kind. A
document without data (kept as "other" or as a receipt photo) has no view: ``None``.

>>> view = document_data_view(Document.Kind.BANK_STATEMENT, {
...     "account_iban": "CH93", "currency": "CHF", "from": "2026-01-01", "to": "2026-01-31",
...     "opening_balance": "10.5", "closing_balance": "5", "statement_id": "S1", "entries": []})
>>> view["layout"], view["period"], view["closing_balance"]
('statement', (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)), Decimal('5'))
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from ledgerbridge.formats import Format
from ledgerbridge.hub.documents.models import Document

__all__ = ["STATEMENT_ENTRIES_PER_PAGE", "document_data_view"]

STATEMENT_ENTRIES_PER_PAGE = 20
_INVOICE_KINDS = frozenset(
    {Document.Kind.INCOMING_INVOICE, Document.Kind.OUTGOING_INVOICE, Document.Kind.CREDIT_NOTE}
)
_LAYOUT_OF_FORMAT: dict[str, str] = {
    Format.SWISS_QR_BILL: "slip",
    Format.CAMT_053: "statement",
    Format.UBL: "invoice",
    Format.CII: "invoice",
    Format.KSEF_FA3: "invoice",
}
_LAYOUT_OF_KIND: dict[str, str] = {
    **dict.fromkeys(_INVOICE_KINDS, "invoice"),
    Document.Kind.BANK_STATEMENT: "statement",
    Document.Kind.PAYMENT_SLIP: "slip",
}


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _number(value: Any) -> Decimal | None:
    """A rate or quantity as written, without trailing zeros: ``8.10`` -> ``8.1``.

    >>> _number("8.10"), _number("100.000"), _number(None)
    (Decimal('8.1'), Decimal('100'), None)
    """
    amount = _amount(value)
    if amount is None:
        return None
    return amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _party(party: Any) -> dict[str, Any]:
    party = _dict(party)
    return {
        key: party.get(key) or ""
        for key in ("name", "vat_id", "tax_registration_id", "legal_id", "country")
    }


_TOTAL_ROWS = (
    ("line_net", _("Sum of lines"), False),
    ("allowances", _("Allowances"), False),
    ("charges", _("Charges"), False),
    ("net", _("Net amount"), False),
    ("tax", _("VAT"), False),
    ("gross", _("Total incl. VAT"), True),
    ("prepaid", _("Paid in advance"), False),
    ("rounding", _("Rounding"), False),
    ("due", _("Amount due"), True),
)


def _invoice(data: dict[str, Any]) -> dict[str, Any]:
    totals = _dict(data.get("totals"))
    seller, buyer = _party(data.get("seller")), _party(data.get("buyer"))
    return {
        "parties": [(_("Seller"), seller), (_("Buyer"), buyer)],
        "total_rows": [
            (label, _amount(totals.get(key)), strong)
            for key, label, strong in _TOTAL_ROWS
            if _amount(totals.get(key)) is not None
        ],
        "layout": "invoice",
        "number": data.get("number") or "",
        "type_code": data.get("type_code") or "",
        "issue_date": _date(data.get("issue_date")),
        "due_date": _date(data.get("due_date")),
        "currency": data.get("currency") or "",
        "buyer_reference": data.get("buyer_reference") or "",
        "seller": seller,
        "buyer": buyer,
        "totals": {
            key: _amount(totals.get(key))
            for key in (
                "line_net",
                "allowances",
                "charges",
                "net",
                "tax",
                "gross",
                "prepaid",
                "rounding",
                "due",
            )
        },
        "vat_breakdown": [
            {
                "category": row.get("category") or "",
                "rate": _number(row.get("rate")),
                "taxable": _amount(row.get("taxable")),
                "tax": _amount(row.get("tax")),
            }
            for row in map(_dict, _list(data.get("vat_breakdown")))
        ],
        "lines": [
            {
                "id": row.get("id") or "",
                "name": row.get("name") or "",
                "quantity": _number(row.get("quantity")),
                "unit": row.get("unit") or "",
                "net": _amount(row.get("net")),
                "vat_category": row.get("vat_category") or "",
                "vat_rate": _number(row.get("vat_rate")),
            }
            for row in map(_dict, _list(data.get("lines")))
        ],
        "payment": {
            key: _dict(data.get("payment")).get(key) or ""
            for key in ("means_code", "iban", "remittance")
        },
    }


def _statement(data: dict[str, Any], page: str | int | None) -> dict[str, Any]:
    entries = [
        {
            "booking_date": _date(row.get("booking_date")),
            "value_date": _date(row.get("value_date")),
            "amount": _amount(row.get("amount")),
            "debit": row.get("credit_debit") == "DBIT",
            "counterparty": row.get("counterparty_name") or "",
            "counterparty_iban": row.get("counterparty_iban") or "",
            "reference": row.get("reference") or "",
            "remittance": row.get("remittance") or "",
        }
        for row in map(_dict, _list(data.get("entries")))
    ]
    return {
        "layout": "statement",
        "statement_id": data.get("statement_id") or "",
        "account_iban": data.get("account_iban") or "",
        "currency": data.get("currency") or "",
        "period": (_date(data.get("from")), _date(data.get("to"))),
        "opening_balance": _amount(data.get("opening_balance")),
        "closing_balance": _amount(data.get("closing_balance")),
        "entry_count": len(entries),
        "entries": Paginator(entries, STATEMENT_ENTRIES_PER_PAGE).get_page(page),
    }


def _address(address: Any) -> dict[str, str] | None:
    address = _dict(address)
    if not any(address.get(key) for key in ("name", "street", "town")):
        return None
    street = " ".join(filter(None, (address.get("street"), address.get("building_number"))))
    town = " ".join(filter(None, (address.get("postal_code"), address.get("town"))))
    return {
        "name": address.get("name") or "",
        "street": street,
        "town": town,
        "country": address.get("country") or "",
    }


def _bill(bill: Any) -> dict[str, Any] | None:
    if not isinstance(bill, dict):
        return None
    return {
        "invoice_number": bill.get("invoice_number") or "",
        "invoice_date": _date(bill.get("invoice_date")),
        "customer_reference": bill.get("customer_reference") or "",
        "vat_number": bill.get("vat_number") or "",
        "vat_dates": [d for d in map(_date, _list(bill.get("vat_dates"))) if d],
        "vat_rates": [
            (_number(r.get("rate")), _amount(r.get("amount")))
            for r in map(_dict, _list(bill.get("vat_rates")))
        ],
        "import_vat": [
            (_number(r.get("rate")), _amount(r.get("amount")))
            for r in map(_dict, _list(bill.get("import_vat")))
        ],
        "payment_conditions": [
            (_number(r.get("discount")), r.get("days"))
            for r in map(_dict, _list(bill.get("payment_conditions")))
        ],
    }


def _slip(data: dict[str, Any]) -> dict[str, Any]:
    creditor, debtor = _address(data.get("creditor")), _address(data.get("ultimate_debtor"))
    return {
        "layout": "slip",
        "addresses": [(_("Creditor"), creditor), (_("Debtor"), debtor)],
        "creditor": creditor,
        "debtor": debtor,
        "reference_type": data.get("reference_type") or "",
        "message": data.get("message") or "",
        "bill_information": data.get("bill_information") or "",
        "bill": _bill(data.get("bill")),
        "alternative_procedures": [str(p) for p in _list(data.get("alternative_procedures"))],
    }


def document_data_view(
    kind: str,
    data: dict[str, Any] | None,
    *,
    page: str | int | None = None,
    data_format: str = "",
) -> dict[str, Any] | None:
    """The page's view of ``data`` for a document of ``kind`` read as ``data_format``;
    ``None`` without data."""
    if not isinstance(data, dict):
        return None
    layout = _LAYOUT_OF_FORMAT.get(data_format) or _LAYOUT_OF_KIND.get(kind)
    if layout == "invoice":
        return _invoice(data)
    if layout == "statement":
        return _statement(data, page)
    if layout == "slip":
        return _slip(data)
    return None
