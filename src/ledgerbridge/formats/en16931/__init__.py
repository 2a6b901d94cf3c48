"""EN 16931 business rules for UBL 2.1 and CII D16B, reported with the official rule IDs.

Each rule is written once against an abstract accessor layer (:mod:`._model`); the UBL
and CII bindings supply the values, like the abstract/binding split of the CEN schematron.
The functions here return :class:`~ledgerbridge.formats.model.Finding` values whose
``code`` is the rule ID of the CEN schematron 1.3.x (``BR-01``, ``BR-CO-15``, ``BR-S-08``
...), with severity ``warning`` where the schematron flags the rule as a warning.

Profiles that extend EN 16931 relax some CEN code-list rules, the way KoSIT's XRechnung
extension does. The Factur-X / ZUGFeRD EXTENDED profile validates codes against its own
code lists (the ``FACTUR-X_EXTENDED_codedb.xml`` of its schematron), which carry codes
that CEN rejects: UNTDID 7161 codes as allowance reasons and endpoint schemes outside the
CEN EAS list, as the FeRD EXTENDED reference invoices use them. In an EXTENDED invoice
the reason-code and endpoint-scheme rules (:data:`EXTENDED_WIDENED`) are therefore
warnings; every other code-list rule keeps its CEN severity.

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
... )
>>> "BR-01" in {f.code for f in check_ubl(root)}
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931 import _cii, _ubl
from ledgerbridge.formats.en16931._codes import check_cii_codes, check_ubl_codes
from ledgerbridge.formats.en16931._rules import check_core
from ledgerbridge.formats.en16931._syntax import check_cii_syntax, check_ubl_syntax
from ledgerbridge.formats.en16931._totals import check_totals
from ledgerbridge.formats.en16931._vat import check_vat
from ledgerbridge.formats.en16931._xrechnung import (
    check_xrechnung,
    is_xrechnung,
    kosit_profile,
    replaces_co16,
)
from ledgerbridge.formats.model import Finding, Severity

if TYPE_CHECKING:
    from lxml import etree

    from ledgerbridge.formats.en16931._model import Doc

__all__ = ["EXTENDED_GUIDELINES", "EXTENDED_WIDENED", "check_cii", "check_ubl"]

_KOSIT_ERRORS = frozenset({"CII-SR-452", "CII-SR-453"})

#: BT-24 values of the Factur-X / ZUGFeRD 2.x EXTENDED profile.
EXTENDED_GUIDELINES = frozenset(
    {
        "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
        "urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended",
    }
)
#: CEN code-list rules whose lists the EXTENDED profile widens: allowance (BR-CL-19) and
#: charge (BR-CL-20) reason codes, electronic address schemes (BR-CL-25).
EXTENDED_WIDENED = frozenset({"BR-CL-19", "BR-CL-20", "BR-CL-25"})


def _raise(finding: Finding) -> Finding:
    return Finding(Severity.ERROR, finding.code, finding.location, finding.message)


def _widened(finding: Finding) -> Finding:
    message = f"{finding.message} The Factur-X EXTENDED code lists widen this CEN list."
    return Finding(Severity.WARNING, finding.code, finding.location, message)


def check_ubl(root: etree._Element) -> list[Finding]:
    """Check a UBL Invoice or CreditNote element against the EN 16931 business rules."""
    doc = _ubl.bind(root)
    profile = kosit_profile(doc.customization)
    syntax = check_ubl_syntax(root) + check_ubl_codes(root, profile=profile)
    return _check(root, doc, syntax)


def check_cii(root: etree._Element) -> list[Finding]:
    """Check a CII CrossIndustryInvoice element against the EN 16931 business rules."""
    doc = _cii.bind(root)
    profile = kosit_profile(doc.customization)
    syntax = check_cii_syntax(root) + check_cii_codes(root, profile=profile)
    return _check(root, doc, syntax)


def _check(root: etree._Element, doc: Doc, syntax: list[Finding]) -> list[Finding]:
    findings = check_core(doc) + check_totals(doc) + check_vat(doc) + syntax
    if is_xrechnung(doc.customization):
        # KoSIT's validator configuration raises these CEN warnings to errors.
        extension = replaces_co16(doc.customization)
        raised = _KOSIT_ERRORS if extension else _KOSIT_ERRORS | {"UBL-CR-646"}
        findings = [_raise(f) if f.code in raised else f for f in findings]
        if extension:
            findings = [f for f in findings if f.code != "BR-CO-16"]
        findings += check_xrechnung(root, doc)
    if (doc.customization or "").strip() in EXTENDED_GUIDELINES:
        findings = [_widened(f) if f.code in EXTENDED_WIDENED else f for f in findings]
    return findings
