"""ISO 20022 camt.053 bank-to-customer statements: one document per ``Stmt``.

Versions ``camt.053.001.02``, ``.03``, ``.04`` and ``.08`` are read (others in the same
namespace family are read too, with a ``CAMT-VERSION`` warning). For each statement:
id, account IBAN, currency, period (``FrToDt``, date part), opening balance (``OPBD``,
else ``PRCD``) and closing balance (``CLBD``), signed by their ``CdtDbtInd``; for each
entry (``Ntry``): booking and value date (``Dt`` or the date of ``DtTm``), amount,
``CRDT``/``DBIT``, the counterparty (the debtor of a credit, the creditor of a debit;
name and IBAN from the first transaction), a reference (structured creditor reference,
else ``EndToEndId`` unless ``NOTPROVIDED``, else the servicer's reference) and the
unstructured remittance lines.

Findings: ``CAMT-AMOUNT`` / ``CAMT-DATE`` / ``CAMT-INDICATOR`` (error, a value that is
not what the schema allows; an entry without a usable amount is left out),
``CAMT-BALANCE`` (warning: opening balance plus booked entries differs from the
closing balance; statements filtered or split by the bank legitimately do this).
A message without any statement raises ``MalformedDocument`` (``camt-no-statement``).

>>> ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
>>> xml = f'''<Document xmlns="{ns}"><BkToCstmrStmt><Stmt><Id>S1</Id>
...  <Acct><Id><IBAN>CH9300762011623852957</IBAN></Id><Ccy>CHF</Ccy></Acct>
...  <Ntry><Amt Ccy="CHF">12.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
...   <BookgDt><Dt>2026-01-05</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>'''
>>> doc = read(xml.encode(), options=ReadOptions()).documents[0]
>>> doc.profile, doc.data.account_iban, doc.data.entries[0].amount, doc.findings
('camt.053.001.02', 'CH9300762011623852957', Decimal('12.50'), ())
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lxml import etree
from stdnum import iban

from ledgerbridge.formats import xmlsafe
from ledgerbridge.formats.errors import ErrorCode, MalformedDocument, UnsupportedFormat
from ledgerbridge.formats.model import (
    BankEntry,
    BankStatement,
    Container,
    Document,
    Finding,
    Format,
    Kind,
    ReadOptions,
    ReadResult,
    Severity,
)
from ledgerbridge.formats.namespaces import CAMT053_NS_PREFIX

__all__ = ["NAMESPACE_PREFIX", "read", "read_tree", "sniff", "sniff_root"]

NAMESPACE_PREFIX = CAMT053_NS_PREFIX
_TESTED = frozenset({"001.02", "001.03", "001.04", "001.08"})
_AMOUNT = re.compile(r"\d{1,18}(\.\d{1,5})?")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(T.*)?")
_OPENING = ("OPBD", "PRCD")


def _path(node: etree._Element) -> str:
    """``/Document/BkToCstmrStmt/Stmt[2]/Ntry[5]/Amt``: local names, positions when repeated."""
    steps = []
    current: etree._Element | None = node
    while current is not None:
        parent = current.getparent()
        step = etree.QName(current).localname
        if parent is not None and len(same := parent.findall(current.tag)) > 1:
            step += f"[{same.index(current) + 1}]"
        steps.append(step)
        current = parent
    return "/" + "/".join(reversed(steps))


class _Reader:
    """Element access in one statement's namespace, collecting findings."""

    def __init__(self, namespace: str) -> None:
        self.ns = {"c": namespace}
        self.findings: list[Finding] = []

    def text(self, node: etree._Element | None, path: str) -> str | None:
        found = node.find(path, self.ns) if node is not None else None
        if found is None or found.text is None:
            return None
        return found.text.strip() or None

    def error(self, code: str, node: etree._Element, message: str) -> None:
        where = _path(node)
        self.findings.append(Finding(Severity.ERROR, code, where, message))

    def amount(self, node: etree._Element | None) -> Decimal | None:
        found = node.find("c:Amt", self.ns) if node is not None else None
        if found is None:
            return None
        raw = (found.text or "").strip()
        if _AMOUNT.fullmatch(raw):
            return Decimal(raw)
        self.error("CAMT-AMOUNT", found, f"{raw!r} is not an amount")
        return None

    def day(self, node: etree._Element | None, path: str) -> date | None:
        found = node.find(path, self.ns) if node is not None else None
        if found is None:
            return None
        match = _DATE.fullmatch((found.text or "").strip())
        if match is not None:
            try:
                return date.fromisoformat(match.group(1))
            except ValueError:
                pass
        self.error("CAMT-DATE", found, f"{found.text!r} is not a date or date-time")
        return None

    def either_day(self, node: etree._Element | None, path: str) -> date | None:
        return self.day(node, f"{path}/c:Dt") or self.day(node, f"{path}/c:DtTm")

    def sign(self, node: etree._Element) -> int:
        indicator = self.text(node, "c:CdtDbtInd")
        if indicator not in ("CRDT", "DBIT"):
            self.error("CAMT-INDICATOR", node, f"CdtDbtInd {indicator!r} is not CRDT or DBIT")
        return -1 if indicator == "DBIT" else 1


def sniff(head: bytes) -> bool:
    """True when ``head`` looks like XML that declares a camt.053 namespace."""
    return (
        head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and NAMESPACE_PREFIX.encode() in head
    )


def read(data: bytes, *, options: ReadOptions) -> ReadResult:
    """Parse ``data`` with the hardened parser and read every statement in it."""
    return read_tree(xmlsafe.parse(data, options=options), options=options, container=Container.XML)


def _balance(reader: _Reader, stmt: etree._Element, codes: tuple[str, ...]) -> Decimal | None:
    for code in codes:
        for bal in stmt.iterfind("c:Bal", reader.ns):
            if reader.text(bal, "c:Tp/c:CdOrPrtry/c:Cd") == code:
                value = reader.amount(bal)
                return None if value is None else value * reader.sign(bal)
    return None


def _party(reader: _Reader, tx: etree._Element | None, role: str) -> tuple[str | None, str | None]:
    parties = tx.find("c:RltdPties", reader.ns) if tx is not None else None
    # camt.053.001.08 wraps the party in Pty; earlier versions do not.
    name = reader.text(parties, f"c:{role}/c:Nm") or reader.text(parties, f"c:{role}/c:Pty/c:Nm")
    return name, reader.text(parties, f"c:{role}Acct/c:Id/c:IBAN")


def _reference(reader: _Reader, entry: etree._Element, tx: etree._Element | None) -> str | None:
    end_to_end = reader.text(tx, "c:Refs/c:EndToEndId")
    candidates = (
        reader.text(tx, "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref"),
        None if end_to_end == "NOTPROVIDED" else end_to_end,
        reader.text(entry, "c:AcctSvcrRef"),
        reader.text(tx, "c:Refs/c:AcctSvcrRef"),
    )
    return next((value for value in candidates if value), None)


def _entry(reader: _Reader, entry: etree._Element) -> BankEntry | None:
    amount = reader.amount(entry)
    sign = reader.sign(entry)
    if amount is None:
        reader.error("CAMT-AMOUNT", entry, "the entry has no amount; it is left out")
        return None
    tx = entry.find("c:NtryDtls/c:TxDtls", reader.ns)
    name, iban = _party(reader, tx, "Dbtr" if sign > 0 else "Cdtr")
    lines = [] if tx is None else tx.iterfind("c:RmtInf/c:Ustrd", reader.ns)
    remittance = " ".join((line.text or "").strip() for line in lines).strip()
    return BankEntry(
        booking_date=reader.either_day(entry, "c:BookgDt"),
        value_date=reader.either_day(entry, "c:ValDt"),
        amount=amount,
        credit_debit="DBIT" if sign < 0 else "CRDT",
        counterparty_name=name,
        counterparty_iban=iban,
        reference=_reference(reader, entry, tx),
        remittance=remittance or None,
    )


def _booked(reader: _Reader, entry: etree._Element) -> bool:
    status = reader.text(entry, "c:Sts") or reader.text(entry, "c:Sts/c:Cd")
    return status in (None, "BOOK")


def _balance_check(reader: _Reader, stmt: etree._Element, data: BankStatement) -> None:
    if data.opening_balance is None or data.closing_balance is None:
        return
    booked = [
        _entry_signed(reader, node)
        for node in stmt.iterfind("c:Ntry", reader.ns)
        if _booked(reader, node)
    ]
    total = data.opening_balance + sum(booked, Decimal(0))
    if total != data.closing_balance:
        reader.findings.append(
            Finding(
                Severity.WARNING,
                "CAMT-BALANCE",
                _path(stmt),
                f"opening {data.opening_balance} + booked entries = {total}, "
                f"but the closing balance is {data.closing_balance}",
            )
        )


def _entry_signed(reader: _Reader, node: etree._Element) -> Decimal:
    quiet = _Reader(reader.ns["c"])  # findings for these values were recorded already
    value = quiet.amount(node)
    return Decimal(0) if value is None else value * quiet.sign(node)


def _account(reader: _Reader, stmt: etree._Element) -> str | None:
    number = reader.text(stmt, "c:Acct/c:Id/c:IBAN")
    if number is None:  # some banks put the IBAN under Othr; accept it only if it is one
        other = reader.text(stmt, "c:Acct/c:Id/c:Othr/c:Id")
        number = other if other is not None and iban.is_valid(other) else None
    return number


def _statement(namespace: str, stmt: etree._Element) -> tuple[BankStatement, list[Finding]]:
    reader = _Reader(namespace)
    entries = [_entry(reader, node) for node in stmt.iterfind("c:Ntry", reader.ns)]
    currency = reader.text(stmt, "c:Acct/c:Ccy")
    if currency is None:
        first = stmt.find("c:Bal/c:Amt", reader.ns)
        currency = first.get("Ccy") if first is not None else None
    data = BankStatement(
        statement_id=reader.text(stmt, "c:Id"),
        account_iban=_account(reader, stmt),
        currency=currency,
        from_date=reader.day(stmt, "c:FrToDt/c:FrDtTm"),
        to_date=reader.day(stmt, "c:FrToDt/c:ToDtTm"),
        opening_balance=_balance(reader, stmt, _OPENING),
        closing_balance=_balance(reader, stmt, ("CLBD",)),
        entries=tuple(entry for entry in entries if entry is not None),
    )
    _balance_check(reader, stmt, data)
    return data, reader.findings


def sniff_root(root: etree._Element) -> bool:
    """True when the parsed ``root`` is the ``Document`` of any camt.053 version."""
    qname = etree.QName(root)
    return (qname.namespace or "").startswith(NAMESPACE_PREFIX) and qname.localname == "Document"


def read_tree(root: etree._Element, *, options: ReadOptions, container: Container) -> ReadResult:
    """Read an already parsed camt.053 ``Document`` element."""
    qname = etree.QName(root)
    namespace = qname.namespace or ""
    if not sniff_root(root):
        raise UnsupportedFormat(
            ErrorCode.UNSUPPORTED_XML_ROOT, f"/{qname.localname}", f"{qname.text} is not camt.053"
        )
    version = namespace.removeprefix(NAMESPACE_PREFIX)
    statements = root.findall("c:BkToCstmrStmt/c:Stmt", {"c": namespace})
    if not statements:
        raise MalformedDocument(
            ErrorCode.CAMT_NO_STATEMENT, "/Document/BkToCstmrStmt", "the message holds no Stmt"
        )
    documents = []
    for stmt in statements:
        data, findings = _statement(namespace, stmt)
        if version not in _TESTED:
            message = f"camt.053.{version} is read like camt.053.001.08; it is not a tested version"
            findings.insert(0, Finding(Severity.WARNING, "CAMT-VERSION", "/Document", message))
        documents.append(
            Document(
                format=Format.CAMT_053,
                container=container,
                kind=Kind.BANK_STATEMENT,
                data=data,
                findings=tuple(findings) if options.validate else (),
                profile=f"camt.053.{version}",
            )
        )
    return ReadResult(documents=tuple(documents))
