"""XML dispatch by root element, the shared value reader, and every corpus file reading."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from ledgerbridge.formats import xmldocs
from ledgerbridge.formats.errors import FormatError, MalformedDocument, UnsupportedFormat
from ledgerbridge.formats.model import Container, Format, Invoice, Kind, ReadOptions
from tests.formats.conformance.corpus import corpus_root, manifest

UBL_MINIMAL = (
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    b"<cbc:ID>1</cbc:ID></Invoice>"
)
CII_MINIMAL = (
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
    b'CrossIndustryInvoice:100"/>'
)
NO_CHECKS = ReadOptions(validate=False)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0"?><a/>', True),
        (b"\xef\xbb\xbf<?xml version='1.0'?><a/>", True),
        (b"\r\n  \t<Invoice/>", True),
        (b"\xff\xfe<\x00?\x00x\x00", True),
        (b"SPC\r\n0200\r\n1", False),
        (b"%PDF-1.7", False),
        (b"", False),
    ],
)
def test_sniff(head: bytes, expected: bool) -> None:
    # when
    result = xmldocs.sniff(head)

    # then
    assert result is expected


def test_ubl_root_goes_to_the_ubl_reader() -> None:
    # when
    result = xmldocs.read(UBL_MINIMAL, options=NO_CHECKS)

    # then
    (document,) = result.documents
    assert (document.format, document.container, document.kind) == (
        Format.UBL,
        Container.XML,
        Kind.INVOICE,
    )


def test_cii_root_goes_to_the_cii_reader() -> None:
    # when
    result = xmldocs.read(CII_MINIMAL, options=NO_CHECKS)

    # then
    assert result.documents[0].format is Format.CII


def test_zugferd1_release_candidate_root_goes_to_the_cii_reader() -> None:
    # given
    data = (
        b'<rsm:Invoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CBFBUY:5">'
        b"<rsm:HeaderExchangedDocument><ID>7</ID></rsm:HeaderExchangedDocument></rsm:Invoice>"
    )

    # when
    (document,) = xmldocs.read(data, options=NO_CHECKS).documents

    # then
    assert document.format is Format.CII
    assert isinstance(document.data, Invoice)
    assert document.data.number == "7"


def test_read_embedded_keeps_the_container() -> None:
    # when
    result = xmldocs.read_embedded(UBL_MINIMAL, options=NO_CHECKS, container=Container.PDF)

    # then
    assert result.documents[0].container is Container.PDF


def test_ksef_root_goes_to_the_ksef_reader() -> None:
    # given
    entry = next(e for e in manifest("ksef") if e["expect"] == "valid")

    # when
    result = xmldocs.read(entry["path"].read_bytes(), options=NO_CHECKS)

    # then
    assert result.documents[0].format is Format.KSEF_FA3


def test_camt053_root_goes_to_the_camt053_reader() -> None:
    # given
    entry = next(e for e in manifest("camt053") if e["expect"] == "valid")

    # when
    result = xmldocs.read(entry["path"].read_bytes(), options=NO_CHECKS)

    # then
    assert result.documents[0].format is Format.CAMT_053


def test_unknown_root_is_unsupported_and_named() -> None:
    # given
    data = b'<rss xmlns="urn:example:feed" version="2.0"/>'

    # when
    with pytest.raises(UnsupportedFormat) as caught:
        xmldocs.read(data, options=NO_CHECKS)

    # then
    assert caught.value.code == "unsupported-xml-root"
    assert caught.value.location == "/rss"
    assert "{urn:example:feed}rss" in caught.value.message


def test_ubl_local_name_in_a_foreign_namespace_is_unsupported() -> None:
    # given
    data = b'<Invoice xmlns="urn:example:not-ubl"/>'

    # when
    with pytest.raises(UnsupportedFormat) as caught:
        xmldocs.read(data, options=NO_CHECKS)

    # then
    assert caught.value.location == "/Invoice"


def test_broken_xml_is_malformed() -> None:
    # when
    with pytest.raises(MalformedDocument) as caught:
        xmldocs.read(b"<Invoice><ID>1</Invoice>", options=NO_CHECKS)

    # then
    assert caught.value.code == "malformed-xml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", Decimal("12.50")),
        (" -0.5 ", Decimal("-0.5")),
        ("+7", Decimal("7")),
        (".25", Decimal("0.25")),
        ("100.", Decimal("100")),
        ("123456789012345678901234.123456789", Decimal("123456789012345678901234.123456789")),
    ],
)
def test_value_reader_decimal_is_exact(text: str, expected: Decimal) -> None:
    # given
    values = xmldocs.ValueReader("UBL")
    element = etree.fromstring(f"<a>{text}</a>")

    # when
    result = values.decimal(element)

    # then
    assert result == expected
    assert str(result) == str(expected)
    assert values.findings == []


@pytest.mark.parametrize("text", ["1e3", "12,50", "", "NaN", "Infinity", "1 000", "0x10"])
def test_value_reader_decimal_refuses_what_xs_decimal_refuses(text: str) -> None:
    # given
    values = xmldocs.ValueReader("CII")
    root = etree.fromstring(f"<r><a>{text}</a></r>")

    # when
    result = values.decimal(root[0])

    # then
    assert result is None
    (finding,) = values.findings
    assert (finding.code, finding.location) == ("CII-SCHEMA-DECIMAL", "/r/a")
    assert finding.is_error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("2016-04-04+01:00", date(2016, 4, 4)),
        ("2016-04-04Z", date(2016, 4, 4)),
    ],
)
def test_value_reader_iso_date(text: str, expected: date) -> None:
    # given
    values = xmldocs.ValueReader("UBL")

    # when
    result = values.iso_date(etree.fromstring(f"<d>{text}</d>"))

    # then
    assert result == expected
    assert values.findings == []


@pytest.mark.parametrize("text", ["2023-02-29", "20230101", "2023-1-1", "31.01.2023", ""])
def test_value_reader_iso_date_refuses_other_forms(text: str) -> None:
    # given
    values = xmldocs.ValueReader("UBL")

    # when
    result = values.iso_date(etree.fromstring(f"<d>{text}</d>"))

    # then
    assert result is None
    assert [f.code for f in values.findings] == ["UBL-SCHEMA-DATE"]


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("102", "20250131", date(2025, 1, 31)),
        ("102", "20250231", None),
        ("102", "2025-01-31", None),
        ("610", "202501", None),
        (None, "20250131", None),
    ],
)
def test_value_reader_date_102(fmt: str | None, text: str, expected: date | None) -> None:
    # given
    values = xmldocs.ValueReader("CII")
    attribute = f' format="{fmt}"' if fmt else ""

    # when
    result = values.date_102(etree.fromstring(f"<d{attribute}>{text}</d>"))

    # then
    assert result == expected
    assert [f.code for f in values.findings] == ([] if expected else ["CII-SCHEMA-DATE"])


def _readable_entries() -> list[Any]:
    params = []
    for folder in ("ubl", "cii", "xrechnung"):
        for entry in manifest(folder):
            if entry.get("scope") == "rules" or entry["expect"] != "valid":
                continue
            params.append(pytest.param(entry["path"], id=f"{folder}/{entry['file']}"))
    return params


@pytest.mark.parametrize("path", _readable_entries())
def test_every_valid_corpus_invoice_reads(path: Any) -> None:
    # given
    data = path.read_bytes()

    # when
    try:
        result = xmldocs.read(data, options=ReadOptions())
    except FormatError as err:  # a clear refusal is still a failure for a valid file
        pytest.fail(f"{path.name} was refused: {err}")

    # then
    (document,) = result.documents
    assert document.format in (Format.UBL, Format.CII)
    assert isinstance(document.data, Invoice)
    assert document.data.number
    assert document.data.issue_date is not None
    assert not [f for f in document.findings if "-SCHEMA-" in f.code]


def test_corpus_is_where_the_tests_expect_it() -> None:
    # when
    root = corpus_root()

    # then
    assert len(_readable_entries()) > 250
    assert (root / "ubl" / "manifest.json").is_file()


def test_the_package_facade_routes_xml_here() -> None:
    # given
    from ledgerbridge.formats import read

    # when
    result = read(b"\n" + CII_MINIMAL, options=NO_CHECKS)

    # then
    assert result.documents[0].format is Format.CII
