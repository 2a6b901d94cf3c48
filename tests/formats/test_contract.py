"""The JSON contract: exact shapes for each kind of document and for errors."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from ledgerbridge.formats import (
    Address,
    BankEntry,
    BankStatement,
    BillInformation,
    Container,
    Document,
    Finding,
    Format,
    Kind,
    MalformedDocument,
    PaymentSlip,
    ReadResult,
    Severity,
    read,
)
from ledgerbridge.formats.contract import error_to_json, result_to_json
from tests.formats.ksef_sample import FA3_MINIMAL


def test_payment_slip_with_bill_information() -> None:
    # given
    bill = BillInformation(
        invoice_number="10201409",
        invoice_date=date(2019, 5, 12),
        vat_dates=(date(2019, 5, 1), date(2019, 5, 31)),
        vat_rates=((Decimal("7.7"), Decimal("185.65")), (Decimal("0"), None)),
        import_vat=((Decimal("7.7"), Decimal("48.12")),),
        payment_conditions=((Decimal("2"), 10), (Decimal("0"), 30)),
    )
    slip = PaymentSlip(
        iban="CH4431999123000889012",
        amount=Decimal("1949.75"),
        currency="CHF",
        reference_type="QRR",
        reference="210000000003139471430009017",
        message=None,
        bill_information="//S1/10/10201409",
        creditor=Address("S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH"),
        bill=bill,
    )
    doc = Document(Format.SWISS_QR_BILL, Container.TEXT, Kind.PAYMENT_SLIP, slip)
    # when
    out = result_to_json(ReadResult((doc,)), file="bill.txt")
    # then
    data = out["documents"][0]["data"]
    assert out["file"] == "bill.txt"
    assert out["error"] is None
    assert out["documents"][0]["format"] == "swiss-qr-bill"
    assert out["documents"][0]["profile"] is None
    assert data["amount"] == "1949.75"
    assert data["ultimate_debtor"] is None
    assert data["alternative_procedures"] == []
    assert data["creditor"] == {
        "address_type": "S",
        "name": "Robert Schneider AG",
        "street": "Rue du Lac",
        "building_number": "1268",
        "postal_code": "2501",
        "town": "Biel",
        "country": "CH",
    }
    assert data["bill"] == {
        "invoice_number": "10201409",
        "invoice_date": "2019-05-12",
        "customer_reference": None,
        "vat_number": None,
        "vat_dates": ["2019-05-01", "2019-05-31"],
        "vat_rates": [{"rate": "7.7", "amount": "185.65"}, {"rate": "0", "amount": None}],
        "import_vat": [{"rate": "7.7", "amount": "48.12"}],
        "payment_conditions": [{"discount": "2", "days": 10}, {"discount": "0", "days": 30}],
    }


def test_bank_statement_renames_the_period() -> None:
    # given
    entry = BankEntry(date(2026, 1, 5), None, Decimal("80.00"), "CRDT", reference="RF18")
    statement = BankStatement(
        "S-1", "CH93", "CHF", date(2026, 1, 1), date(2026, 1, 31), Decimal("-1.50"), None, (entry,)
    )
    finding = Finding(Severity.WARNING, "CAMT-BALANCE", "/Document", "mismatch")
    doc = Document(Format.CAMT_053, Container.XML, Kind.BANK_STATEMENT, statement, (finding,))
    # when
    out = result_to_json(ReadResult((doc,)), file="s.xml")
    # then
    document = out["documents"][0]
    assert list(document["data"]) == [
        "statement_id",
        "account_iban",
        "currency",
        "from",
        "to",
        "opening_balance",
        "closing_balance",
        "entries",
    ]
    assert (document["data"]["from"], document["data"]["opening_balance"]) == (
        "2026-01-01",
        "-1.50",
    )
    assert document["data"]["entries"] == [
        {
            "booking_date": "2026-01-05",
            "value_date": None,
            "amount": "80.00",
            "credit_debit": "CRDT",
            "counterparty_name": None,
            "counterparty_iban": None,
            "reference": "RF18",
            "remittance": None,
        }
    ]
    assert document["findings"] == [
        {
            "severity": "warning",
            "code": "CAMT-BALANCE",
            "location": "/Document",
            "message": "mismatch",
        }
    ]
    assert "notices" not in out


def test_invoice_has_every_contract_key_and_is_json() -> None:
    # given
    result = read(FA3_MINIMAL)
    # when
    out = result_to_json(result, file="fa.xml")
    # then
    data = out["documents"][0]["data"]
    assert list(data) == [
        "number",
        "type_code",
        "issue_date",
        "due_date",
        "currency",
        "buyer_reference",
        "seller",
        "buyer",
        "totals",
        "vat_breakdown",
        "lines",
        "payment",
    ]
    assert list(data["totals"]) == [
        "line_net",
        "allowances",
        "charges",
        "net",
        "tax",
        "gross",
        "prepaid",
        "rounding",
        "due",
    ]
    assert data["vat_breakdown"] == [
        {"category": "S", "rate": "23", "taxable": "100.00", "tax": "23.00"}
    ]
    assert json.loads(json.dumps(out)) == out


def test_notices_are_an_extra_key() -> None:
    # given
    notice = Finding(Severity.INFO, "ksef-verification-qr", "page 1", "KSeF QR for NIP 1")
    # when
    out = result_to_json(ReadResult((), (notice,)), file="scan.png")
    # then
    assert out["documents"] == []
    assert out["notices"] == [
        {
            "severity": "info",
            "code": "ksef-verification-qr",
            "location": "page 1",
            "message": "KSeF QR for NIP 1",
        }
    ]


def test_error_shape() -> None:
    # given
    err = MalformedDocument("malformed-xml", "line 3", "the XML is not well-formed")
    # when
    out = error_to_json(err, file="bad.xml")
    # then
    assert out == {
        "file": "bad.xml",
        "error": {"code": "malformed-xml", "message": "the XML is not well-formed"},
        "documents": [],
    }
