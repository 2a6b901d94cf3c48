"""The QR-bill payload reader: element rules, tolerated quirks, structural errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerbridge.formats import (
    Container,
    Format,
    FormatError,
    Kind,
    MalformedDocument,
    PaymentSlip,
    ReadOptions,
    ReadResult,
    Severity,
    qrbill,
    read,
)

OPTIONS = ReadOptions()
_QR_IBAN = "CH4431999123000889012"
_IBAN = "CH5800791123000889012"
_QRR = "210000000003139471430009017"


def payload(**changes: str) -> list[str]:
    """A valid QR-bill (QR-IBAN, QRR) as element list; ``changes`` maps index 'eN' to text."""
    lines = [
        "SPC",
        "0200",
        "1",
        _QR_IBAN,
        "S",
        "Robert Schneider AG",
        "Rue du Lac",
        "1268",
        "2501",
        "Biel",
        "CH",
        *[""] * 7,
        "1949.75",
        "CHF",
        "S",
        "Pia Rutschmann",
        "Marktgasse",
        "28",
        "9400",
        "Rorschach",
        "CH",
        "QRR",
        _QRR,
        "Order of 15.06.2020",
        "EPD",
    ]
    for key, value in changes.items():
        index = int(key[1:])
        while len(lines) <= index:
            lines.append("")
        lines[index] = value
    return lines


def parse(lines: list[str], sep: str = "\r\n") -> tuple[PaymentSlip, list[tuple[str, str, str]]]:
    document = qrbill.read(sep.join(lines).encode(), options=OPTIONS).documents[0]
    assert isinstance(document.data, PaymentSlip)
    return document.data, [(f.severity.value, f.code, f.location) for f in document.findings]


def test_valid_payload_reads_into_one_payment_slip() -> None:
    # given
    data = "\r\n".join(payload()).encode()
    # when
    result = qrbill.read(data, options=OPTIONS)
    # then
    (document,) = result.documents
    assert (document.format, document.container, document.kind) == (
        Format.SWISS_QR_BILL,
        Container.TEXT,
        Kind.PAYMENT_SLIP,
    )
    assert document.findings == ()
    slip = document.data
    assert isinstance(slip, PaymentSlip)
    assert slip.iban == _QR_IBAN
    assert slip.amount == Decimal("1949.75")
    assert (slip.reference_type, slip.reference) == ("QRR", _QRR)
    assert slip.creditor.building_number == "1268"
    assert slip.ultimate_debtor is not None
    assert slip.ultimate_debtor.town == "Rorschach"
    assert slip.message == "Order of 15.06.2020"
    assert (slip.bill_information, slip.bill, slip.alternative_procedures) == (None, None, ())


def test_facade_dispatches_text_with_bom_to_the_qrbill_reader() -> None:
    # given
    data = b"\xef\xbb\xbf" + "\n".join(payload()).encode()
    # when
    result = read(data)
    # then
    assert [d.format for d in result.documents] == [Format.SWISS_QR_BILL]
    assert result.documents[0].findings == ()


def test_sniff_wants_spc_at_the_start() -> None:
    # given / when / then
    assert qrbill.sniff(b"SPC\r\n0200")
    assert qrbill.sniff(b"\xef\xbb\xbfSPC\n0200")
    assert not qrbill.sniff(b" SPC\n0200")
    assert not qrbill.sniff(b"<?xml")


@pytest.mark.parametrize(
    ("changes", "finding"),
    [
        ({"e3": "CH4431999123000889013"}, ("error", "qrbill-iban-checksum", "iban")),
        ({"e3": "LI4431999123000889012"}, ("error", "qrbill-iban-checksum", "iban")),
        ({"e3": "FR7630006000011234567890189"[:21]}, ("error", "qrbill-iban-country", "iban")),
        ({"e3": _IBAN}, ("error", "qrbill-qrr-requires-qr-iban", "reference")),
        ({"e27": "NON", "e28": ""}, ("error", "qrbill-qr-iban-requires-qrr", "reference_type")),
        ({"e28": "210000000003139471430009016"}, ("error", "qrbill-qrr-check-digit", "reference")),
        ({"e28": "21000000000313947143000901"}, ("error", "qrbill-qrr-invalid", "reference")),
        ({"e18": "0.00"}, ("error", "qrbill-amount-range", "amount")),
        ({"e18": "1000000000"}, ("error", "qrbill-amount-range", "amount")),
        ({"e18": "12.345"}, ("error", "qrbill-amount-decimals", "amount")),
        ({"e18": "12,50"}, ("error", "qrbill-amount-invalid", "amount")),
        ({"e19": "USD"}, ("error", "qrbill-currency-invalid", "currency")),
        ({"e5": "R" * 71}, ("error", "qrbill-field-too-long", "creditor.name")),
        ({"e5": "Zoë ☃"}, ("error", "qrbill-character-invalid", "creditor.name")),
        ({"e9": ""}, ("error", "qrbill-address-town-missing", "creditor.town")),
        ({"e10": "ch"}, ("error", "qrbill-address-country-invalid", "creditor.country")),
        ({"e20": "X"}, ("error", "qrbill-address-type-invalid", "ultimate_debtor.address_type")),
        ({"e12": "Somebody"}, ("error", "qrbill-ultimate-creditor-not-empty", "ultimate_creditor")),
        (
            {"e29": "m" * 100, "e31": "//" + "b" * 39},
            ("error", "qrbill-field-too-long", "message+bill_information"),
        ),
        ({"e31": "ABCD"}, ("error", "qrbill-bill-information-invalid", "bill_information")),
        ({"e19": ""}, ("error", "qrbill-currency-missing", "currency")),
        ({"e28": "RF18539007547034"}, ("error", "qrbill-reference-type-invalid", "reference_type")),
        ({"e31": "//A"}, ("error", "qrbill-bill-information-invalid", "bill_information")),
        ({"e8": ""}, ("error", "qrbill-address-postal-code-missing", "creditor.postal_code")),
        ({"e18": "1000000000.00"}, ("error", "qrbill-amount-range", "amount")),
        ({"e18": "0000000001.50"}, ("error", "qrbill-field-too-long", "amount")),
        ({"e10": "Schweiz"}, ("error", "qrbill-address-country-invalid", "creditor.country")),
        ({"e3": "DE68201207003100755555"}, ("error", "qrbill-iban-country", "iban")),
        ({"e3": "CH5604835012345678009123"}, ("error", "qrbill-iban-invalid", "iban")),
        (
            {"e32": "A1", "e33": "A2", "e34": "A3"},
            ("error", "qrbill-alternative-procedures-too-many", "alternative_procedures"),
        ),
    ],
)
def test_element_rule_violations_become_error_findings(
    changes: dict[str, str], finding: tuple[str, str, str]
) -> None:
    # given
    lines = payload(**changes)
    # when
    _, findings = parse(lines)
    # then
    assert findings == [finding]


def test_scor_reference_with_ordinary_iban_is_valid_and_checked() -> None:
    # given
    good = payload(e3=_IBAN, e27="SCOR", e28="RF18539007547034")
    bad = payload(e3=_IBAN, e27="SCOR", e28="RF19539007547034")
    # when
    _, good_findings = parse(good)
    _, bad_findings = parse(bad)
    # then
    assert good_findings == []
    assert bad_findings == [("error", "qrbill-scor-checksum", "reference")]


def test_non_reference_must_be_empty() -> None:
    # given
    lines = payload(e3=_IBAN, e27="NON", e28="12345")
    # when
    _, findings = parse(lines)
    # then
    assert findings == [("error", "qrbill-reference-not-allowed", "reference")]


def test_real_world_quirks_are_warnings_and_read_through() -> None:
    # given: IBAN with spaces, trailing blanks, a line break after the last element
    lines = payload(e3="CH44 3199 9123 0008 8901 2", e5="Robert Schneider AG  ")
    data = ("\n".join(lines) + "\n").encode()
    # when
    document = qrbill.read(data, options=OPTIONS).documents[0]
    # then
    assert [(f.severity, f.code) for f in document.findings] == [
        (Severity.WARNING, "qrbill-trailing-separator"),
        (Severity.WARNING, "qrbill-trailing-blanks"),
        (Severity.WARNING, "qrbill-iban-spaces"),
    ]
    assert isinstance(document.data, PaymentSlip)
    assert (document.data.iban, document.data.creditor.name) == (_QR_IBAN, "Robert Schneider AG")


def test_combined_address_is_read_with_a_deprecation_warning() -> None:
    # given
    lines = payload(
        e20="K", e21="Pia Rutschmann", e22="Marktgasse 28", e23="9400 Rorschach", e24="", e25=""
    )
    # when
    slip, findings = parse(lines)
    # then
    assert findings == [("warning", "qrbill-address-combined", "ultimate_debtor.address_type")]
    assert slip.ultimate_debtor is not None
    assert (slip.ultimate_debtor.street, slip.ultimate_debtor.town) == (
        "Marktgasse 28",
        "9400 Rorschach",
    )


def test_swico_bill_information_is_decoded_into_the_slip() -> None:
    # given
    lines = payload(
        e31="//S1/10/10201409/11/190512/32/7.7/40/2:10;0:30", e32="eBill/B/x@example.ch"
    )
    # when
    slip, findings = parse(lines)
    # then
    assert findings == []
    assert slip.bill is not None
    assert slip.bill.invoice_number == "10201409"
    assert slip.bill.vat_rates == ((Decimal("7.7"), None),)
    assert slip.alternative_procedures == ("eBill/B/x@example.ch",)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"SPC1\n0200\n1", "qrbill-header-invalid"),
        (b"SPC\n0200\n1\n", "qrbill-too-few-lines"),
        ("\n".join(payload(e1="0300")).encode(), "qrbill-version-unsupported"),
        ("\n".join(payload(e2="2")).encode(), "qrbill-coding-type-unsupported"),
        ("\n".join(payload(e30="END")).encode(), "qrbill-trailer-missing"),
        (b"SPC\n\xff\xfe", "qrbill-encoding-invalid"),
    ],
)
def test_structural_breakage_raises_malformed_document(data: bytes, code: str) -> None:
    # given / when
    with pytest.raises(MalformedDocument) as caught:
        qrbill.read(data, options=OPTIONS)
    # then
    assert caught.value.code == code


def test_parse_payload_is_the_text_entry_point() -> None:
    # given
    text = "\n".join(payload(e18=""))
    # when
    slip, findings = qrbill.parse_payload(text)
    # then
    assert (slip.amount, findings) == (None, [])


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_bytes_give_a_result_or_a_format_error(data: bytes) -> None:
    # given / when
    try:
        outcome: object = qrbill.read(b"SPC\n" + data, options=OPTIONS)
    except FormatError as err:
        outcome = err
    # then
    assert isinstance(outcome, ReadResult | FormatError)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=31, max_size=36))
def test_any_element_values_give_a_result_or_a_format_error(elements: list[str]) -> None:
    # given
    text = "\r\n".join(["SPC", "0200", "1", *elements[3:30], "EPD", *elements[31:]])
    # when
    try:
        outcome: object = qrbill.read(text.encode(errors="replace"), options=OPTIONS)
    except FormatError as err:
        outcome = err
    # then
    assert isinstance(outcome, ReadResult | FormatError)
