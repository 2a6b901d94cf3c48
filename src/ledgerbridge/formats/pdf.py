"""PDF files: embedded e-invoice XML (Factur-X, ZUGFeRD, XRechnung) and printed QR-bills.

:func:`read` first asks :mod:`ledgerbridge.formats.facturx` for an embedded invoice XML and
reads it with :mod:`ledgerbridge.formats.xmldocs`; then it renders every page with
pypdfium2 (at ``options.pdf_dpi``, at least 150 dpi, in greyscale) and adds a
:class:`Document` (container ``pdf``) for every QR-bill on every page. Caps:
``options.max_pdf_pages`` (``limit-pdf-pages``), ``options.pdf_render_seconds`` for all
pages together (``limit-pdf-time``) and ``options.max_pixels`` per rendered page (larger
pages are rendered at a lower resolution). An encrypted or broken file raises
``malformed-pdf``; a PDF with neither an invoice nor a QR-bill raises ``no-document-found``.

>>> sniff(b"%PDF-1.7\\n"), sniff(b"\\n" * 1000 + b"%PDF-1.4"), sniff(b"\\n" * 1100 + b"%PDF-")
(True, True, False)
"""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING

from ledgerbridge.formats import barcodes, facturx, xmldocs
from ledgerbridge.formats.errors import ErrorCode, FormatError, LimitExceeded, MalformedDocument
from ledgerbridge.formats.model import Container, Document, Finding, ReadOptions, ReadResult

if TYPE_CHECKING:
    import pypdfium2
    from PIL import Image

__all__ = ["PDFIUM_LOCK", "read", "sniff"]

# PDFium is not thread-safe (pypdfium2 documents that no two threads may call into it at
# once) and the hub serves requests in threads; every PDFium call in this process, here
# and in the hub's page previews, holds this lock. Pages and bitmaps are closed inside it
# so that no finalizer calls PDFium later from another thread.
PDFIUM_LOCK = threading.RLock()

_MIN_DPI = 150
_POINTS_PER_INCH = 72


def sniff(head: bytes) -> bool:
    """True when ``%PDF-`` occurs within the first 1024 bytes (as PDF readers accept)."""
    return b"%PDF-" in head[:1024]


def _open(data: bytes) -> pypdfium2.PdfDocument:
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        # PDFium reports a password (encryption) and a broken file the same way.
        raise MalformedDocument(
            ErrorCode.MALFORMED_PDF, "", f"the PDF cannot be opened (broken or encrypted): {exc}"
        ) from exc


def _render(
    document: pypdfium2.PdfDocument, index: int, *, dpi: int, max_pixels: int
) -> Image.Image:
    with PDFIUM_LOCK:
        page = document[index]
        try:
            width, height = page.get_size()
            scale = dpi / _POINTS_PER_INCH
            pixels = width * scale * height * scale
            if pixels > max_pixels:
                scale *= math.sqrt(max_pixels / pixels)
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                # A copy owns its pixels; the bitmap's buffer dies with the bitmap.
                image: Image.Image = bitmap.to_pil().copy()
            finally:
                bitmap.close()
        finally:
            page.close()
    return image


def _embedded(data: bytes, options: ReadOptions) -> list[Document]:
    xml = facturx.extract_xml(data)
    if xml is None:
        return []
    return list(xmldocs.read_embedded(xml, options=options, container=Container.PDF).documents)


def _pages(
    document: pypdfium2.PdfDocument, options: ReadOptions
) -> tuple[list[Document], list[Finding]]:
    import pypdfium2

    with PDFIUM_LOCK:
        count = len(document)
    if count > options.max_pdf_pages:
        raise LimitExceeded(
            ErrorCode.LIMIT_PDF_PAGES,
            "",
            f"the PDF has {count} pages; at most {options.max_pdf_pages}",
        )
    deadline = time.monotonic() + options.pdf_render_seconds
    dpi = max(options.pdf_dpi, _MIN_DPI)
    documents: list[Document] = []
    notices: list[Finding] = []
    for index in range(count):
        if time.monotonic() > deadline:
            raise LimitExceeded(
                ErrorCode.LIMIT_PDF_TIME,
                f"page {index + 1}",
                f"rendering took more than {options.pdf_render_seconds} s",
            )
        try:
            image = _render(document, index, dpi=dpi, max_pixels=options.max_pixels)
            texts = barcodes.read_qr_texts(image)
        except (pypdfium2.PdfiumError, RuntimeError, ValueError) as exc:
            raise MalformedDocument(ErrorCode.MALFORMED_PDF, f"page {index + 1}", str(exc)) from exc
        found, page_notices = barcodes.classify(texts, Container.PDF, f"page {index + 1}")
        documents += found
        notices += page_notices
    return documents, notices


def read(data: bytes, *, options: ReadOptions) -> ReadResult:
    """Read the embedded e-invoice and every QR-bill of a PDF."""
    with PDFIUM_LOCK:
        document = _open(data)
    try:
        invoices = _embedded(data, options)
        slips, notices = _pages(document, options)
    except FormatError:
        raise
    except Exception as exc:  # PDF producers are inventive; a surprise must stay a FormatError
        raise MalformedDocument(
            ErrorCode.MALFORMED_PDF, "", f"the PDF cannot be read: {exc}"
        ) from exc
    finally:
        with PDFIUM_LOCK:
            document.close()
    documents = (*invoices, *slips)
    if not documents:
        raise MalformedDocument(
            ErrorCode.NO_DOCUMENT_FOUND, "", "the PDF holds neither an e-invoice nor a QR-bill"
        )
    return ReadResult(documents=documents, notices=tuple(notices))
