"""Taking the invoice XML out of Factur-X / ZUGFeRD / XRechnung PDFs."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from pypdf import PdfWriter

from ledgerbridge.formats import facturx, read, xmldocs
from ledgerbridge.formats.errors import MalformedDocument
from ledgerbridge.formats.model import Container, ReadOptions
from tests.formats.conformance.corpus import corpus_root

CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"


def _pdf(attachments: dict[str, bytes]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    for name, content in attachments.items():
        writer.add_attachment(name, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _corpus_pdf(name: str) -> bytes:
    return (corpus_root() / "facturx-pdf" / name).read_bytes()


def test_factur_x_attachment_is_returned_byte_for_byte() -> None:
    # given
    xml = b"<?xml version='1.0'?><rsm:CrossIndustryInvoice xmlns:rsm='urn:x'/>"
    data = _pdf({"factur-x.xml": xml})

    # when
    result = facturx.extract_xml(data)

    # then
    assert result == xml


@pytest.mark.parametrize("name", ["zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml"])
def test_every_known_attachment_name_is_found(name: str) -> None:
    # given
    data = _pdf({name: b"<a/>"})

    # when
    result = facturx.extract_xml(data)

    # then
    assert result == b"<a/>"


def test_factur_x_wins_over_a_zugferd1_attachment() -> None:
    # given
    data = _pdf({"ZUGFeRD-invoice.xml": b"<old/>", "factur-x.xml": b"<new/>"})

    # when
    result = facturx.extract_xml(data)

    # then
    assert result == b"<new/>"


def test_pdf_without_invoice_attachment_gives_none() -> None:
    # given
    data = _pdf({"notes.xml": b"<a/>", "logo.png": b"\x89PNG"})

    # when
    result = facturx.extract_xml(data)

    # then
    assert result is None


def test_pdf_without_attachments_gives_none() -> None:
    # when
    result = facturx.extract_xml(_pdf({}))

    # then
    assert result is None


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj <</Type /Catalog /Names 2 0 R>> endobj\ntrailer <<>>", b""],
)
def test_broken_pdf_is_malformed_and_leaks_nothing(data: bytes) -> None:
    # when (pytest turns any leaked warning into an error)
    with pytest.raises(MalformedDocument) as caught:
        facturx.extract_xml(data)

    # then
    assert caught.value.code == "malformed-pdf"


def test_truncated_corpus_pdf_is_malformed() -> None:
    # given
    data = _corpus_pdf("XML-Rechnung__XML-Rechnung__EN16931_Einfach.pdf")[:5000]

    # when
    with pytest.raises(MalformedDocument) as caught:
        facturx.extract_xml(data)

    # then
    assert caught.value.code == "malformed-pdf"


def test_corpus_zugferd1_and_2_pdf_yields_the_factur_x_xml() -> None:
    # given
    data = _corpus_pdf("ZUGFeRDv2__ZUGFeRDv2__MustangRE-20171118_506_ZUGFeRD1and2.pdf")

    # when
    xml = facturx.extract_xml(data)

    # then
    assert xml is not None
    assert etree.QName(etree.fromstring(xml)).namespace == CII_NS


def test_corpus_xrechnung_pdf_yields_its_xml() -> None:
    # given
    data = _corpus_pdf("XML-Rechnung__XML-Rechnung__XRECHNUNG_Einfach.pdf")

    # when
    xml = facturx.extract_xml(data)

    # then
    assert xml is not None
    assert b"urn:xoev-de:kosit:standard:xrechnung_2.1" in bytes(xml)


def test_every_invoice_attachment_name_is_remembered() -> None:
    # given
    data = _pdf({"ZUGFeRD-invoice.xml": b"<old/>", "factur-x.xml": b"<new/>", "a.xml": b"<a/>"})

    # when
    xml = facturx.extract_xml(data)

    # then
    assert isinstance(xml, facturx.EmbeddedXml)
    assert xml.invoice_attachments == ("factur-x.xml", "ZUGFeRD-invoice.xml")


def test_two_invoice_attachments_are_an_error_finding() -> None:
    # given
    data = _corpus_pdf("ZUGFeRDv2__ZUGFeRDv2__MustangRE-20171118_506_ZUGFeRD1and2.pdf")

    # when
    (document,) = read(data).documents

    # then
    errors = [(f.code, f.location) for f in document.findings if f.is_error]
    assert errors[0] == ("FX-MULTIPLE-XML", "/")
    assert "factur-x.xml, ZUGFeRD-invoice.xml" in document.findings[0].message


def test_one_invoice_attachment_adds_no_finding() -> None:
    # given
    data = _corpus_pdf("XML-Rechnung__XML-Rechnung__EN16931_Einfach.pdf")

    # when
    (document,) = read(data).documents

    # then
    assert "FX-MULTIPLE-XML" not in {f.code for f in document.findings}


def test_plain_bytes_read_embedded_add_no_finding() -> None:
    # given: the same invoice XML, handed over without its PDF
    xml = facturx.extract_xml(
        _corpus_pdf("ZUGFeRDv2__ZUGFeRDv2__MustangRE-20171118_506_ZUGFeRD1and2.pdf")
    )
    assert xml is not None

    # when
    result = xmldocs.read_embedded(bytes(xml), options=ReadOptions(), container=Container.PDF)

    # then
    assert "FX-MULTIPLE-XML" not in {f.code for d in result.documents for f in d.findings}
