"""From a :class:`ledgerbridge.formats.Document` to the columns of a hub ``Document``.

The pending list and the search need a few fields of the canonical data as columns
(creditor, IBAN, amount, reference, due date, invoice number); duplicate detection needs
a key that is equal for the same payment arriving twice: ``IBAN|reference|amount`` for a
payment slip (without a reference: its invoice number or message stands in), ``seller|
invoice number`` for an invoice.

>>> from decimal import Decimal
>>> from ledgerbridge.formats import Address, PaymentSlip
>>> slip = PaymentSlip("CH44 3199 9123 0008 8901 2", Decimal("10.5"), "CHF", "QRR",
...                    "210000000003139471430009017", None, None, Address(name="Muster AG"))
>>> columns = slip_columns(slip)
>>> columns["amount"], columns["creditor_name"]
(Decimal('10.50'), 'Muster AG')
>>> dedupe_key(slip)
'slip|CH4431999123000889012|210000000003139471430009017|10.50'
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ledgerbridge.formats import BankStatement, BillInformation, Invoice, PaymentSlip

if TYPE_CHECKING:
    from ledgerbridge.formats.model import DocumentData

__all__ = ["columns_of", "dedupe_key", "slip_columns"]

_CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal("999999999999.99")  # Decimal(14, 2)


def _text(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _compact(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def _amount(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        rounded = value.quantize(_CENT)
    except InvalidOperation:
        return None
    return rounded if abs(rounded) <= _MAX_AMOUNT else None


def due_from_bill(bill: BillInformation | None) -> date | None:
    """The net due date of Swico S1 bill information: invoice date + the days at 0 %."""
    if bill is None or bill.invoice_date is None:
        return None
    net_days = [days for discount, days in bill.payment_conditions if discount == 0]
    return bill.invoice_date + timedelta(days=net_days[0]) if net_days else None


def slip_columns(slip: PaymentSlip) -> dict[str, Any]:
    bill = slip.bill
    return {
        "creditor_name": _text(slip.creditor.name, 200),
        "iban": _compact(slip.iban)[:34],
        "amount": _amount(slip.amount),
        "currency": _text(slip.currency, 3),
        "reference": _compact(slip.reference)[:64],
        "due_date": due_from_bill(bill),
        "invoice_number": _text(bill.invoice_number if bill else None, 200),
    }


def _invoice_columns(invoice: Invoice) -> dict[str, Any]:
    totals = invoice.totals
    return {
        "creditor_name": _text(invoice.seller.name, 200),
        "iban": _compact(invoice.payment.iban)[:34],
        "amount": _amount(totals.due if totals.due is not None else totals.gross),
        "currency": _text(invoice.currency, 3),
        "reference": _text(invoice.payment.remittance, 64),
        "due_date": invoice.due_date,
        "invoice_number": _text(invoice.number, 200),
    }


def _statement_columns(statement: BankStatement) -> dict[str, Any]:
    return {
        "creditor_name": "",
        "iban": _compact(statement.account_iban)[:34],
        "amount": _amount(statement.closing_balance),
        "currency": _text(statement.currency, 3),
        "reference": _text(statement.statement_id, 64),
        "due_date": None,
        "invoice_number": "",
    }


def columns_of(data: DocumentData) -> dict[str, Any]:
    """The denormalised columns of a document's data."""
    if isinstance(data, PaymentSlip):
        return slip_columns(data)
    if isinstance(data, Invoice):
        return _invoice_columns(data)
    return _statement_columns(data)


def _seller(invoice: Invoice) -> str:
    seller = invoice.seller
    ident = seller.vat_id or seller.tax_registration_id or seller.legal_id
    return _compact(ident) if ident else _text(seller.name, 200).casefold()


def _slip_anchor(columns: dict[str, Any], message: str | None) -> str:
    """What names the payment besides IBAN and amount: the reference, else the invoice
    number of the bill information, else the message (a slip without a reference)."""
    if columns["reference"]:
        return str(columns["reference"])
    if columns["invoice_number"]:
        return f"inv:{columns['invoice_number']}"
    text = _text(message, 140).casefold()
    return f"msg:{text}" if text else ""


def dedupe_key(data: DocumentData) -> str:
    """Equal for the same payment or invoice arriving again; empty when too little is known."""
    if isinstance(data, PaymentSlip):
        columns = slip_columns(data)
        anchor = _slip_anchor(columns, data.message)
        if not anchor:
            return ""
        return f"slip|{columns['iban']}|{anchor}|{columns['amount']}"
    if isinstance(data, Invoice):
        seller, number = _seller(data), _text(data.number, 200)
        return f"invoice|{seller}|{number}"[:300] if seller and number else ""
    if data.statement_id:
        return f"statement|{_compact(data.account_iban)}|{_text(data.statement_id, 100)}"
    return ""
