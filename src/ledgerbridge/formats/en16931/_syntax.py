"""Syntax rules of the CEN schematron that have no abstract counterpart (UBL-SR, UBL-DT,
CII-SR): cardinalities and attributes that only exist in one syntax.

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
... )
>>> check_ubl_syntax(root)
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931 import _cii, _ubl
from ledgerbridge.formats.en16931._rules import error, warning

if TYPE_CHECKING:
    from lxml import etree

    from ledgerbridge.formats.model import Finding

__all__ = ["check_cii_syntax", "check_ubl_syntax"]

_PAYMENT_ID = _ubl.CBC + "PaymentID"
_MEANS_CODE = _ubl.CBC + "PaymentMeansCode"
_BINARY = _ubl.CBC + "EmbeddedDocumentBinaryObject"
_TAX_SCHEME = _ubl.CAC + "PartyTaxScheme"
_SUB_LINE = _ubl.CAC + "SubInvoiceLine"


def _vat_company_ids(party: etree._Element | None) -> int:
    count = 0
    for scheme in _ubl.children(party, "cac:PartyTaxScheme"):
        tax = _ubl.text(scheme, "cac:TaxScheme", "cbc:ID")
        if tax is not None and tax.upper() == "VAT":
            count += len(_ubl.children(scheme, "cbc:CompanyID"))
    return count


def _distinct_texts(root: etree._Element, tag: str) -> int:
    return len({"".join(map(str, el.itertext())) for el in root.iter(tag)})


def check_ubl_syntax(root: etree._Element) -> list[Finding]:
    """UBL-SR-12/18/43/44/47/53, UBL-DT-06 and UBL-CR-646 (a warning)."""
    name = _ubl.etree_localname(root)
    r = f"/{name}"
    found = []
    seller = _ubl.child(root, "cac:AccountingSupplierParty", "cac:Party")
    buyer = _ubl.child(root, "cac:AccountingCustomerParty", "cac:Party")
    if _vat_company_ids(seller) > 1:
        found.append(error("UBL-SR-12", r, "Seller VAT identifier shall occur maximum once."))
    if _vat_company_ids(buyer) > 1:
        found.append(error("UBL-SR-18", r, "Buyer VAT identifier shall occur maximum once."))
    for index, ref in enumerate(_ubl.children(root, "cac:AdditionalDocumentReference"), 1):
        code = _ubl.text(ref, "cbc:DocumentTypeCode")
        ident = _ubl.child(ref, "cbc:ID")
        ok = (
            code == "130"
            or (name == "CreditNote" and code == "50")
            or (code is None and (ident is None or ident.get("schemeID") is None))
        )
        if not ok:
            where = f"{r}/cac:AdditionalDocumentReference[{index}]"
            found.append(error("UBL-SR-43", where, "Scheme identifier only for invoiced objects."))
    if _distinct_texts(root, _PAYMENT_ID) > 1:
        found.append(error("UBL-SR-44", r, "Payment ID shall occur maximum once."))
    if _distinct_texts(root, _MEANS_CODE) > 1:
        found.append(error("UBL-SR-47", r, "All payment means shall use the same code."))
    for scheme in root.iter(_TAX_SCHEME):
        if (
            _ubl.child(scheme, "cac:TaxScheme", "cbc:ID") is None
            or _ubl.child(scheme, "cbc:CompanyID") is None
        ):
            found.append(
                error("UBL-SR-53", r, "PartyTaxScheme needs a CompanyID and a TaxScheme ID.")
            )
    if next(root.iter(_SUB_LINE), None) is not None:
        found.append(
            warning("UBL-CR-646", r, "A UBL invoice should not include sub invoice lines.")
        )
    for binary in root.iter(_BINARY):
        if binary.get("mimeCode") is None:
            found.append(error("UBL-DT-06", r, "Binary object elements shall contain a mimeCode."))
    return found


def check_cii_syntax(root: etree._Element) -> list[Finding]:
    """CII-SR-452/453 (warnings) and CII-SR-461/462."""
    settlement = _cii.child(
        root, "rsm:SupplyChainTradeTransaction", "ram:ApplicableHeaderTradeSettlement"
    )
    r = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    r += "/ram:ApplicableHeaderTradeSettlement"
    found = []
    terms = _cii.children(settlement, "ram:SpecifiedTradePaymentTerms")
    if len(terms) > 1:
        found.append(warning("CII-SR-452", r, "Only one payment terms should be given."))
    if len(_cii.children(settlement, "ram:SpecifiedTradePaymentTerms", "ram:Description")) > 1:
        found.append(
            warning("CII-SR-453", r, "Only one payment terms description should be given.")
        )
    if len(_cii.children(settlement, "ram:ApplicableTradeTax", "ram:TaxPointDate")) > 1:
        found.append(error("CII-SR-461", r, "Value added tax point date shall occur maximum once."))
    codes = {"".join(map(str, c.itertext())) for c in root.iter(_cii.RAM + "DueDateTypeCode")}
    if len(codes) > 1:
        found.append(error("CII-SR-462", r, "Value added tax point date code shall be unique."))
    return found
