"""The syntax-neutral EN 16931 business rules: BR-01 … BR-65, BR-CO-*, BR-DEC-*.

Each rule reads the abstract :class:`~._model.Doc` and reproduces the test of the CEN
schematron 1.3.x. A rule that fails yields a :class:`~ledgerbridge.formats.model.Finding`
with the official ID as its code. This module holds the presence, party, line and
payment rules; the document totals and VAT sums live in :mod:`._totals`.

>>> from ledgerbridge.formats.en16931._model import Doc
>>> sorted(f.code for f in check_core(Doc(root="/Invoice", syntax="ubl")))[:3]
['BR-01', 'BR-02', 'BR-03']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931._codelists import VAT_PREFIXES
from ledgerbridge.formats.en16931._model import (
    AllowanceCharge,
    Doc,
    Line,
    Party,
    dec,
    filled,
)
from ledgerbridge.formats.model import Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["check_core", "decimals_ok", "error", "warning"]


def error(code: str, location: str, message: str) -> Finding:
    return Finding(Severity.ERROR, code, location, message)


def warning(code: str, location: str, message: str) -> Finding:
    return Finding(Severity.WARNING, code, location, message)


def decimals_ok(value: str | None) -> bool:
    """``string-length(substring-after(value, '.')) <= 2``."""
    return value is None or len(value.partition(".")[2]) <= 2


def _document(doc: Doc) -> Iterator[Finding]:
    r = doc.root
    if not filled(doc.customization):
        yield error("BR-01", r, "An Invoice shall have a Specification identifier (BT-24).")
    if not filled(doc.number):
        yield error("BR-02", r, "An Invoice shall have an Invoice number (BT-1).")
    if not filled(doc.issue_date):
        yield error("BR-03", r, "An Invoice shall have an Invoice issue date (BT-2).")
    if not filled(doc.type_code):
        yield error("BR-04", r, "An Invoice shall have an Invoice type code (BT-3).")
    if not filled(doc.currency):
        yield error("BR-05", r, "An Invoice shall have an Invoice currency code (BT-5).")
    if doc.seller is None or not filled(doc.seller.name):
        yield error("BR-06", r, "An Invoice shall contain the Seller name (BT-27).")
    if doc.buyer is None or not filled(doc.buyer.name):
        yield error("BR-07", r, "An Invoice shall contain the Buyer name (BT-44).")
    if doc.seller is None or not doc.seller.has_address:
        yield error("BR-08", r, "An Invoice shall contain the Seller postal address (BG-5).")
    if doc.buyer is None or not doc.buyer.has_address:
        yield error("BR-10", r, "An Invoice shall contain the Buyer postal address (BG-8).")
    if not doc.lines:
        yield error("BR-16", r, "An Invoice shall have at least one Invoice line (BG-25).")
    if filled(doc.tax_point_date) and doc.tax_point_code is not None:
        yield error(
            "BR-CO-03", r, "Value added tax point date (BT-7) and code (BT-8) are exclusive."
        )
    if not doc.subtotals:
        yield error(
            "BR-CO-18", r, "An Invoice shall at least have one VAT breakdown group (BG-23)."
        )
    for currency in [doc.tax_currency] if doc.tax_currency is not None else []:
        given = any(t.currency == currency and t.amount is not None for t in doc.tax_totals)
        if not given or (doc.syntax == "cii" and currency == doc.currency):
            yield error(
                "BR-53", r, "With a VAT accounting currency (BT-6), BT-111 shall be provided."
            )


def _country_missing(doc: Doc, party: Party | None) -> bool:
    if doc.syntax == "cii":
        # The CII binding asks the invoice for a non-empty CountryID of the party, so a
        # missing party or address fires the rule too.
        return party is None or not party.country
    return party is not None and party.has_address and not filled(party.country)


def _parties(doc: Doc) -> Iterator[Finding]:
    for party, codes in ((doc.seller, ("BR-09", "Seller")), (doc.buyer, ("BR-11", "Buyer"))):
        if _country_missing(doc, party):
            where = doc.root if party is None else f"{party.path}/PostalAddress"
            yield error(codes[0], where, f"{codes[1]} country code missing.")
    for party, code in ((doc.seller, "BR-62"), (doc.buyer, "BR-63")):
        if party is not None and party.endpoint is not None and party.endpoint_scheme is None:
            yield error(code, f"{party.path}/EndpointID", "Electronic address needs a scheme.")
    if doc.payee is not None and not _payee_ok(doc.payee, doc.seller):
        yield error("BR-17", doc.payee.path, "The Payee name shall be provided if not the Seller.")
    rep = doc.tax_rep
    if rep is not None:
        if not filled(rep.name):
            yield error("BR-18", rep.path, "The Seller tax representative name is missing.")
        if not rep.has_address:
            yield error("BR-19", rep.path, "The Seller tax representative address is missing.")
        elif not filled(rep.country):
            yield error("BR-20", rep.path, "The tax representative address needs a country.")
        if not rep.vat_ids:
            yield error("BR-56", rep.path, "The Seller tax representative needs a VAT identifier.")
    if doc.delivery_country is not None and doc.delivery_country[1] is None:
        yield error("BR-57", doc.delivery_country[0], "Deliver to address needs a country code.")
    seller = doc.seller
    if seller is not None and not (
        seller.vat_ids or len(seller.identifiers) > seller.sepa_ids or seller.legal_ids
    ):
        yield error("BR-CO-26", seller.path, "Seller identifier, legal or VAT id needed.")
    for party in (doc.seller, doc.buyer, doc.tax_rep, doc.payee):
        if party is None:
            continue
        for vat_id in party.vat_ids:
            if vat_id[:2] not in VAT_PREFIXES:
                yield error("BR-CO-09", party.path, f"VAT identifier {vat_id!r} needs a prefix.")


def _payee_ok(payee: Party, seller: Party | None) -> bool:
    if not payee.trading_names:
        return False
    if seller is None:
        return True
    same_name = bool(set(payee.trading_names) & set(seller.trading_names))
    same_id = bool(set(payee.identifiers) & set(seller.identifiers))
    return not same_name and not same_id


def _period(
    loc: str, period: tuple[str | None, str | None], codes: tuple[str, str]
) -> Iterator[Finding]:
    start, end = period
    if start is not None and end is not None and end.strip() < start.strip():
        yield error(codes[0], loc, "The period end date shall not be before its start date.")


def _allowances(doc: Doc) -> Iterator[Finding]:
    for ac in doc.allowances:
        amount, category, reason = (
            ("BR-36", "BR-37", "BR-38") if ac.is_charge else ("BR-31", "BR-32", "BR-33")
        )
        co = "BR-CO-22" if ac.is_charge else "BR-CO-21"
        dec_amount, dec_base = (
            ("BR-DEC-05", "BR-DEC-06") if ac.is_charge else ("BR-DEC-01", "BR-DEC-02")
        )
        yield from _allowance_common(ac, amount, reason, co, (dec_amount, dec_base))
        if not ac.has_vat_category:
            yield error(
                category, ac.path, "A document level allowance/charge needs a VAT category."
            )


def _allowance_common(
    ac: AllowanceCharge, amount: str, reason: str, co: str, decimals: tuple[str, str]
) -> Iterator[Finding]:
    if ac.amount is None:
        yield error(amount, ac.path, "An allowance or charge shall have an amount.")
    if ac.reason is None and ac.reason_code is None:
        yield error(reason, ac.path, "An allowance or charge needs a reason or a reason code.")
        yield error(co, ac.path, "An allowance or charge needs a reason or a reason code.")
    if not decimals_ok(ac.amount):
        yield error(decimals[0], ac.path, "The amount shall have at most 2 decimals.")
    if not decimals_ok(ac.base_amount):
        yield error(decimals[1], ac.path, "The base amount shall have at most 2 decimals.")


def _line(line: Line) -> Iterator[Finding]:
    p = line.path
    if not filled(line.id):
        yield error("BR-21", p, "Each Invoice line shall have an identifier (BT-126).")
    if line.quantity is None:
        yield error("BR-22", p, "Each Invoice line shall have an Invoiced quantity (BT-129).")
    if line.unit is None:
        yield error("BR-23", p, "An invoiced quantity shall have a unit of measure (BT-130).")
    if line.net is None:
        yield error("BR-24", p, "Each Invoice line shall have a net amount (BT-131).")
    if not filled(line.item_name):
        yield error("BR-25", p, "Each Invoice line shall contain the Item name (BT-153).")
    if line.price is None:
        yield error("BR-26", p, "Each Invoice line shall contain the Item net price (BT-146).")
    price = dec(line.price)
    if price is None or price < 0:
        yield error("BR-27", p, "The Item net price (BT-146) shall NOT be negative.")
    gross = dec(line.gross_price)
    if line.gross_price is not None and (gross is None or gross < 0):
        yield error("BR-28", p, "The Item gross price (BT-148) shall NOT be negative.")
    if not line.has_vat_category:
        yield error("BR-CO-04", p, "Each Invoice line shall have a VAT category code (BT-151).")
    if line.period is not None:
        yield from _period(p, line.period, ("BR-30", ""))
        if line.period == (None, None):
            yield error("BR-CO-20", p, "A line period needs a start or an end date.")
    if not decimals_ok(line.net):
        yield error("BR-DEC-23", p, "The line net amount shall have at most 2 decimals.")
    for ac in line.allowances:
        codes = (
            ("BR-43", "BR-44", "BR-CO-24", "BR-DEC-27", "BR-DEC-28")
            if ac.is_charge
            else ("BR-41", "BR-42", "BR-CO-23", "BR-DEC-24", "BR-DEC-25")
        )
        yield from _allowance_common(ac, codes[0], codes[1], codes[2], (codes[3], codes[4]))
    for value, scheme in line.standard_ids:
        if scheme is None:
            yield error("BR-64", p, f"Item standard identifier {value!r} needs a scheme.")
    for value, scheme in line.classifications:
        if scheme is None:
            yield error("BR-65", p, f"Item classification {value!r} needs a scheme.")
    for attr_name, attr_value in line.attributes:
        if attr_name is None or attr_value is None:
            yield error("BR-54", p, "Each Item attribute shall have a name and a value.")


def _account_missing(doc: Doc, accounts: list[str | None]) -> bool:
    if doc.syntax == "cii":
        # The CII binding asks each creditor account for an IBAN or proprietary ID; a
        # credit transfer without any account is CII-SR-470, a syntax rule.
        return any(a is None for a in accounts)
    return not any(a is not None for a in accounts)


def _payments(doc: Doc) -> Iterator[Finding]:
    for path, code, accounts in doc.payment_means:
        if code is None:
            yield error("BR-49", path, "A payment instruction needs a Payment means code (BT-81).")
        credit_transfer = code is not None and code.strip() in {"30", "58"}
        for account in accounts if credit_transfer else []:
            if not filled(account):
                yield error("BR-50", path, "A payment account identifier (BT-84) is needed.")
        if credit_transfer and _account_missing(doc, accounts):
            yield error("BR-61", path, "Credit transfer needs a payment account (BT-84).")
    for pan in doc.card_numbers:
        if len(pan.strip()) > 10:
            yield warning("BR-51", doc.root, "Only the last 4 to 6 card digits may be shown.")
    for path, ident in doc.supporting_doc_ids:
        if not filled(ident):
            yield error("BR-52", path, "A supporting document needs an identifier (BT-122).")
    for path, ident in doc.preceding_invoices:
        if ident is None:
            yield error("BR-55", path, "A Preceding invoice reference needs a number (BT-25).")


def check_core(doc: Doc) -> list[Finding]:
    """The syntax-neutral rules except the totals (:mod:`._totals`) and VAT categories."""
    findings = [*_document(doc), *_parties(doc), *_allowances(doc), *_payments(doc)]
    if doc.period is not None:
        findings += _period(doc.root, doc.period, ("BR-29", ""))
        if doc.period == (None, None) and doc.tax_point_code is None:
            findings.append(error("BR-CO-19", doc.root, "An invoicing period needs a date."))
    for line in doc.lines:
        findings += _line(line)
    return findings
