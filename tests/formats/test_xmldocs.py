"""XML dispatch by root element, and every corpus file reading."""

from __future__ import annotations

from typing import Any

import pytest

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
