"""VAT category rules of EN 16931: BR-S-*, BR-Z-*, BR-E-*, BR-AE-*, BR-IC-*, BR-G-*, BR-O-*,
BR-AF-* (IGIC, code L) and BR-AG-* (IPSI, code M).

The nine categories share one shape (breakdown present, seller identified, rate, taxable
amount = lines - allowances + charges, tax amount, exemption reason); a
:class:`Category` row says how each category fills it, and one set of functions applies
them all.

>>> CATEGORIES["S"].prefix, CATEGORIES["K"].prefix
('BR-S', 'BR-IC')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931._model import Doc, Party, Subtotal, dec, r2
from ledgerbridge.formats.en16931._rules import error

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ledgerbridge.formats.model import Finding

__all__ = ["CATEGORIES", "check_vat"]


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    prefix: str
    name: str
    rate: str  # "positive", "zero", "absent", "non-negative"
    several: bool  # several breakdowns allowed (one per rate)
    exempt: bool  # an exemption reason is required (else forbidden)
    seller_vat_only: bool  # only a VAT-scheme seller identifier counts
    buyer_id: str  # "", "vat" or "vat-or-legal": buyer identifier also required


CATEGORIES = {
    c.code: c
    for c in (
        Category("S", "BR-S", "Standard rated", "positive", True, False, False, ""),
        Category("Z", "BR-Z", "Zero rated", "zero", False, False, False, ""),
        Category("E", "BR-E", "Exempt from VAT", "zero", False, True, False, ""),
        Category("AE", "BR-AE", "Reverse charge", "zero", False, True, False, "vat-or-legal"),
        Category("K", "BR-IC", "Intra-community supply", "zero", False, True, True, "vat"),
        Category("G", "BR-G", "Export outside the EU", "zero", False, True, True, ""),
        Category("O", "BR-O", "Not subject to VAT", "absent", False, True, True, ""),
        Category("L", "BR-AF", "IGIC", "non-negative", True, False, False, ""),
        Category("M", "BR-AG", "IPSI", "non-negative", True, False, False, ""),
    )
}


def _norm(value: str | None) -> str | None:
    return None if value is None else value.strip()


def _seller_identified(doc: Doc, cat: Category) -> bool:
    seller = doc.seller
    ids = (
        []
        if seller is None
        else seller.vat_ids + ([] if cat.seller_vat_only else seller.tax_reg_ids)
    )
    rep = doc.tax_rep.vat_ids if doc.tax_rep is not None else []
    return bool(ids or rep)


def _buyer_identified(buyer: Party | None, cat: Category) -> bool:
    if not cat.buyer_id:
        return True
    if buyer is None:
        return False
    return bool(buyer.vat_ids or (cat.buyer_id == "vat-or-legal" and buyer.legal_ids))


def _not_subject_ok(doc: Doc) -> bool:
    parties = (doc.seller, doc.tax_rep, doc.buyer)
    return not any(p is not None and p.vat_ids for p in parties)


def _identification(doc: Doc, cat: Category) -> Iterator[Finding]:
    if cat.code == "O":
        ok = _not_subject_ok(doc)
    else:
        ok = _seller_identified(doc, cat) and _buyer_identified(doc.buyer, cat)
    if ok:
        return
    used = (
        ("02", cat.code in doc.line_categories(), "line"),
        ("03", cat.code in doc.allowance_categories(charge=False), "document level allowance"),
        ("04", cat.code in doc.allowance_categories(charge=True), "document level charge"),
    )
    for suffix, present, where in used:
        if present:
            why = "no VAT identifiers" if cat.code == "O" else "the VAT identifiers"
            yield error(
                f"{cat.prefix}-{suffix}", doc.root, f"A {where} of category {cat.name} needs {why}."
            )


def _rate_ok(rate_text: str | None, cat: Category) -> bool:
    if cat.rate == "absent":
        return rate_text is None
    rate = dec(rate_text)
    if rate is None:
        return False
    if cat.rate == "positive":
        return rate > 0
    return rate == 0 if cat.rate == "zero" else rate >= 0


def _rates(doc: Doc, cat: Category) -> Iterator[Finding]:
    for line in doc.lines:
        if (
            line.has_vat_category
            and _norm(line.category) == cat.code
            and not _rate_ok(line.rate, cat)
        ):
            yield error(f"{cat.prefix}-05", line.path, f"Wrong VAT rate for category {cat.name}.")
    for ac in doc.allowances:
        if ac.has_vat_category and _norm(ac.category) == cat.code and not _rate_ok(ac.rate, cat):
            suffix = "07" if ac.is_charge else "06"
            yield error(f"{cat.prefix}-{suffix}", ac.path, f"Wrong VAT rate for {cat.name}.")


def _basis(doc: Doc, cat: Category, rate: Decimal | None) -> Decimal:
    """Σ line net + Σ charges - Σ allowances of a category (and rate, when given)."""
    total = Decimal(0)
    for line in doc.lines:
        if _norm(line.category) == cat.code and (rate is None or dec(line.rate) == rate):
            total += dec(line.net) or Decimal(0)
    for ac in doc.allowances:
        if _norm(ac.category) == cat.code and (rate is None or dec(ac.rate) == rate):
            amount = dec(ac.amount) or Decimal(0)
            total += amount if ac.is_charge else -amount
    return total


def _has_rate(doc: Doc, cat: Category, rate: Decimal) -> bool:
    return any(_norm(ln.category) == cat.code and dec(ln.rate) == rate for ln in doc.lines) or any(
        _norm(a.category) == cat.code and dec(a.rate) == rate for a in doc.allowances
    )


def _tax_matches(tax: Decimal | None, taxable: Decimal | None, rate: Decimal | None) -> bool:
    if tax is None or taxable is None or rate is None:
        return False
    expected = r2(abs(taxable) * rate / 100)
    return abs(tax) - 1 < expected < abs(tax) + 1


def _breakdown(doc: Doc, cat: Category, sub: Subtotal) -> Iterator[Finding]:
    p, prefix = sub.path, cat.prefix
    taxable, tax = dec(sub.taxable), dec(sub.tax)
    if cat.several:
        rate = dec(sub.rate)
        # -08 holds for every rate given (none: nothing to check); -09 compares the tax
        # with taxable x rate, and an absent term makes that comparison false.
        if rate is not None:
            basis = _basis(doc, cat, rate)
            ok = (
                _has_rate(doc, cat, rate)
                and taxable is not None
                and (taxable - 1 < basis < taxable + 1)
            )
            if not ok:
                yield error(f"{prefix}-08", p, f"Taxable amount of {cat.name} does not add up.")
        if not _tax_matches(tax, taxable, rate):
            yield error(f"{prefix}-09", p, f"Tax amount of {cat.name} is not taxable x rate.")
    else:
        if not doc.lines or taxable is None or taxable != _basis(doc, cat, None):
            yield error(f"{prefix}-08", p, f"Taxable amount of {cat.name} does not add up.")
        if tax is None or tax != 0:
            yield error(f"{prefix}-09", p, f"The tax amount of {cat.name} shall be 0.")
    has_reason = sub.exemption_reason is not None or sub.exemption_code is not None
    if has_reason is not cat.exempt:
        need = "needs" if cat.exempt else "shall not have"
        yield error(f"{prefix}-10", p, f"A breakdown of {cat.name} {need} an exemption reason.")


def _presence(doc: Doc, cat: Category) -> Iterator[Finding]:
    in_breakdown = [s for s in doc.subtotals if _norm(s.category) == cat.code]
    used = cat.code in doc.line_categories() or cat.code in doc.allowance_categories()
    if cat.several and doc.syntax == "cii":
        # The CII binding counts instead: a line (or a document level allowance or
        # charge) of the category passes with one breakdown or one more such line, and a
        # breakdown without them passes.
        lines = doc.line_categories().count(cat.code)
        charges = doc.allowance_categories().count(cat.code)
        given = len(in_breakdown)
        ok = (lines + given >= 2 or not lines) and (charges + given >= 2 or not charges)
    elif cat.several:
        ok = bool(in_breakdown) == used
    else:
        ok = (not used and not in_breakdown) or len(in_breakdown) == 1
    if not ok:
        yield error(f"{cat.prefix}-01", doc.root, f"The VAT breakdown does not match {cat.name}.")


def _not_subject(doc: Doc) -> Iterator[Finding]:
    if not any(_norm(s.category) == "O" for s in doc.subtotals):
        return
    if any(_norm(s.category) != "O" for s in doc.subtotals):
        yield error("BR-O-11", doc.root, "Not subject to VAT excludes other VAT breakdowns.")
    if any(c != "O" for c in doc.line_categories()):
        yield error("BR-O-12", doc.root, "Not subject to VAT excludes other line categories.")
    if any(c != "O" for c in doc.allowance_categories(charge=False)):
        yield error("BR-O-13", doc.root, "Not subject to VAT excludes other allowance categories.")
    if any(c != "O" for c in doc.allowance_categories(charge=True)):
        yield error("BR-O-14", doc.root, "Not subject to VAT excludes other charge categories.")


def _intra_community(doc: Doc) -> Iterator[Finding]:
    if not any(_norm(s.category) == "K" for s in doc.subtotals):
        return
    if not ((doc.delivery_date is not None and len(doc.delivery_date) > 1) or doc.period_given):
        yield error("BR-IC-11", doc.root, "Intra-community supply needs a delivery date or period.")
    country = doc.delivery_country[1] if doc.delivery_country is not None else None
    if country is None or len(country) <= 1:
        yield error("BR-IC-12", doc.root, "Intra-community supply needs a deliver to country.")


def check_vat(doc: Doc) -> list[Finding]:
    """The VAT category rules for every category used in the document."""
    findings: list[Finding] = []
    for cat in CATEGORIES.values():
        findings += _presence(doc, cat)
        findings += _identification(doc, cat)
        findings += _rates(doc, cat)
        for sub in doc.subtotals:
            # The breakdown rules (-08 … -10) read only a category code as the binding
            # gives it: in UBL, of a TaxCategory of the VAT scheme.
            if sub.coded and _norm(sub.category) == cat.code:
                findings += _breakdown(doc, cat, sub)
    findings += _not_subject(doc)
    findings += _intra_community(doc)
    return findings
