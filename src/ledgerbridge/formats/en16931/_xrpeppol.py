"""PEPPOL BIS rules that KoSIT's XRechnung 3.0 schematron takes over (PEPPOL-EN16931-R*).

KoSIT builds its schematron with a selection of the PEPPOL BIS Billing 3.0 rules. In UBL
they keep the PEPPOL flag (fatal); in CII every one of them is a warning, and the empty
element rule skips ``ram:ApplicableHeaderTradeDelivery``, which CII requires even when
it has nothing to say. Checked here:

* PEPPOL-EN16931-R008: no element without child elements and without text (XPath
  ``normalize-space``, which strips only space, tab, CR and LF);
* PEPPOL-EN16931-R101: a line's document reference (BT-128) is an invoiced object, type
  code ``130``.

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
...     b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
...     b"<cbc:Note> </cbc:Note><cbc:Note>x</cbc:Note></Invoice>"
... )
>>> [(f.code, f.location, f.severity.value) for f in check_peppol(root, "ubl")]
[('PEPPOL-EN16931-R008', '/Invoice/cbc:Note[1]', 'error')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from ledgerbridge.formats.en16931 import _cii, _ubl
from ledgerbridge.formats.en16931._walk import location
from ledgerbridge.formats.model import Finding, Severity

__all__ = ["check_peppol"]

if TYPE_CHECKING:
    from collections.abc import Iterator

_PREFIXES = {
    _ubl.CAC: "cac",
    _ubl.CBC: "cbc",
    _cii.RSM: "rsm",
    _cii.RAM: "ram",
    _cii.UDT: "udt",
}
_XPATH_SPACE = " \t\r\n"
_CII_DELIVERY = _cii.RAM + "ApplicableHeaderTradeDelivery"


def _empty(root: etree._Element, skip: str | None) -> Iterator[etree._Element]:
    for el in root.iter(etree.Element):
        if len(el) == 0:
            text = el.text or ""
        elif any(isinstance(child.tag, str) for child in el):
            continue
        else:  # only comments or processing instructions: their tails are its text
            text = (el.text or "") + "".join(child.tail or "" for child in el)
        if not text.strip(_XPATH_SPACE) and el.tag != skip:
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
    return found
