"""FA(3) checks beyond the schema's structure: check digits and documented co-occurrences.

>>> _account_problem("61109010140000071219812874"), _account_problem("61109010140000071219812875")
(None, 'the account number fails the IBAN check (mod 97)')
>>> _path(etree.fromstring("<a><b><c/></b></a>")[0][0])
'/a/b/c'

>>> _account_problem("123456789012") is None  # a foreign account: nothing to check
True
"""

from __future__ import annotations

from lxml import etree
from stdnum import iban
from stdnum.pl import nip

from ledgerbridge.formats.ksef._schema import NAMESPACE
from ledgerbridge.formats.ksef._types import CHECKS
from ledgerbridge.formats.model import Finding, Severity

__all__ = ["semantic_findings"]

_NS = {"fa": NAMESPACE}
# FA(3) documentation of Podmiot2/JST and Podmiot2/GV: with "1", the invoice is made
# available to the subordinate local-government unit (role 8) or the VAT-group member
# (role 10) only through a Podmiot3 with that role. Without it the invoice is still
# valid (the MF's own CIRFMF template omits it), so this is a warning.
_FLAG_ROLES = (("JST", "8", "KSEF-JST-PODMIOT3"), ("GV", "10", "KSEF-GV-PODMIOT3"))


# The seller's and buyer's NIPs decide who may deduct the VAT: a wrong check digit there
# is an error. Other parties (third parties, representatives) only get a warning.
_PARTIES = frozenset({"Podmiot1", "Podmiot2"})


def _error(code: str, location: str, message: str) -> Finding:
    return Finding(Severity.ERROR, code, location, message)


def _warning(code: str, location: str, message: str) -> Finding:
    return Finding(Severity.WARNING, code, location, message)


def _path(node: etree._Element) -> str:
    steps = []
    current: etree._Element | None = node
    while current is not None:
        steps.append(etree.QName(current).localname)
        current = current.getparent()
    return "/" + "/".join(reversed(steps))


def _nip_findings(root: etree._Element) -> list[Finding]:
    findings = []
    for node in root.iter(f"{{{NAMESPACE}}}NIP"):
        value = (node.text or "").strip()
        if CHECKS["nip"](value) is None and not nip.is_valid(value):
            where = _path(node)
            make = _error if where.split("/")[2] in _PARTIES else _warning
            findings.append(
                make("KSEF-NIP-CHECKSUM", where, f"NIP {value} has a wrong check digit")
            )
    return findings


def _account_problem(number: str) -> str | None:
    compact = number.replace(" ", "").upper()
    if compact.isdigit() and len(compact) == 26:
        compact = "PL" + compact  # a Polish NRB is an IBAN without its country code
    elif not (compact[:2].isalpha() and compact[2:4].isdigit()):
        return None
    if iban.is_valid(compact):
        return None
    return "the account number fails the IBAN check (mod 97)"


def _account_findings(root: etree._Element) -> list[Finding]:
    findings = []
    for node in root.iter(f"{{{NAMESPACE}}}NrRB"):
        problem = _account_problem(node.text or "")
        if problem is not None:
            findings.append(_warning("KSEF-ACCOUNT-CHECKSUM", _path(node), problem))
    return findings


def _third_party_findings(root: etree._Element) -> list[Finding]:
    roles = {(r.text or "").strip() for r in root.iterfind("fa:Podmiot3/fa:Rola", _NS)}
    findings = []
    for flag, role, code in _FLAG_ROLES:
        if root.findtext(f"fa:Podmiot2/fa:{flag}", "", _NS).strip() == "1" and role not in roles:
            message = f"{flag}=1 but no Podmiot3 with Rola {role} to make the invoice available"
            findings.append(_warning(code, f"/Faktura/Podmiot2/{flag}", message))
    return findings


def _line_findings(root: etree._Element) -> list[Finding]:
    kind = root.findtext("fa:Fa/fa:RodzajFaktury", "", _NS).strip()
    if kind.startswith("KOR"):
        return []  # corrections repeat a line number for its state before and after
    numbers: set[str] = set()
    findings = []
    for index, line in enumerate(root.iterfind("fa:Fa/fa:FaWiersz", _NS), start=1):
        number = line.findtext("fa:NrWierszaFa", "", _NS).strip()
        if number in numbers:
            where = f"/Faktura/Fa/FaWiersz[{index}]/NrWierszaFa"
            findings.append(_error("KSEF-LINE-DUPLICATE", where, f"line number {number} repeats"))
        numbers.add(number)
        quantity = line.findtext("fa:P_8B", "", _NS).strip()
        if quantity.startswith("-"):
            where = f"/Faktura/Fa/FaWiersz[{index}]/P_8B"
            message = "a negative quantity outside a correction; a return belongs on a KOR invoice"
            findings.append(_warning("KSEF-LINE-NEGATIVE-QUANTITY", where, message))
    return findings


def semantic_findings(root: etree._Element) -> list[Finding]:
    """Findings of the checks the schema's structure cannot express."""
    return [
        *_nip_findings(root),
        *_account_findings(root),
        *_third_party_findings(root),
        *_line_findings(root),
    ]
