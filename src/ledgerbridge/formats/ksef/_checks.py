"""FA(3) checks beyond the schema's structure: check digits and documented co-occurrences.

>>> _account_problem("61109010140000071219812874"), _account_problem("61109010140000071219812875")
(None, 'the account number fails the IBAN check (mod 97)')
>>> _path(etree.fromstring("<a><b><c/></b></a>")[0][0])
'/a/b/c'

>>> _account_problem("123456789012") is None  # a foreign account: nothing to check
True
>>> _tax_problem("1", Decimal("1000.00"), Decimal("150.00"), lines=1)
'P_14_1 = 150.00 is not 23 % or 22 % of P_13_1 = 1000.00'
>>> _tax_problem("2", Decimal("81.30"), Decimal("6.50"), lines=1) is None
True
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree
from stdnum import iban
from stdnum.pl import nip

from ledgerbridge.formats.ksef._schema import NAMESPACE
from ledgerbridge.formats.ksef._types import CHECKS
from ledgerbridge.formats.model import Finding, Severity

__all__ = ["semantic_findings"]

_NS = {"fa": NAMESPACE}
# FA(3) documentation of Podmiot2/JST and Podmiot2/GV: with "1", the invoice concerns a
# subordinate local-government unit or a VAT-group member, and a Podmiot3 with role 8 or
# 10 "must be filled" ("należy wypełnić") to name it. Without it the receiver cannot tell
# which unit or member the invoice belongs to, and KSeF does not make it available to
# them: an error, although KSeF's submission check does not enforce it.
_FLAG_ROLES = (("JST", "8", "KSEF-JST-PODMIOT3"), ("GV", "10", "KSEF-GV-PODMIOT3"))


# KSeF 2.0 ("Weryfikacja faktury", CIRFMF/ksef-api faktury/weryfikacja-faktury.md)
# rejects in production an invoice whose NIP in Podmiot1, Podmiot2, Podmiot3 or
# PodmiotUpowazniony has a wrong check digit; its test environment, where sample and
# fixture invoices are made, does not. The schema itself accepts any ten digits. A wrong
# check digit is therefore a warning wherever it appears: on a file that went through
# KSeF production it cannot occur, and on any other file it is a doubt for the person
# booking it, not a defect of the invoice's structure.
# The schema's documentation of P_13_1..3 and P_14_1..3: the tax on the net sum at the
# basic rate ("aktualnie 23% albo 22%"), the first reduced ("8% albo 7%") and the second
# reduced rate ("5%"); for advance invoices the same relation holds for the advance.
# P_13_4 (taxi lump sum) and P_13_5 (OSS, foreign rates) have no single rate.
_RATES = (
    ("1", (Decimal("0.23"), Decimal("0.22"))),
    ("2", (Decimal("0.08"), Decimal("0.07"))),
    ("3", (Decimal("0.05"),)),
)
_GROSZ = Decimal("0.01")


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
    for node in root.iter(f"{{{NAMESPACE}}}NIP", f"{{{NAMESPACE}}}IDWew"):
        value = (node.text or "").strip()
        number = value.partition("-")[0]  # IDWew is NIP-nnnnn
        if CHECKS["nip"](number) is None and not nip.is_valid(number):
            message = f"NIP {number} has a wrong check digit"
            findings.append(_warning("KSEF-NIP-CHECKSUM", _path(node), message))
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
            findings.append(_error(code, f"/Faktura/Podmiot2/{flag}", message))
    return findings


# A returned good lowers the taxable amount only through a correcting invoice (art. 106j
# ust. 1 pkt 2 of the VAT act), so a negative quantity on any other kind of invoice is an
# error; a discount shows as a lower price or amount, not as a negative quantity.
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
        quantity = _decimal(line.findtext("fa:P_8B", None, _NS), "ilosc")
        if quantity is not None and quantity < 0:
            where = f"/Faktura/Fa/FaWiersz[{index}]/P_8B"
            message = "a negative quantity outside a correction; a return belongs on a KOR invoice"
            findings.append(_error("KSEF-LINE-NEGATIVE-QUANTITY", where, message))
    return findings


def _decimal(text: str | None, kind: str) -> Decimal | None:
    # Only values of the schema's simple type ``kind`` (TIlosci "ilosc", TKwotowy "kwota"):
    # anything else, NaN and exponents included, is already a KSEF-SCHEMA finding.
    if text is None or CHECKS[kind](text) is not None:
        return None
    return Decimal(text.strip())


def _tax_problem(bucket: str, net: Decimal, tax: Decimal, *, lines: int) -> str | None:
    rates = dict(_RATES)[bucket]
    # Rounding to the grosz per line (art. 106e ust. 10-11) may drift by up to half a
    # grosz a line from the rate applied to the sum: allow a grosz per line, plus one.
    tolerance = _GROSZ * (lines + 1)
    if any(abs(net * rate - tax) <= tolerance for rate in rates):
        return None
    percents = " or ".join(f"{rate * 100:.0f} %" for rate in rates)
    return f"P_14_{bucket} = {tax} is not {percents} of P_13_{bucket} = {net}"


def _tax_findings(root: etree._Element) -> list[Finding]:
    fa = root.find("fa:Fa", _NS)
    if fa is None or fa.findtext("fa:RodzajFaktury", "", _NS).strip().startswith("KOR"):
        return []  # a correction may correct the tax alone, so no rate relation holds
    lines = len(fa.findall("fa:FaWiersz", _NS)) + len(fa.findall(".//fa:ZamowienieWiersz", _NS))
    findings = []
    for bucket, _rates in _RATES:
        net = _decimal(fa.findtext(f"fa:P_13_{bucket}", None, _NS), "kwota")
        tax = _decimal(fa.findtext(f"fa:P_14_{bucket}", None, _NS), "kwota")
        if net is None or tax is None:
            continue
        problem = _tax_problem(bucket, net, tax, lines=lines)
        if problem is not None:
            findings.append(_error("KSEF-TAX-AMOUNT", f"/Faktura/Fa/P_14_{bucket}", problem))
    return findings


def semantic_findings(root: etree._Element) -> list[Finding]:
    """Findings of the checks the schema's structure cannot express."""
    return [
        *_nip_findings(root),
        *_account_findings(root),
        *_third_party_findings(root),
        *_line_findings(root),
        *_tax_findings(root),
    ]
