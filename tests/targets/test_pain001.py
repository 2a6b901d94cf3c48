"""pain.001.001.09 (SPS 2022) writer: structure, sums, remittance, characters, rule codes.

The XSD check uses the ISO 20022 ``pain.001.001.09.xsd`` that the ``sepaxml`` package
(MIT) ships; the schema is read from the installed package at test time and never copied
into this repository. The element-order check below runs without it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ledgerbridge.formats.errors import RuleViolation
from ledgerbridge.formats.model import Address, PaymentSlip, ReadOptions
from ledgerbridge.formats.xmlsafe import parse
from ledgerbridge.targets.pain001 import (
    NAMESPACE,
    Pain001Address,
    Pain001Payment,
    payment_from_slip,
    transliterate,
    write_pain001,
)

NS = {"p": NAMESPACE}
QR_IBAN = "CH4431999123000889012"
CH_IBAN = "CH9300762011623852957"
DE_IBAN = "DE89370400440532013000"
FR_IBAN = "FR1420041010050500013M02606"
DEBTOR_IBAN = "CH5604835012345678009"
QRR = "210000000003139471430009017"
SCOR = "RF18539007547034"
CREATED = datetime(2026, 3, 2, 8, 15, 30, 123456, tzinfo=UTC)
EXECUTION = date(2026, 3, 4)
ZURICH = Pain001Address(
    street="Bahnhofstrasse", building_number="1", postal_code="8001", town="Zürich", country="CH"
)


def _payment(**changes: Any) -> Pain001Payment:
    values: dict[str, Any] = {
        "end_to_end_id": "E2E-1",
        "amount": Decimal("100.00"),
        "currency": "CHF",
        "creditor_name": "Robert Schneider AG",
        "creditor_iban": CH_IBAN,
        "creditor_address": ZURICH,
        "reference_type": "NON",
        "reference": None,
        "unstructured_message": None,
    }
    values.update(changes)
    return Pain001Payment(**values)


def _write(payments: list[Pain001Payment], **changes: Any) -> bytes:
    arguments: dict[str, Any] = {
        "debtor_name": "Acme AG",
        "debtor_iban": DEBTOR_IBAN,
        "payments": payments,
        "message_id": "MSG-2026-03-02-1",
        "created_at": CREATED,
        "execution_date": EXECUTION,
    }
    arguments.update(changes)
    return write_pain001(**arguments)


def _mixed() -> list[Pain001Payment]:
    """CHF and EUR, every reference type, with and without a message, interleaved."""
    return [
        _payment(
            end_to_end_id="CHF-QRR",
            amount=Decimal("1949.75"),
            creditor_iban=QR_IBAN,
            reference_type="QRR",
            reference="21 00000 00003 13947 14300 09017",
            unstructured_message="Order of 15 June",
        ),
        _payment(
            end_to_end_id="EUR-NON",
            amount=Decimal("12.5"),
            currency="EUR",
            creditor_name="Muster GmbH",
            creditor_iban=DE_IBAN,
            creditor_address=Pain001Address(town="Berlin", country="DE"),
            unstructured_message="Invoice 4711",
        ),
        _payment(
            end_to_end_id="CHF-SCOR",
            amount=Decimal("0.05"),
            reference_type="SCOR",
            reference="RF18 5390 0754 7034",
        ),
        _payment(end_to_end_id="CHF-NON", amount=Decimal(7)),
        _payment(
            end_to_end_id="EUR-QRR",
            amount=Decimal("250.00"),
            currency="EUR",
            creditor_iban=QR_IBAN,
            reference_type="QRR",
            reference=QRR,
        ),
        _payment(
            end_to_end_id="EUR-SCOR",
            amount=Decimal("99999.99"),
            currency="EUR",
            creditor_iban=FR_IBAN,
            creditor_address=Pain001Address(postal_code="75001", town="Paris", country="FR"),
            reference_type="SCOR",
            reference=SCOR,
            unstructured_message="Contract 12",
        ),
    ]


def _local_names(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def _schema() -> etree.XMLSchema | None:
    spec = importlib.util.find_spec("sepaxml")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "pain.001.001.09.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def test_mixed_payments_give_one_block_per_currency_with_right_sums() -> None:
    # given
    payments = _mixed()
    # when
    root = parse(_write(payments), options=ReadOptions())
    # then
    assert root.tag == f"{{{NAMESPACE}}}Document"
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header is not None
    assert header.findtext("p:MsgId", namespaces=NS) == "MSG-2026-03-02-1"
    assert header.findtext("p:CreDtTm", namespaces=NS) == "2026-03-02T08:15:30+00:00"
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "6"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "102219.29"
    blocks = root.findall("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    summary = [
        (
            block.findtext("p:PmtInfId", namespaces=NS),
            block.findtext("p:NbOfTxs", namespaces=NS),
            block.findtext("p:CtrlSum", namespaces=NS),
            block.findtext("p:ReqdExctnDt/p:Dt", namespaces=NS),
            {a.get("Ccy") for a in block.iterfind("p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS)},
        )
        for block in blocks
    ]
    assert summary == [
        ("MSG-2026-03-02-1-1", "3", "1956.80", "2026-03-04", {"CHF"}),
        ("MSG-2026-03-02-1-2", "3", "100262.49", "2026-03-04", {"EUR"}),
    ]


def test_every_payment_is_present_exactly_once_with_its_amount() -> None:
    # given
    payments = _mixed()
    # when
    root = parse(_write(payments), options=ReadOptions())
    # then
    found = [
        (
            tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            amount.text,
            amount.get("Ccy"),
        )
        for tx in root.iterfind(".//p:CdtTrfTxInf", NS)
        for amount in tx.iterfind("p:Amt/p:InstdAmt", NS)
    ]
    assert sorted(found) == sorted(
        [
            ("CHF-QRR", "1949.75", "CHF"),
            ("EUR-NON", "12.50", "EUR"),
            ("CHF-SCOR", "0.05", "CHF"),
            ("CHF-NON", "7.00", "CHF"),
            ("EUR-QRR", "250.00", "EUR"),
            ("EUR-SCOR", "99999.99", "EUR"),
        ]
    )
    instruction_ids = [e.text or "" for e in root.iterfind(".//p:PmtId/p:InstrId", NS)]
    assert sorted(instruction_ids) == ["1", "2", "3", "4", "5", "6"]


def test_remittance_follows_the_reference_type() -> None:
    # given
    payments = _mixed()
    # when
    root = parse(_write(payments), options=ReadOptions())

    # then
    def remittance(end_to_end_id: str) -> str:
        (tx,) = (
            tx
            for tx in root.iterfind(".//p:CdtTrfTxInf", NS)
            if tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == end_to_end_id
        )
        rmt = tx.find("p:RmtInf", NS)
        if rmt is None:
            return "-"
        parts = (f"{etree.QName(e).localname}={(e.text or '').strip()}" for e in rmt.iter())
        return " ".join(list(parts)[1:])

    assert remittance("CHF-QRR") == (
        "Strd= CdtrRefInf= Tp= CdOrPrtry= Prtry=QRR Ref=210000000003139471430009017 "
        "AddtlRmtInf=Order of 15 June"
    )
    assert remittance("EUR-QRR") == (
        "Strd= CdtrRefInf= Tp= CdOrPrtry= Prtry=QRR Ref=210000000003139471430009017"
    )
    assert remittance("CHF-SCOR") == "Strd= CdtrRefInf= Tp= CdOrPrtry= Cd=SCOR Ref=RF18539007547034"
    assert remittance("EUR-SCOR") == (
        "Strd= CdtrRefInf= Tp= CdOrPrtry= Cd=SCOR Ref=RF18539007547034 AddtlRmtInf=Contract 12"
    )
    assert remittance("EUR-NON") == "Ustrd=Invoice 4711"
    assert remittance("CHF-NON") == "-"


def test_creditor_has_name_structured_address_and_iban() -> None:
    # given
    payments = [_payment(creditor_iban="ch93 0076 2011 6238 5295 7")]
    # when
    root = parse(_write(payments), options=ReadOptions())
    # then
    tx = root.find(".//p:CdtTrfTxInf", NS)
    assert tx is not None
    assert tx.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Robert Schneider AG"
    address = tx.find("p:Cdtr/p:PstlAdr", NS)
    assert address is not None
    assert [(etree.QName(e).localname, e.text) for e in address] == [
        ("StrtNm", "Bahnhofstrasse"),
        ("BldgNb", "1"),
        ("PstCd", "8001"),
        ("TwnNm", "Zürich"),
        ("Ctry", "CH"),
    ]
    assert tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == CH_IBAN


def test_the_output_is_valid_against_the_iso_20022_schema() -> None:
    # given
    schema = _schema()
    if schema is None:
        pytest.skip("the pain.001.001.09 XSD comes from sepaxml: install the dev extra")
    documents = [
        _write(_mixed()),
        _write(_mixed(), debtor_bic="UBSWCHZH80A"),
        _write([_payment()], debtor_iban=DE_IBAN, message_id="M" * 35),
    ]
    # when
    results = [schema.validate(etree.fromstring(xml)) for xml in documents]
    # then
    assert results == [True, True, True], schema.error_log


def test_elements_come_in_schema_order_with_the_sps_parts() -> None:
    # given
    payments = _mixed()
    # when
    root = parse(_write(payments), options=ReadOptions())
    # then
    initiation = root.find("p:CstmrCdtTrfInitn", NS)
    assert initiation is not None
    assert _local_names(initiation) == ["GrpHdr", "PmtInf", "PmtInf"]
    assert _local_names(initiation[0]) == ["MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty"]
    assert _local_names(initiation[0][4]) == ["Nm", "CtctDtls"]
    head = ["PmtInfId", "PmtMtd", "NbOfTxs", "CtrlSum", "ReqdExctnDt", "Dbtr", "DbtrAcct"]
    assert _local_names(initiation[1]) == [*head, "DbtrAgt", *["CdtTrfTxInf"] * 3]
    assert _local_names(initiation[2]) == [*head, "DbtrAgt", *["CdtTrfTxInf"] * 3]
    assert initiation[1].findtext("p:PmtMtd", namespaces=NS) == "TRF"
    for tx in root.iterfind(".//p:CdtTrfTxInf", NS):
        names = _local_names(tx)
        assert names in (["PmtId", "Amt", "Cdtr", "CdtrAcct"], [*names[:4], "RmtInf"])
        assert names[:4] == ["PmtId", "Amt", "Cdtr", "CdtrAcct"]
        assert _local_names(tx[0]) == ["InstrId", "EndToEndId"]


def test_debtor_agent_is_bic_then_iid_then_not_provided() -> None:
    # given
    cases = [
        {"debtor_bic": "UBSWCHZH80A"},
        {},
        {"debtor_iban": DE_IBAN},
    ]
    # when
    agents = [
        parse(_write([_payment()], **case), options=ReadOptions()).find(
            ".//p:DbtrAgt/p:FinInstnId", NS
        )
        for case in cases
    ]
    # then
    flat = [
        [(etree.QName(e).localname, e.text) for e in agent.iter() if e.text and e.text.strip()]
        for agent in agents
        if agent is not None
    ]
    assert flat == [
        [("BICFI", "UBSWCHZH80A")],
        [("Cd", "CHBCC"), ("MmbId", "04835")],
        [("Id", "NOTPROVIDED")],
    ]


def test_text_outside_the_sps_set_is_transliterated() -> None:
    # given
    payments = [
        _payment(
            creditor_name="  Zoë \u201cO\u2019Brien\u201d \u2013 Ǎrt\tﬁne Иван 😀 ",
            unstructured_message="Ș\u0219 Ț\u021b € Ǆ q\u0303\nline",
        )
    ]
    # when
    root = parse(_write(payments), options=ReadOptions())
    # then
    assert root.findtext(".//p:Cdtr/p:Nm", namespaces=NS) == ('Zoë "O\'Brien" - Art fine .... .')
    assert root.findtext(".//p:Ustrd", namespaces=NS) == "Șș Țț € DZ q line"
    assert transliterate("\u0000\u0085a\u200bb") == "a b"


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=80), message=st.text(max_size=150))
def test_any_text_is_either_refused_or_written_in_the_sps_set(name: str, message: str) -> None:
    # given
    payments = [_payment(creditor_name=name, unstructured_message=message)]
    cleaned_name, cleaned_message = transliterate(name), transliterate(message)
    refused = not cleaned_name or len(cleaned_name) > 70 or len(cleaned_message) > 140
    # when
    if refused:
        with pytest.raises(RuleViolation, match="pain001-text-"):
            _write(payments)
        return
    root = parse(_write(payments), options=ReadOptions())
    # then
    assert root.findtext(".//p:Cdtr/p:Nm", namespaces=NS) == cleaned_name
    assert (root.findtext(".//p:Ustrd", namespaces=NS) or "") == cleaned_message
    sps_extra = {0x218, 0x219, 0x21A, 0x21B, 0x20AC}
    assert all(
        0x20 <= ord(ch) <= 0x7E or 0xA0 <= ord(ch) <= 0x17F or ord(ch) in sps_extra
        for ch in cleaned_name + cleaned_message
    )


def test_amounts_are_written_with_exactly_two_decimals() -> None:
    # given
    amounts = [Decimal(5), Decimal("1E+2"), Decimal("0.1"), Decimal("12345678.90")]
    payments = [_payment(end_to_end_id=f"A{i}", amount=a) for i, a in enumerate(amounts)]
    # when
    root = parse(_write(payments), options=ReadOptions())
    # then
    assert [e.text for e in root.iterfind(".//p:InstdAmt", NS)] == [
        "5.00",
        "100.00",
        "0.10",
        "12345678.90",
    ]
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "12345784.00"


def test_payment_values_are_frozen_and_slotted() -> None:
    # given
    payment = _payment()
    # when
    with pytest.raises(dataclasses.FrozenInstanceError):
        payment.amount = Decimal(1)  # type: ignore[misc]  # the point: assignment must fail
    # then
    assert not hasattr(payment, "__dict__")
    assert not hasattr(payment.creditor_address, "__dict__")


def _bad_write(case: str) -> bytes:
    payments: dict[str, list[Pain001Payment]] = {
        "empty": [],
        "qrr-de": [_payment(creditor_iban=DE_IBAN, reference_type="QRR", reference=QRR)],
        "qrr-plain-ch": [_payment(reference_type="QRR", reference=QRR)],
        "qrr-usd": [
            _payment(currency="USD", creditor_iban=QR_IBAN, reference_type="QRR", reference=QRR)
        ],
        "qrr-check-digit": [
            _payment(creditor_iban=QR_IBAN, reference_type="QRR", reference=QRR[:-1] + "8")
        ],
        "scor-qr-iban": [_payment(creditor_iban=QR_IBAN, reference_type="SCOR", reference=SCOR)],
        "scor-bad": [_payment(reference_type="SCOR", reference="RF19539007547034")],
        "scor-missing": [_payment(reference_type="SCOR")],
        "non-with-reference": [_payment(reference=SCOR)],
        "type": [_payment(reference_type="IPI")],
        "zero": [_payment(amount=Decimal(0))],
        "negative": [_payment(amount=Decimal("-1.00"))],
        "nan": [_payment(amount=Decimal("NaN"))],
        "float": [_payment(amount=1.5)],
        "precision": [_payment(amount=Decimal("1.005"))],
        "huge": [_payment(amount=Decimal("1E+16"))],
        "total-huge": [
            _payment(end_to_end_id=f"H{i}", amount=Decimal("5000000000000000")) for i in range(2)
        ],
        "xyz": [_payment(currency="XYZ")],
        "jpy": [_payment(currency="JPY")],
        "lowercase": [_payment(currency="chf")],
        "creditor-iban": [_payment(creditor_iban="CH9300762011623852958")],
        "duplicate": [_payment(), _payment()],
        "e2e-chars": [_payment(end_to_end_id="E2E_1")],
        "e2e-long": [_payment(end_to_end_id="E" * 36)],
        "name-long": [_payment(creditor_name="N" * 71)],
        "name-blank": [_payment(creditor_name=" \u200b ")],
        "message-long": [_payment(unstructured_message="m" * 141)],
        "town": [_payment(creditor_address=Pain001Address(town="", country="CH"))],
        "country": [_payment(creditor_address=Pain001Address(town="Bern", country="Schweiz"))],
    }
    header: dict[str, dict[str, Any]] = {
        "msg-id": {"message_id": "MSG#1"},
        "naive": {"created_at": CREATED.replace(tzinfo=None)},
        "offset": {"created_at": CREATED.astimezone(timezone(timedelta(hours=1)))},
        "debtor-iban": {"debtor_iban": "CH56 0483 5012 3456 7800 8"},
        "bic": {"debtor_bic": "UBSW CH ZH"},
        "debtor-name": {"debtor_name": ""},
    }
    return _write(payments.get(case, [_payment()]), **header.get(case, {}))


@pytest.mark.parametrize(
    ("case", "code", "location"),
    [
        ("empty", "pain001-no-payments", "payments"),
        ("qrr-de", "pain001-qrr-iban-country", "payments[0].creditor_iban"),
        ("qrr-plain-ch", "pain001-qrr-needs-qr-iban", "payments[0].creditor_iban"),
        ("qrr-usd", "pain001-qrr-currency", "payments[0].currency"),
        ("qrr-check-digit", "pain001-reference-invalid", "payments[0].reference"),
        ("scor-qr-iban", "pain001-qr-iban-needs-qrr", "payments[0].creditor_iban"),
        ("scor-bad", "pain001-reference-invalid", "payments[0].reference"),
        ("scor-missing", "pain001-reference-invalid", "payments[0].reference"),
        ("non-with-reference", "pain001-reference-unexpected", "payments[0].reference"),
        ("type", "pain001-reference-type-unknown", "payments[0].reference_type"),
        ("zero", "pain001-amount-not-positive", "payments[0].amount"),
        ("negative", "pain001-amount-not-positive", "payments[0].amount"),
        ("nan", "pain001-amount-invalid", "payments[0].amount"),
        ("float", "pain001-amount-invalid", "payments[0].amount"),
        ("precision", "pain001-amount-precision", "payments[0].amount"),
        ("huge", "pain001-amount-too-large", "payments[0].amount"),
        ("total-huge", "pain001-amount-too-large", "payments"),
        ("xyz", "pain001-currency-unknown", "payments[0].currency"),
        ("jpy", "pain001-currency-unknown", "payments[0].currency"),
        ("lowercase", "pain001-currency-unknown", "payments[0].currency"),
        ("creditor-iban", "pain001-iban-invalid", "payments[0].creditor_iban"),
        ("duplicate", "pain001-end-to-end-id-duplicate", "payments[1].end_to_end_id"),
        ("e2e-chars", "pain001-id-invalid", "payments[0].end_to_end_id"),
        ("e2e-long", "pain001-id-invalid", "payments[0].end_to_end_id"),
        ("name-long", "pain001-text-too-long", "payments[0].creditor_name"),
        ("name-blank", "pain001-text-missing", "payments[0].creditor_name"),
        ("message-long", "pain001-text-too-long", "payments[0].unstructured_message"),
        ("town", "pain001-text-missing", "payments[0].creditor_address.town"),
        ("country", "pain001-country-invalid", "payments[0].creditor_address.country"),
        ("msg-id", "pain001-id-invalid", "message_id"),
        ("naive", "pain001-created-at-not-utc", "created_at"),
        ("offset", "pain001-created-at-not-utc", "created_at"),
        ("debtor-iban", "pain001-iban-invalid", "debtor_iban"),
        ("bic", "pain001-bic-invalid", "debtor_bic"),
        ("debtor-name", "pain001-text-missing", "debtor_name"),
    ],
)
def test_input_the_sps_reject_raises_a_specific_rule_violation(
    case: str, code: str, location: str
) -> None:
    # given / when
    with pytest.raises(RuleViolation) as caught:
        _bad_write(case)
    # then
    assert (caught.value.code, caught.value.location) == (code, location)
    assert isinstance(caught.value, ValueError)


def _slip(**changes: Any) -> PaymentSlip:
    values: dict[str, Any] = {
        "iban": QR_IBAN,
        "amount": Decimal("1949.75"),
        "currency": "CHF",
        "reference_type": "QRR",
        "reference": QRR,
        "message": "Order of 15 June",
        "bill_information": None,
        "creditor": Address("S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH"),
    }
    values.update(changes)
    return PaymentSlip(**values)


def test_a_read_slip_becomes_the_payment_that_pays_it() -> None:
    # given
    slip = _slip()

    # when
    payment = payment_from_slip(slip, end_to_end_id="LB-7")

    # then
    address = Pain001Address(
        street="Rue du Lac", building_number="1268", postal_code="2501", town="Biel", country="CH"
    )
    assert payment == Pain001Payment(
        end_to_end_id="LB-7",
        amount=Decimal("1949.75"),
        currency="CHF",
        creditor_name="Robert Schneider AG",
        creditor_iban=QR_IBAN,
        creditor_address=address,
        reference_type="QRR",
        reference=QRR,
        unstructured_message="Order of 15 June",
    )


def test_a_combined_address_is_split_into_postal_code_and_town() -> None:
    # given
    creditor = Address("K", "Pia Muster", "Weg 1", None, None, "8001 Zürich", "CH")

    # when
    payment = payment_from_slip(_slip(creditor=creditor), end_to_end_id="LB-8")

    # then
    assert payment.creditor_address == Pain001Address(
        street="Weg 1", postal_code="8001", town="Zürich", country="CH"
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amount": None}, "pain001-amount-invalid"),
        ({"creditor": Address("S", "Pia Muster", country="CH")}, "pain001-text-missing"),
    ],
)
def test_a_slip_that_cannot_be_paid_is_refused(changes: dict[str, Any], code: str) -> None:
    # given
    slip = _slip(**changes)

    # when
    with pytest.raises(RuleViolation) as caught:
        payment_from_slip(slip, end_to_end_id="LB-9")

    # then
    assert caught.value.code == code
