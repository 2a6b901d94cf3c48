"""PDFs: QR-bills on rendered pages, embedded e-invoices, caps and broken files."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ledgerbridge.formats import (
    Container,
    Format,
    LimitExceeded,
    MalformedDocument,
    PaymentSlip,
    ReadOptions,
    pdf,
    read,
)
from tests.formats.conformance.corpus import corpus_root
from tests.formats.test_barcodes import KSEF_URL, qr_image
from tests.formats.test_qrbill import payload

OPTIONS = ReadOptions()


def page_with(*codes: Image.Image) -> Image.Image:
    """An A4 page at 100 dpi with the QR codes stacked near the bottom, like a bill."""
    page = Image.new("L", (827, 1169), 255)
    y = 1169 - 40
    for code in codes:
        y -= code.height + 20
        page.paste(code, (60, y))
    return page


def pdf_of(*pages: Image.Image) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", resolution=100, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


BILL = qr_image("\r\n".join(payload()), scale=3)


def test_sniff_finds_the_header_in_the_first_kilobyte() -> None:
    # given / when / then
    assert pdf.sniff(b"%PDF-1.7\n")
    assert pdf.sniff(b"\r\n" * 300 + b"%PDF-1.4")
    assert not pdf.sniff(b" " * 1024 + b"%PDF-1.4")


def test_every_bill_on_every_page_is_a_document() -> None:
    # given
    other = qr_image("\r\n".join(payload(e18="5.00")), scale=3)
    data = pdf_of(page_with(BILL), page_with(other, qr_image(KSEF_URL, scale=3)))
    # when
    result = read(data)
    # then
    assert [d.container for d in result.documents] == [Container.PDF, Container.PDF]
    amounts = [str(d.data.amount) for d in result.documents if isinstance(d.data, PaymentSlip)]
    assert amounts == ["1949.75", "5.00"]
    assert [(n.code, n.location) for n in result.notices] == [("ksef-verification-qr", "page 2")]


def test_embedded_factur_x_invoice_is_read_from_the_pdf() -> None:
    # given
    path = corpus_root() / "facturx-pdf" / "XML-Rechnung__XML-Rechnung__EN16931_Einfach.pdf"
    # when
    result = pdf.read(path.read_bytes(), options=OPTIONS)
    # then
    assert [(d.format, d.container) for d in result.documents] == [(Format.CII, Container.PDF)]


def test_page_cap_is_checked_before_rendering() -> None:
    # given
    data = pdf_of(page_with(BILL), page_with(BILL), page_with(BILL))
    # when
    with pytest.raises(LimitExceeded) as caught:
        pdf.read(data, options=ReadOptions(max_pdf_pages=2))
    # then
    assert caught.value.code == "limit-pdf-pages"


def test_render_time_budget_is_enforced() -> None:
    # given
    data = pdf_of(page_with(BILL), page_with(BILL))
    # when: no time at all, so the budget is spent before a page is done
    with pytest.raises(LimitExceeded) as caught:
        pdf.read(data, options=ReadOptions(pdf_render_seconds=0.0))
    # then
    assert caught.value.code == "limit-pdf-time"


def test_pdf_without_invoice_or_bill_is_refused() -> None:
    # given
    data = pdf_of(page_with())
    # when
    with pytest.raises(MalformedDocument) as caught:
        pdf.read(data, options=OPTIONS)
    # then
    assert caught.value.code == "no-document-found"


def test_broken_and_encrypted_pdfs_are_malformed() -> None:
    # given
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_of(page_with(BILL))))
    writer.encrypt("user-secret", "owner-secret")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"
    # when
    codes = []
    for data in (encrypted.getvalue(), broken):
        with pytest.raises(MalformedDocument) as caught:
            pdf.read(data, options=OPTIONS)
        codes.append(caught.value.code)
    # then
    assert codes == ["malformed-pdf", "malformed-pdf"]
