"""PEPPOL BIS rules that KoSIT's XRechnung 3.0 schematron takes over (PEPPOL-EN16931-R*).

KoSIT builds its schematron with a selection of the PEPPOL BIS Billing 3.0 rules. In UBL
they keep the PEPPOL flag (fatal); in CII every one of them is a warning, and the empty
element rule skips ``ram:ApplicableHeaderTradeDelivery``, which CII requires even when
it has nothing to say. Checked here:

* PEPPOL-EN16931-R008: no element without child elements and without text (XPath
  ``normalize-space``, which strips only space, tab, CR and LF);
* PEPPOL-EN16931-R101: a line's document reference (BT-128) is an invoiced object, type
  code ``130``;
* in UBL only, the document, allowance and line rules R001, R005, R010, R020, R041 …
  R044, R046, R053, R061, R110, R111, R121 and R130 (:func:`_ubl_rules`).

R054 (one VAT total without breakdown exactly when BT-6 is given) is left out: the
corpus's KoSIT emulation, which runs without the PEPPOL patterns, calls a file valid that
R054 would refuse. R040, R055 and R120 compare with PEPPOL's slack and are not checked.

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
...     b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
...     b"<cbc:Note> </cbc:Note><cbc:Note>x</cbc:Note></Invoice>"
... )
>>> found = check_peppol(root, "ubl")
>>> [(f.location, f.severity.value) for f in found if f.code == "PEPPOL-EN16931-R008"]
[('/Invoice/cbc:Note[1]', 'error')]
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from lxml import etree

from ledgerbridge.formats.en16931 import _cii, _ubl
from ledgerbridge.formats.en16931._model import dec
from ledgerbridge.formats.en16931._walk import location
from ledgerbridge.formats.model import Finding, Severity

__all__ = ["check_peppol"]

if TYPE_CHECKING:
    from collections.abc import Iterator

_PREFIXES = {**_ubl.PREFIXES, **_cii.PREFIXES}
_XPATH_SPACE = " \t\r\n"
_CII_DELIVERY = _cii.RAM + "ApplicableHeaderTradeDelivery"


def _empty(root: etree._Element, skip: str | None) -> Iterator[etree._Element]:
    for el in root.iter(etree.Element):
        text = el.text
        if (text and text.strip(_XPATH_SPACE)) or el.tag == skip:
            continue
        if len(el):
            # A comment's or processing instruction's tag is a function, not a name.
            first: object = el[0].tag
            if isinstance(first, str) or next(el.iterchildren(etree.Element), None) is not None:
                continue
            if "".join(child.tail or "" for child in el).strip(_XPATH_SPACE):
                continue
        yield el


def _ubl_r101(root: etree._Element) -> Iterator[etree._Element]:
    for tag in ("cac:InvoiceLine", "cac:CreditNoteLine"):
        for line in root.iter(_ubl.CAC + tag[4:]):
            references = _ubl.children(line, "cac:DocumentReference")
            codes = [_ubl.text(ref, "cbc:DocumentTypeCode") for ref in references]
            if references and "130" not in codes:
                yield line


def _cii_r101(root: etree._Element) -> Iterator[etree._Element]:
    for line in root.iter(_cii.RAM + "IncludedSupplyChainTradeLineItem"):
        references = _cii.children(
            line, "ram:SpecifiedLineTradeSettlement", "ram:AdditionalReferencedDocument"
        )
        codes = [_cii.text(ref, "ram:TypeCode") for ref in references]
        if references and "130" not in codes:
            yield line


Hit = tuple[str, etree._Element, str]


def _norm(value: str | None) -> str:
    return " ".join((value or "").split())


def _ubl_document(root: etree._Element) -> Iterator[Hit]:
    t, c = _ubl.text, _ubl.child
    if c(root, "cbc:ProfileID") is None:
        yield "R001", root, "Business process MUST be provided."
    totals = _ubl.children(root, "cac:TaxTotal")
    if sum(c(total, "cac:TaxSubtotal") is not None for total in totals) != 1:
        yield "R053", root, "Only one tax total with tax subtotals MUST be provided."
    tax_currency = c(root, "cbc:TaxCurrencyCode")
    if tax_currency is not None and _norm(t(tax_currency)) == _norm(
        t(root, "cbc:DocumentCurrencyCode")
    ):
        yield "R005", tax_currency, "BT-6 MUST differ from the invoice currency BT-5."
    for code, party in (
        ("R010", "cac:AccountingCustomerParty"),
        ("R020", "cac:AccountingSupplierParty"),
    ):
        node = c(root, party, "cac:Party")
        if node is not None and c(node, "cbc:EndpointID") is None:
            yield code, node, "The electronic address (BT-49, BT-34) MUST be provided."
    for means in _ubl.children(root, "cac:PaymentMeans"):
        code = _norm(t(means, "cbc:PaymentMeansCode"))
        if code in {"49", "59"} and c(means, "cac:PaymentMandate", "cbc:ID") is None:
            yield "R061", means, "Mandate reference MUST be provided for direct debit."


def _ubl_allowances(root: etree._Element, lines: list[etree._Element]) -> Iterator[Hit]:
    c = _ubl.child
    for charge in _ubl.children(root, "cac:AllowanceCharge") + [
        a for line in lines for a in _ubl.children(line, "cac:AllowanceCharge")
    ]:
        factor, base = c(charge, "cbc:MultiplierFactorNumeric"), c(charge, "cbc:BaseAmount")
        if factor is not None and base is None:
            yield "R041", charge, "The base amount MUST be provided with a percentage."
        if factor is None and base is not None:
            yield "R042", charge, "The percentage MUST be provided with a base amount."
        if _norm(_ubl.text(charge, "cbc:ChargeIndicator")) not in {"true", "false"}:
            yield "R043", charge, "ChargeIndicator MUST be 'true' or 'false'."
    for line in lines:
        price = _ubl.text(line, "cac:Price", "cbc:PriceAmount")
        for charge in _ubl.children(line, "cac:Price", "cac:AllowanceCharge"):
            if _norm(_ubl.text(charge, "cbc:ChargeIndicator")) != "false":
                yield "R044", charge, "Charge on price level is NOT allowed."
            if c(charge, "cbc:BaseAmount") is not None:
                net, gross = dec(price), dec(_ubl.text(charge, "cbc:BaseAmount"))
                amount = dec(_ubl.text(charge, "cbc:Amount"))
                if net is None or gross is None or amount is None or net != gross - amount:
                    yield "R046", charge, "The net price MUST equal gross price - allowance."


def _within(line: str | None, invoice: str | None, *, after: bool) -> bool:
    if line is None or invoice is None:
        return True
    try:
        ours, theirs = (datetime.date.fromisoformat(v.strip()) for v in (line, invoice))
    except ValueError:  # xs:date() of a non-date fails the assertion
        return False
    return ours >= theirs if after else ours <= theirs


def _ubl_lines(root: etree._Element, lines: list[etree._Element]) -> Iterator[Hit]:
    t, c = _ubl.text, _ubl.child
    start = t(root, "cac:InvoicePeriod", "cbc:StartDate")
    end = t(root, "cac:InvoicePeriod", "cbc:EndDate")
    for line in lines:
        if not _within(t(line, "cac:InvoicePeriod", "cbc:StartDate"), start, after=True):
            yield "R110", line, "The line period MUST start within the invoice period."
        if not _within(t(line, "cac:InvoicePeriod", "cbc:EndDate"), end, after=False):
            yield "R111", line, "The line period MUST end within the invoice period."
        base = c(line, "cac:Price", "cbc:BaseQuantity")
        if base is None:
            continue
        value = dec(t(base))
        if value is None or value <= 0:
            yield "R121", line, "Base quantity MUST be a positive number above zero."
        quantity = c(line, "cbc:InvoicedQuantity")
        if quantity is None:
            quantity = c(line, "cbc:CreditedQuantity")
        unit = base.get("unitCode")
        if unit is not None and quantity is not None and unit != quantity.get("unitCode"):
            yield "R130", line, "The base quantity's unit MUST be the invoiced quantity's."


def _ubl_rules(root: etree._Element) -> Iterator[Hit]:
    lines = _ubl.children(root, "cac:InvoiceLine") + _ubl.children(root, "cac:CreditNoteLine")
    yield from _ubl_document(root)
    yield from _ubl_allowances(root, lines)
    yield from _ubl_lines(root, lines)


def check_peppol(root: etree._Element, syntax: str) -> list[Finding]:
    """The PEPPOL rules of the XRechnung schematron for a ``"ubl"`` or ``"cii"`` root."""
    ubl = syntax == "ubl"
    severity = Severity.ERROR if ubl else Severity.WARNING
    found = [
        Finding(
            severity,
            "PEPPOL-EN16931-R008",
            location(el, _PREFIXES),
            "Document MUST not contain empty elements.",
        )
        for el in _empty(root, None if ubl else _CII_DELIVERY)
    ]
    found += [
        Finding(
            severity,
            "PEPPOL-EN16931-R101",
            location(line, _PREFIXES),
            "A line's document reference can only be an invoiced object (type code 130).",
        )
        for line in (_ubl_r101(root) if ubl else _cii_r101(root))
    ]
    if ubl:
        found += [
            Finding(Severity.ERROR, "PEPPOL-EN16931-" + code, location(el, _PREFIXES), message)
            for code, el, message in _ubl_rules(root)
        ]
    return found
