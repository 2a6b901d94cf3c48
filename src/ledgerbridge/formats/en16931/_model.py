"""The abstract EN 16931 model the business rules read: one shape for UBL and CII.

The bindings (:mod:`._ubl`, :mod:`._cii`) fill these plain objects from the syntax tree;
the rules (:mod:`._rules`, :mod:`._vat`) are written once against them, like the abstract
patterns of the CEN schematron. Text values are kept raw (``None`` = element absent,
``""`` = present but empty) so every rule can reproduce the schematron's exact test.
Decimal helpers mimic XPath: :func:`dec` is ``xs:decimal`` (``None`` if not a number) and
:func:`r2` is ``round(x * 100) div 100`` (half rounds towards positive infinity).

>>> r2(dec("2.345")), r2(dec("-2.345")), dec("1e3")
(Decimal('2.35'), Decimal('-2.34'), None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

__all__ = [
    "AllowanceCharge",
    "Doc",
    "Line",
    "Party",
    "Subtotal",
    "TaxTotal",
    "dec",
    "filled",
    "r2",
]

_DECIMAL = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$")
_HUNDRED = Decimal(100)
_HALF = Decimal("0.5")


def dec(text: str | None) -> Decimal | None:
    """``xs:decimal(text)``: the value, or ``None`` when absent or not a decimal literal."""
    if text is None or not _DECIMAL.match(text):
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def r2(value: Decimal) -> Decimal:
    """XPath ``round(value * 10 * 10) div 100``."""
    return (value * _HUNDRED + _HALF).to_integral_value(ROUND_FLOOR) / _HUNDRED


def filled(text: str | None) -> bool:
    """``normalize-space(x) != ''``."""
    return text is not None and text.strip() != ""


@dataclass
class Party:
    """A party (seller, buyer, payee, tax representative) as the rules see it."""

    path: str
    name: str | None = None  # BT-27 / BT-44 / BT-59 / BT-62 registration or party name
    trading_names: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)  # BT-29 / BT-46 / BT-60
    # How many of ``identifiers`` are UBL's bank assigned creditor identifier (BT-90, a
    # PartyIdentification with scheme "SEPA"), which does not identify the seller.
    sepa_ids: int = 0
    legal_ids: list[str] = field(default_factory=list)  # BT-30 / BT-47 / BT-61
    vat_ids: list[str] = field(default_factory=list)  # BT-31 / BT-48 / BT-63
    tax_reg_ids: list[str] = field(default_factory=list)  # BT-32
    has_address: bool = False
    country: str | None = None  # BT-40 / BT-55 / BT-69
    endpoint: str | None = None  # BT-34 / BT-49
    endpoint_scheme: str | None = None


@dataclass
class AllowanceCharge:
    """A document-level (BG-20/BG-21) or line-level (BG-27/BG-28) allowance or charge."""

    path: str
    is_charge: bool
    amount: str | None = None
    base_amount: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    category: str | None = None  # VAT category code (document level only)
    rate: str | None = None
    has_vat_category: bool = False


@dataclass
class Subtotal:
    """One VAT breakdown (BG-23)."""

    path: str
    taxable: str | None = None  # BT-116
    tax: str | None = None  # BT-117
    category: str | None = None  # BT-118
    rate: str | None = None  # BT-119
    exemption_reason: str | None = None  # BT-120
    exemption_code: str | None = None  # BT-121
    is_vat: bool = True  # the category belongs to the VAT scheme (TaxScheme / TypeCode)
    # BT-118 given as the binding asks (BR-47): UBL, the ID of a VAT TaxCategory; CII,
    # a CategoryCode whatever the TypeCode.
    coded: bool = False


@dataclass
class TaxTotal:
    """One ``TaxTotal`` (UBL) / the tax total amounts (CII), with its own breakdowns' taxes."""

    path: str
    amount: str | None
    currency: str | None
    subtotal_taxes: list[str | None] = field(default_factory=list)
    # BR-CO-14 holds even without breakdowns (the CII binding: Σ of none is 0); the UBL
    # binding skips a TaxTotal without TaxSubtotal.
    sums_without_breakdowns: bool = False


@dataclass
class Line:
    """One invoice line (BG-25)."""

    path: str
    id: str | None = None  # BT-126
    quantity: str | None = None  # BT-129
    unit: str | None = None  # BT-130
    net: str | None = None  # BT-131
    item_name: str | None = None  # BT-153
    price: str | None = None  # BT-146
    gross_price: str | None = None  # BT-148
    category: str | None = None  # BT-151
    rate: str | None = None  # BT-152
    has_vat_category: bool = False
    period: tuple[str | None, str | None] | None = None  # BG-26 start, end
    allowances: list[AllowanceCharge] = field(default_factory=list)
    standard_ids: list[tuple[str, str | None]] = field(default_factory=list)  # (id, scheme)
    classifications: list[tuple[str, str | None]] = field(default_factory=list)
    attributes: list[tuple[str | None, str | None]] = field(default_factory=list)


@dataclass
class Doc:
    """One invoice or credit note, syntax-neutral."""

    root: str
    syntax: str  # "ubl" or "cii"
    customization: str | None = None  # BT-24
    number: str | None = None  # BT-1
    issue_date: str | None = None  # BT-2
    type_code: str | None = None  # BT-3
    currency: str | None = None  # BT-5
    tax_currency: str | None = None  # BT-6
    tax_point_date: str | None = None  # BT-7
    tax_point_code: str | None = None  # BT-8
    due_date: str | None = None  # BT-9
    payment_terms: str | None = None  # BT-20
    seller: Party | None = None
    buyer: Party | None = None
    payee: Party | None = None
    tax_rep: Party | None = None
    tax_rep_has_address: bool = False
    delivery_country: tuple[str, str | None] | None = None  # (path, BT-80)
    delivery_date: str | None = None  # BT-72
    period: tuple[str | None, str | None] | None = None  # BG-14 start, end
    period_given: bool = False  # BG-14 holds a date (UBL: any child; CII: start or end)
    totals_path: str = ""
    has_totals: bool = False
    line_total: str | None = None  # BT-106
    allowance_total: str | None = None  # BT-107
    charge_total: str | None = None  # BT-108
    tax_exclusive: str | None = None  # BT-109
    tax_totals: list[TaxTotal] = field(default_factory=list)  # BT-110/111
    tax_inclusive: str | None = None  # BT-112
    prepaid: str | None = None  # BT-113
    rounding: str | None = None  # BT-114
    payable: str | None = None  # BT-115
    subtotals: list[Subtotal] = field(default_factory=list)
    allowances: list[AllowanceCharge] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    payment_means: list[tuple[str, str | None, list[str | None]]] = field(default_factory=list)
    card_numbers: list[str] = field(default_factory=list)
    supporting_doc_ids: list[tuple[str, str | None]] = field(default_factory=list)
    preceding_invoices: list[tuple[str, str | None]] = field(default_factory=list)

    def line_categories(self) -> list[str]:
        return [ln.category.strip() for ln in self.lines if ln.category is not None]

    def allowance_categories(self, *, charge: bool | None = None) -> list[str]:
        return [
            a.category.strip()
            for a in self.allowances
            if a.category is not None and (charge is None or a.is_charge is charge)
        ]
