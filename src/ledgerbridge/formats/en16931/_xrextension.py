"""KoSIT XRechnung 3.0 extension rules on sub invoice lines and third party payments (UBL).

The extension adds SUB INVOICE LINE (BG-DEX-01, ``cac:SubInvoiceLine``, nested to any
depth) and THIRD PARTY PAYMENT (BG-DEX-09, ``cac:PrepaidPayment``) to the UBL invoice. The
schematron checks them only in an ``Invoice`` whose BT-24 names the extension:

* BR-DEX-02 (warning): the net amount (BT-131) of a line or sub line that has sub lines
  equals the sum of the net amounts of its direct sub lines, compared exactly;
* BR-DEX-03 (fatal): every sub line item has exactly one VAT category (BG-DEX-06);
* BR-DEX-10 … 14 (fatal): a third party payment has its type, amount and description,
  at most two decimals and the invoice currency.

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
...     b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
...     b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
...     b"<cac:InvoiceLine><cbc:LineExtensionAmount>10</cbc:LineExtensionAmount>"
...     b"<cac:SubInvoiceLine><cbc:LineExtensionAmount>9.99</cbc:LineExtensionAmount>"
...     b"</cac:SubInvoiceLine></cac:InvoiceLine></Invoice>"
... )
>>> [(f.code, f.location) for f in check_extension(root)]
[('BR-DEX-02', '/Invoice/cac:InvoiceLine')]
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931 import _ubl
from ledgerbridge.formats.en16931._model import dec, filled
from ledgerbridge.formats.en16931._rules import decimals_ok, error, warning
from ledgerbridge.formats.en16931._walk import location

if TYPE_CHECKING:
    from lxml import etree

    from ledgerbridge.formats.model import Finding

__all__ = ["check_extension"]

_PREFIXES = _ubl.PREFIXES
_SUB_LINE = _ubl.CAC + "SubInvoiceLine"
_INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"


def _sums_match(line: etree._Element) -> bool:
    subs = _ubl.children(line, "cac:SubInvoiceLine")
    amounts = [dec(_ubl.text(sub, "cbc:LineExtensionAmount")) for sub in subs]
    net = dec(_ubl.text(line, "cbc:LineExtensionAmount"))
    if net is None or None in amounts:
        return False
    return net == sum((a for a in amounts if a is not None), Decimal(0))


def _sub_lines(root: etree._Element) -> list[Finding]:
    found = []
    parents = _ubl.children(root, "cac:InvoiceLine") + [
        sub for sub in root.iter(_SUB_LINE) if _ubl.child(sub, "cac:SubInvoiceLine") is not None
    ]
    for line in parents:
        if _ubl.child(line, "cac:SubInvoiceLine") is not None and not _sums_match(line):
            found.append(
                warning(
                    "BR-DEX-02",
                    location(line, _PREFIXES),
                    "BT-131 should equal the sum of BT-131 of the direct sub invoice lines.",
                )
            )
    for sub in root.iter(_SUB_LINE):
        for item in _ubl.children(sub, "cac:Item"):
            if len(_ubl.children(item, "cac:ClassifiedTaxCategory")) != 1:
                found.append(
                    error(
                        "BR-DEX-03",
                        location(sub, _PREFIXES),
                        "A sub invoice line needs exactly one VAT information (BG-DEX-06).",
                    )
                )
    return found


def _third_party(root: etree._Element) -> list[Finding]:
    found = []
    currency = _ubl.text(root, "cbc:DocumentCurrencyCode")
    for payment in _ubl.children(root, "cac:PrepaidPayment"):
        where = location(payment, _PREFIXES)
        for code, name, term in (
            ("BR-DEX-10", "cbc:ID", "BT-DEX-001"),
            ("BR-DEX-11", "cbc:PaidAmount", "BT-DEX-002"),
            ("BR-DEX-12", "cbc:InstructionID", "BT-DEX-003"),
        ):
            if not filled(_ubl.text(payment, name)):
                found.append(error(code, where, f"A third party payment needs {term}."))
        amount = _ubl.child(payment, "cbc:PaidAmount")
        if not decimals_ok(_ubl.text(payment, "cbc:PaidAmount")):
            found.append(error("BR-DEX-13", where, "BT-DEX-002 has at most two decimals."))
        if amount is None or currency is None or amount.get("currencyID") != currency:
            found.append(error("BR-DEX-14", where, "BT-DEX-002 shall be in the currency BT-5."))
    return found


def check_extension(root: etree._Element) -> list[Finding]:
    """The extension rules of a UBL invoice whose BT-24 names the XRechnung extension."""
    if root.tag != _INVOICE:
        return []
    return _sub_lines(root) + _third_party(root)
