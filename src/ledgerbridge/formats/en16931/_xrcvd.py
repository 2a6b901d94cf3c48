"""KoSIT XRechnung 3.0 rules of the clean vehicles profile (BR-DE-CVD-*), UBL and CII.

An invoice under the Clean Vehicles Directive (BT-24 names the XRechnung CVD profile)
references its contract (BT-12, BR-DE-CVD-01) and tender or lot (BT-17, BR-DE-CVD-02) and
has at least one line that classifies a vehicle with the scheme ``CVD`` (BT-158) and
carries the item attribute ``cva`` (BT-160, BR-DE-CVD-03). On each line the two come
in pairs (BR-DE-CVD-06-a/-b), the vehicle category is M1 … N3 (BR-DE-CVD-04) and the
``cva`` value is ``clean``, ``zero-emission`` or ``other`` (BR-DE-CVD-05). All are fatal.
Like the schematron, names and scheme identifiers are compared as they stand, values
after normalizing their white space.

>>> line = ("/Invoice/cac:InvoiceLine", [("CVD", "M1")], [])
>>> [f.code for f in _rules("/Invoice", None, "T-1", [line])]
['BR-DE-CVD-01', 'BR-DE-CVD-03', 'BR-DE-CVD-06-a']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931 import _cii, _ubl
from ledgerbridge.formats.en16931._model import filled
from ledgerbridge.formats.en16931._rules import error

if TYPE_CHECKING:
    from lxml import etree

    from ledgerbridge.formats.en16931._model import Doc
    from ledgerbridge.formats.model import Finding

__all__ = ["check_cvd"]

_CATEGORIES = frozenset({"M1", "M2", "M3", "N1", "N2", "N3"})
_CVA = frozenset({"clean", "zero-emission", "other"})

#: A line: its path, its classifications (scheme, code) and its attributes (name, value).
Item = tuple[str, list[tuple[str | None, str]], list[tuple[str | None, str | None]]]


def _ubl_items(root: etree._Element, doc: Doc) -> list[Item]:
    items = []
    for name in ("cac:InvoiceLine", "cac:CreditNoteLine"):
        for index, line in enumerate(_ubl.children(root, name), start=1):
            item = _ubl.child(line, "cac:Item")
            codes = _ubl.children(item, "cac:CommodityClassification", "cbc:ItemClassificationCode")
            items.append(
                (
                    f"{doc.root}/{name}[{index}]",
                    [(code.get("listID"), _ubl.text(code) or "") for code in codes],
                    [
                        (_ubl.text(prop, "cbc:Name"), _ubl.text(prop, "cbc:Value"))
                        for prop in _ubl.children(item, "cac:AdditionalItemProperty")
                    ],
                )
            )
    return items


def _cii_items(trade: etree._Element | None, doc: Doc) -> list[Item]:
    items = []
    path = f"{doc.root}/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    for index, line in enumerate(_cii.children(trade, "ram:IncludedSupplyChainTradeLineItem"), 1):
        product = _cii.child(line, "ram:SpecifiedTradeProduct")
        codes = _cii.children(product, "ram:DesignatedProductClassification", "ram:ClassCode")
        items.append(
            (
                f"{path}[{index}]",
                [(code.get("listID"), _cii.text(code) or "") for code in codes],
                [
                    (_cii.text(prop, "ram:Description"), _cii.text(prop, "ram:Value"))
                    for prop in _cii.children(product, "ram:ApplicableProductCharacteristic")
                ],
            )
        )
    return items


def _rules(r: str, contract: str | None, tender: str | None, items: list[Item]) -> list[Finding]:
    found = []
    if not filled(contract):
        found.append(
            error("BR-DE-CVD-01", r, "A CVD invoice needs the contract reference (BT-12).")
        )
    if not filled(tender):
        found.append(error("BR-DE-CVD-02", r, "A CVD invoice needs the tender or lot (BT-17)."))
    if not any(
        any(scheme == "CVD" for scheme, _ in codes) and any(n == "cva" for n, _ in attrs)
        for _, codes, attrs in items
    ):
        found.append(
            error("BR-DE-CVD-03", r, "A CVD invoice needs a line with a CVD class and 'cva'.")
        )
    for where, codes, attrs in items:
        vehicles = sum(scheme == "CVD" for scheme, _ in codes)
        reasons = [value for name, value in attrs if name == "cva"]
        if vehicles and len(reasons) != 1:
            found.append(error("BR-DE-CVD-06-a", where, "A CVD class needs one 'cva' attribute."))
        if reasons and vehicles != 1:
            found.append(error("BR-DE-CVD-06-b", where, "A 'cva' attribute needs one CVD class."))
        if any(
            " ".join((scheme or "").split()) == "CVD" and " ".join(code.split()) not in _CATEGORIES
            for scheme, code in codes
        ):
            found.append(error("BR-DE-CVD-04", where, "The vehicle category is M1 … N3."))
        if any(" ".join((value or "").split()) not in _CVA for value in reasons):
            found.append(error("BR-DE-CVD-05", where, "'cva' is clean, zero-emission or other."))
    return found


def check_cvd(root: etree._Element, doc: Doc) -> list[Finding]:
    """The CVD rules of a document whose BT-24 names the XRechnung CVD profile."""
    if doc.syntax == "ubl":
        contract = _ubl.text(root, "cac:ContractDocumentReference", "cbc:ID")
        tender = _ubl.text(root, "cac:OriginatorDocumentReference", "cbc:ID")
        return _rules(doc.root, contract, tender, _ubl_items(root, doc))
    trade = _cii.child(root, "rsm:SupplyChainTradeTransaction")
    agreement = _cii.child(trade, "ram:ApplicableHeaderTradeAgreement")
    contract = _cii.text(agreement, "ram:ContractReferencedDocument", "ram:IssuerAssignedID")
    tender = next(
        (
            _cii.text(ref, "ram:IssuerAssignedID")
            for ref in _cii.children(agreement, "ram:AdditionalReferencedDocument")
            if _cii.text(ref, "ram:TypeCode") == "50"
        ),
        None,
    )
    return _rules(doc.root, contract, tender, _cii_items(trade, doc))
