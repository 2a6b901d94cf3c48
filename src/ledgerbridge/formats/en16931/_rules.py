"""The syntax-neutral EN 16931 business rules: BR-01 … BR-65, BR-CO-*, BR-DEC-*.

Each rule reads the abstract :class:`~._model.Doc` and reproduces the test of the CEN
schematron 1.3.x (including its rounding: sums are compared after ``round(x*100) div 100``
and some VAT checks allow a tolerance of one currency unit). A rule that fails yields a
:class:`~ledgerbridge.formats.model.Finding` with the official ID as its code.

>>> from ledgerbridge.formats.en16931._model import Doc
>>> sorted(f.code for f in check_core(Doc(root="/Invoice", syntax="ubl")))[:3]
['BR-01', 'BR-02', 'BR-03']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from ledgerbridge.formats.en16931._model import (
    AllowanceCharge,
    Doc,
    Line,
    Party,
    dec,
    filled,
    r2,
)
from ledgerbridge.formats.model import Finding, Severity

__all__ = ["COUNTRIES", "check_core", "error", "warning"]

COUNTRIES = frozenset(
    [
        "1A",
        "AD",
        "AE",
        "AF",
        "AG",
        "AI",
        "AL",
        "AM",
        "AO",
        "AQ",
        "AR",
        "AS",
        "AT",
        "AU",
        "AW",
        "AX",
        "AZ",
        "BA",
        "BB",
        "BD",
        "BE",
        "BF",
        "BG",
        "BH",
        "BI",
        "BJ",
        "BL",
        "BM",
        "BN",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BT",
        "BV",
        "BW",
        "BY",
        "BZ",
        "CA",
        "CC",
        "CD",
        "CF",
        "CG",
        "CH",
        "CI",
        "CK",
        "CL",
        "CM",
        "CN",
        "CO",
        "CR",
        "CU",
        "CV",
        "CW",
        "CX",
        "CY",
        "CZ",
        "DE",
        "DJ",
        "DK",
        "DM",
        "DO",
        "DZ",
        "EC",
        "EE",
        "EG",
        "EH",
        "EL",
        "ER",
        "ES",
        "ET",
        "FI",
        "FJ",
        "FK",
        "FM",
        "FO",
        "FR",
        "GA",
        "GB",
        "GD",
        "GE",
        "GF",
        "GG",
        "GH",
        "GI",
        "GL",
        "GM",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GS",
        "GT",
        "GU",
        "GW",
        "GY",
        "HK",
        "HM",
        "HN",
        "HR",
        "HT",
        "HU",
        "ID",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "IS",
        "IT",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KG",
        "KH",
        "KI",
        "KM",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "KZ",
        "LA",
        "LB",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MK",
        "ML",
        "MM",
        "MN",
        "MO",
        "MP",
        "MQ",
        "MR",
        "MS",
        "MT",
        "MU",
        "MV",
        "MW",
        "MX",
        "MY",
        "MZ",
        "NA",
        "NC",
        "NE",
        "NF",
        "NG",
        "NI",
        "NL",
        "NO",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PF",
        "PG",
        "PH",
        "PK",
        "PL",
        "PM",
        "PN",
        "PR",
        "PS",
        "PT",
        "PW",
        "PY",
        "QA",
        "RE",
        "RO",
        "RS",
        "RU",
        "RW",
        "SA",
        "SB",
        "SC",
        "SD",
        "SE",
        "SG",
        "SH",
        "SI",
        "SJ",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SR",
        "SS",
        "ST",
        "SV",
        "SX",
        "SY",
        "SZ",
        "TC",
        "TD",
        "TF",
        "TG",
        "TH",
        "TJ",
        "TK",
        "TL",
        "TM",
        "TN",
        "TO",
        "TR",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UA",
        "UG",
        "UM",
        "US",
        "UY",
        "UZ",
        "VA",
        "VC",
        "VE",
        "VG",
        "VI",
        "VN",
        "VU",
        "WF",
        "WS",
        "XI",
        "YE",
        "YT",
        "ZA",
        "ZM",
        "ZW",
    ]
)

Emit = Callable[[str, str, str], None]


def error(code: str, location: str, message: str) -> Finding:
    return Finding(Severity.ERROR, code, location, message)


def warning(code: str, location: str, message: str) -> Finding:
    return Finding(Severity.WARNING, code, location, message)


def _decimals_ok(value: str | None) -> bool:
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


def _parties(doc: Doc) -> Iterator[Finding]:
    for party, codes in ((doc.seller, ("BR-09", "Seller")), (doc.buyer, ("BR-11", "Buyer"))):
        if party is not None and party.has_address and not filled(party.country):
            yield error(
                codes[0], f"{party.path}/PostalAddress", f"{codes[1]} country code missing."
            )
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
    if doc.seller is not None and not (
        doc.seller.vat_ids or doc.seller.identifiers or doc.seller.legal_ids
    ):
        yield error("BR-CO-26", doc.seller.path, "Seller identifier, legal or VAT id needed.")
    for party in (doc.seller, doc.buyer, doc.tax_rep, doc.payee):
        if party is None:
            continue
        for vat_id in party.vat_ids:
            if vat_id[:2] not in COUNTRIES:
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
    if not _decimals_ok(ac.amount):
        yield error(decimals[0], ac.path, "The amount shall have at most 2 decimals.")
    if not _decimals_ok(ac.base_amount):
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
    if not _decimals_ok(line.net):
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


def _payments(doc: Doc) -> Iterator[Finding]:
    for path, code, accounts in doc.payment_means:
        if code is None:
            yield error("BR-49", path, "A payment instruction needs a Payment means code (BT-81).")
        credit_transfer = code is not None and code.strip() in {"30", "58"}
        for account in accounts if credit_transfer else []:
            if not filled(account):
                yield error("BR-50", path, "A payment account identifier (BT-84) is needed.")
        if credit_transfer and not any(a is not None for a in accounts):
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
    yield from _co25(doc)
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
        if not _decimals_ok(value):
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


def _co25(doc: Doc) -> Iterator[Finding]:
    due = dec(doc.payable)
    if doc.root != "/Invoice" and doc.syntax == "ubl":
        return
    if due is not None and due > 0 and doc.due_date is None and doc.payment_terms is None:
        yield error("BR-CO-25", doc.totals_path, "A positive amount due needs BT-9 or BT-20.")


def _taxes(doc: Doc) -> Iterator[Finding]:
    for total in doc.tax_totals:
        amount = dec(total.amount)
        if total.subtotal_taxes and (amount is None or amount != r2(_sum(total.subtotal_taxes))):
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
            if not _decimals_ok(t.amount):
                yield error("BR-DEC-13", t.path, "BT-110 shall have at most 2 decimals.")
    for t in doc.tax_totals:
        in_tax_currency = doc.tax_currency is not None and t.currency == doc.tax_currency
        if in_tax_currency and not _decimals_ok(t.amount):
            yield error("BR-DEC-15", t.path, "BT-111 shall have at most 2 decimals.")
    for sub in doc.subtotals:
        yield from _subtotal(sub.path, sub.taxable, sub.tax, sub.category, sub.rate)
        # BR-CO-17 reads the rate of the VAT category only.
        if not _co17(sub.taxable, sub.tax, sub.rate if sub.is_vat else None):
            yield error("BR-CO-17", sub.path, "BT-117 shall equal BT-116 x BT-119 / 100, rounded.")


def _subtotal(
    path: str, taxable: str | None, tax: str | None, category: str | None, rate: str | None
) -> Iterator[Finding]:
    if taxable is None:
        yield error("BR-45", path, "Each VAT breakdown shall have a taxable amount (BT-116).")
    if tax is None:
        yield error("BR-46", path, "Each VAT breakdown shall have a tax amount (BT-117).")
    if category is None:
        yield error("BR-47", path, "Each VAT breakdown shall have a category code (BT-118).")
    if rate is None and (category is None or category.strip() != "O"):
        yield error("BR-48", path, "Each VAT breakdown shall have a rate (BT-119).")
    if not _decimals_ok(taxable):
        yield error("BR-DEC-19", path, "BT-116 shall have at most 2 decimals.")
    if not _decimals_ok(tax):
        yield error("BR-DEC-20", path, "BT-117 shall have at most 2 decimals.")


def _round(value: Decimal) -> Decimal:
    return r2(value / 100) * 100


def _co17(taxable_text: str | None, tax_text: str | None, rate_text: str | None) -> bool:
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
    return abs(tax) - 1 < expected < abs(tax) + 1


def check_core(doc: Doc) -> list[Finding]:
    """All syntax-neutral rules except the VAT category ones."""
    findings = [*_document(doc), *_parties(doc), *_allowances(doc), *_payments(doc)]
    findings += [*_totals(doc), *_taxes(doc)]
    if doc.period is not None:
        findings += _period(doc.root, doc.period, ("BR-29", ""))
        if doc.period == (None, None) and doc.tax_point_code is None:
            findings.append(error("BR-CO-19", doc.root, "An invoicing period needs a date."))
    for line in doc.lines:
        findings += _line(line)
    return findings
