"""camt.053 statements: one document per Stmt, balances, entries, findings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledgerbridge.formats import BankStatement, Document, Kind, MalformedDocument, ReadOptions, read
from ledgerbridge.formats.camt053 import sniff

NS08 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


def _statement_xml(entries: str, *, opening: str = "100.00", closing: str = "150.00") -> bytes:
    return f"""<?xml version="1.0"?>
<Document xmlns="{NS08}"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr><Stmt><Id>S-1</Id>
 <FrToDt><FrDtTm>2026-01-01T00:00:00+01:00</FrDtTm><ToDtTm>2026-01-31T23:59:59+01:00</ToDtTm>
 </FrToDt><Acct><Id><IBAN>CH9300762011623852957</IBAN></Id><Ccy>CHF</Ccy></Acct>
 <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">{opening}</Amt>
  <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-12-31</Dt></Dt></Bal>
 <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">{closing}</Amt>
  <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-31</Dt></Dt></Bal>
 {entries}</Stmt></BkToCstmrStmt></Document>""".encode()


CREDIT = """<Ntry><Amt Ccy="CHF">80.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
 <BookgDt><DtTm>2026-01-05T10:00:00</DtTm></BookgDt><ValDt><Dt>2026-01-06</Dt></ValDt>
 <NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs>
 <RltdPties><Dbtr><Pty><Nm>Muster AG</Nm></Pty></Dbtr>
 <DbtrAcct><Id><IBAN>CH5604835012345678009</IBAN></Id></DbtrAcct></RltdPties>
 <RmtInf><Ustrd>Invoice 17</Ustrd><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf>
 </Strd></RmtInf></TxDtls></NtryDtls></Ntry>"""
DEBIT = """<Ntry><Amt Ccy="CHF">30.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
 <BookgDt><Dt>2026-01-07</Dt></BookgDt><AcctSvcrRef>BANK-9</AcctSvcrRef>
 <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
 <RltdPties><Cdtr><Pty><Nm>Vermieter</Nm></Pty></Cdtr></RltdPties></TxDtls></NtryDtls></Ntry>"""


def _statement(doc: Document) -> BankStatement:
    assert isinstance(doc.data, BankStatement)
    return doc.data


def test_statement_is_read_with_balances_and_entries() -> None:
    # given
    data = _statement_xml(CREDIT + DEBIT)
    # when
    doc = read(data).documents[0]
    # then
    statement = _statement(doc)
    assert (doc.kind, doc.profile, doc.findings) == (Kind.BANK_STATEMENT, "camt.053.001.08", ())
    assert (statement.statement_id, statement.account_iban, statement.currency) == (
        "S-1",
        "CH9300762011623852957",
        "CHF",
    )
    assert (statement.from_date, statement.to_date) == (date(2026, 1, 1), date(2026, 1, 31))
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("100.00"),
        Decimal("150.00"),
    )
    credit, debit = statement.entries
    assert (credit.booking_date, credit.value_date, credit.amount, credit.credit_debit) == (
        date(2026, 1, 5),
        date(2026, 1, 6),
        Decimal("80.00"),
        "CRDT",
    )
    assert (credit.counterparty_name, credit.counterparty_iban) == (
        "Muster AG",
        "CH5604835012345678009",
    )
    assert (credit.reference, credit.remittance) == ("RF18539007547034", "Invoice 17")
    assert (debit.counterparty_name, debit.reference, debit.value_date) == (
        "Vermieter",
        "BANK-9",
        None,
    )


def test_balance_mismatch_is_a_warning() -> None:
    # given
    data = _statement_xml(CREDIT + DEBIT, closing="151.00")
    # when
    findings = read(data).documents[0].findings
    # then
    assert [(f.severity.value, f.code) for f in findings] == [("warning", "CAMT-BALANCE")]


def test_debit_balance_is_negative() -> None:
    # given
    data = _statement_xml("", opening="10.00", closing="10.00").replace(
        b"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-12-31",
        b"<CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2025-12-31",
    )
    # when
    statement = _statement(read(data).documents[0])
    # then
    assert statement.opening_balance == Decimal("-10.00")


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (b">80.00<", b">80,00<", "CAMT-AMOUNT"),
        (b"<Dt>2026-01-07</Dt>", b"<Dt>2026-01-32</Dt>", "CAMT-DATE"),
        (b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>DEBIT</CdtDbtInd>", "CAMT-INDICATOR"),
    ],
)
def test_broken_values_are_error_findings(old: bytes, new: bytes, code: str) -> None:
    # given
    data = _statement_xml(CREDIT + DEBIT).replace(old, new)
    # when
    findings = read(data).documents[0].findings
    # then
    assert code in [f.code for f in findings if f.is_error]


def test_two_statements_are_two_documents() -> None:
    # given
    one = _statement_xml(CREDIT, closing="180.00").decode()
    stmt = one[one.index("<Stmt>") : one.index("</Stmt>") + len("</Stmt>")]
    data = one.replace("</Stmt>", "</Stmt>" + stmt.replace("S-1", "S-2"), 1).encode()
    # when
    docs = read(data).documents
    # then
    assert [_statement(d).statement_id for d in docs] == ["S-1", "S-2"]


def test_message_without_statement_is_malformed() -> None:
    # given
    data = f'<Document xmlns="{NS08}"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>'.encode()
    # when
    with pytest.raises(MalformedDocument) as caught:
        read(data)
    # then
    assert caught.value.code == "camt-no-statement"


def test_untested_version_gets_a_warning() -> None:
    # given
    data = _statement_xml(CREDIT + DEBIT).replace(b"camt.053.001.08", b"camt.053.001.13")
    # when
    findings = read(data, options=ReadOptions()).documents[0].findings
    # then
    assert [f.code for f in findings] == ["CAMT-VERSION"]


def test_sniff_needs_the_namespace() -> None:
    # given
    heads = [_statement_xml(""), b"<Document/>", b"%PDF-1.7"]
    # when
    answers = [sniff(head) for head in heads]
    # then
    assert answers == [True, False, False]
