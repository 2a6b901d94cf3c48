"""The EN 16931 document totals and VAT sums: BR-12 … BR-15, BR-45 … BR-48,
BR-CO-10 … BR-CO-17 and the amount BR-DEC rules.

The sums reproduce the CEN schematron 1.3.x, including its rounding: totals are compared
after ``round(x*100) div 100`` and BR-CO-17 allows a deviation of one currency unit
(exclusive in the UBL binding, inclusive in the CII one). BR-CO-25 (a positive amount
due needs BT-9 or BT-20) is not checked: CEN withdrew it in schematron 1.3.16.

>>> from ledgerbridge.formats.en16931._model import Doc
>>> [f.code for f in check_totals(Doc(root="/Invoice", syntax="ubl", has_totals=True))][:4]
['BR-12', 'BR-13', 'BR-14', 'BR-15']
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931._model import Doc, Subtotal, dec, r2
from ledgerbridge.formats.en16931._rules import decimals_ok, error

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ledgerbridge.formats.model import Finding

__all__ = ["check_totals"]


def _sum(values: list[str | None]) -> Decimal:
    return sum((d for d in map(dec, values) if d is not None), Decimal(0))


def _totals(doc: Doc) -> Iterator[Finding]:
    if not doc.has_totals:
        return
    p = doc.totals_path
    for code, value, term in (
        ("BR-12", doc.line_total, "Sum of Invoice line net amount (BT-106)"),
        ("BR-13", doc.tax_exclusive, "Invoice total amount without VAT (BT-109)"),
        ("BR-14", doc.tax_inclusive, "Invoice total amount with VAT (BT-112)"),
        ("BR-15", doc.payable, "Amount due for payment (BT-115)"),
    ):
        if value is None:
            yield error(code, p, f"An Invoice shall have the {term}.")
    line_total = dec(doc.line_total)
    if line_total is None or line_total != r2(_sum([ln.net for ln in doc.lines])):
        yield error("BR-CO-10", p, "BT-106 shall equal the sum of the line net amounts.")
    for code, total, is_charge in (
        ("BR-CO-11", doc.allowance_total, False),
        ("BR-CO-12", doc.charge_total, True),
    ):
        amounts = [a.amount for a in doc.allowances if a.is_charge is is_charge]
        given = dec(total)
        if not (given is not None and given == r2(_sum(amounts))) and not (
            total is None and not amounts
        ):
            yield error(code, p, "The document level allowance/charge total does not match.")
    if not _co13(doc):
        yield error("BR-CO-13", p, "BT-109 shall equal BT-106 - BT-107 + BT-108.")
    if not _co16(doc):
        yield error("BR-CO-16", p, "BT-115 shall equal BT-112 - BT-113 + BT-114.")
    for code, value in (
        ("BR-DEC-09", doc.line_total),
        ("BR-DEC-10", doc.allowance_total),
        ("BR-DEC-11", doc.charge_total),
        ("BR-DEC-12", doc.tax_exclusive),
        ("BR-DEC-14", doc.tax_inclusive),
        ("BR-DEC-16", doc.prepaid),
        ("BR-DEC-17", doc.rounding),
        ("BR-DEC-18", doc.payable),
    ):
        if not decimals_ok(value):
            yield error(code, p, "The amount shall have at most 2 decimals.")


def _co13(doc: Doc) -> bool:
    net, lines = dec(doc.tax_exclusive), dec(doc.line_total)
    charges, allowances = dec(doc.charge_total), dec(doc.allowance_total)
    if net is None or lines is None:
        return False
    if doc.charge_total is None and doc.allowance_total is None:
        return net == lines
    expected = lines + (charges or Decimal(0)) - (allowances or Decimal(0))
    if (doc.charge_total is not None and charges is None) or (
        doc.allowance_total is not None and allowances is None
    ):
        return False
    return net == r2(expected)


def _co16(doc: Doc) -> bool:
    due, gross = dec(doc.payable), dec(doc.tax_inclusive)
    prepaid, rounding = dec(doc.prepaid), dec(doc.rounding)
    if due is None or gross is None:
        return False
    if doc.syntax == "cii":  # the CII binding compares exactly, absent terms count as 0
        return due == gross - (prepaid or Decimal(0)) + (rounding or Decimal(0))
    if doc.prepaid is not None and prepaid is None:
        return False
    paid = prepaid or Decimal(0)
    if doc.rounding is None:
        return due == (gross if doc.prepaid is None else r2(gross - paid))
    if rounding is None:
        return False
    left = r2(due - rounding)
    return left == (gross if doc.prepaid is None else r2(gross - paid))


def _taxes(doc: Doc) -> Iterator[Finding]:
    for total in doc.tax_totals:
        amount = dec(total.amount)
        summed = total.subtotal_taxes or total.sums_without_breakdowns
        if summed and (amount is None or amount != r2(_sum(total.subtotal_taxes))):
            yield error("BR-CO-14", total.path, "BT-110 shall equal the sum of BT-117.")
    if doc.currency is not None:
        in_currency = [
            t for t in doc.tax_totals if t.amount is not None and t.currency == doc.currency
        ]
        net, gross = dec(doc.tax_exclusive), dec(doc.tax_inclusive)
        tax = dec(in_currency[0].amount) if len(in_currency) == 1 else None
        ok = tax is not None and net is not None and gross is not None and gross == r2(net + tax)
        # The CII binding also accepts BT-112 = BT-109 (no VAT total given).
        ok = ok or (doc.syntax == "cii" and gross is not None and gross == net)
        if not ok:
            yield error("BR-CO-15", doc.root, "BT-112 shall equal BT-109 + BT-110.")
        for t in in_currency:
            if not decimals_ok(t.amount):
                yield error("BR-DEC-13", t.path, "BT-110 shall have at most 2 decimals.")
    for t in doc.tax_totals:
        in_tax_currency = doc.tax_currency is not None and t.currency == doc.tax_currency
        if in_tax_currency and not decimals_ok(t.amount):
            yield error("BR-DEC-15", t.path, "BT-111 shall have at most 2 decimals.")
    for sub in doc.subtotals:
        yield from _subtotal(sub)
        # BR-CO-17 reads the rate of the VAT category only; the CII binding admits a
        # deviation of exactly one currency unit (<=, >=), the UBL one does not (<, >).
        rate = sub.rate if sub.is_vat else None
        if not _co17(sub.taxable, sub.tax, rate, inclusive=doc.syntax == "cii"):
            yield error("BR-CO-17", sub.path, "BT-117 shall equal BT-116 x BT-119 / 100, rounded.")


def _subtotal(sub: Subtotal) -> Iterator[Finding]:
    path, category = sub.path, sub.category
    if sub.taxable is None:
        yield error("BR-45", path, "Each VAT breakdown shall have a taxable amount (BT-116).")
    if sub.tax is None:
        yield error("BR-46", path, "Each VAT breakdown shall have a tax amount (BT-117).")
    if not sub.coded:
        yield error("BR-47", path, "Each VAT breakdown shall have a category code (BT-118).")
    if sub.rate is None and (category is None or category.strip() != "O"):
        yield error("BR-48", path, "Each VAT breakdown shall have a rate (BT-119).")
    if not decimals_ok(sub.taxable):
        yield error("BR-DEC-19", path, "BT-116 shall have at most 2 decimals.")
    if not decimals_ok(sub.tax):
        yield error("BR-DEC-20", path, "BT-117 shall have at most 2 decimals.")


def _round(value: Decimal) -> Decimal:
    return r2(value / 100) * 100


def _co17(
    taxable_text: str | None, tax_text: str | None, rate_text: str | None, *, inclusive: bool
) -> bool:
    tax, rate, taxable = dec(tax_text), dec(rate_text), dec(taxable_text)
    if tax is None:
        return False
    if rate is None:
        return rate_text is None and _round(tax) == 0
    if _round(rate) == 0:
        return _round(tax) == 0
    if taxable is None:
        return False
    expected = r2(abs(taxable) * (rate / 100))
    if inclusive:
        return abs(tax) - 1 <= expected <= abs(tax) + 1
    return abs(tax) - 1 < expected < abs(tax) + 1


def check_totals(doc: Doc) -> list[Finding]:
    """The totals (BG-22) and VAT sum rules of the document."""
    return [*_totals(doc), *_taxes(doc)]
