"""How a stored original is read back and shown: its bytes, PDF pages as PNG, XML indented.

The detail page shows the original beside the extracted fields: images inline, PDFs as
PNG images of their first pages (headless and many phone browsers show no PDF in a
frame), XML pretty-printed (parsed hardened) and escaped by the template. Page images are
rendered on each request, capped in pages and pixels; nothing is written to disk. The web
views only call these functions and turn ``None`` into a 404.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from lxml import etree

from ledgerbridge.formats import FormatError, ReadOptions
from ledgerbridge.formats.pdf import PDFIUM_LOCK
from ledgerbridge.formats.xmlsafe import parse as parse_xml

if TYPE_CHECKING:
    import pypdfium2

    from ledgerbridge.hub.documents.models import StoredFile

__all__ = [
    "INLINE_TYPES",
    "PDF_PREVIEW_PAGES",
    "original_bytes",
    "original_view",
    "pdf_page_count",
    "pretty_xml",
    "render_pdf_page",
]

# Originals a browser may show inline; everything else is always a download.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp", "image/tiff"})
_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})
_TEXT_PREVIEW_BYTES = 200_000
# PDF previews: the first pages only, about 1200 px wide, never more than 3 MP a page.
PDF_PREVIEW_PAGES = 5
_PDF_PREVIEW_WIDTH = 1200
_PDF_PREVIEW_MAX_PIXELS = 3_000_000
_PDF_MAX_SCALE = 4.0


def original_bytes(stored: StoredFile, limit: int | None = None) -> bytes:
    """The stored original, at most ``limit`` bytes (all of it by default).

    Uploads are capped (``LEDGERBRIDGE_MAX_UPLOAD_BYTES``), so an original is read in one piece.
    """
    if limit is None:
        limit = stored.size + 1
    with default_storage.open(stored.storage_name, "rb") as handle:
        return bytes(handle.read(limit))


def pretty_xml(data: bytes) -> str | None:
    """The XML indented for reading, parsed hardened; ``None`` when it cannot be parsed.

    >>> print(pretty_xml(b"<a><b>1</b></a>"))
    <a>
      <b>1</b>
    </a>
    """
    try:
        root = parse_xml(data, options=ReadOptions(max_bytes=max(len(data), 1)))
    except FormatError:
        return None
    for element in root.iter():
        # indentation that was in the file would stop lxml from indenting anew
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return etree.tostring(root, pretty_print=True, encoding="unicode").rstrip("\n")


def _open_pdf(data: bytes) -> pypdfium2.PdfDocument | None:
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None


def pdf_page_count(data: bytes) -> int:
    """How many pages the PDF has; 0 when PDFium cannot open it (broken or encrypted).

    >>> pdf_page_count(b"not a pdf")
    0
    """
    with PDFIUM_LOCK:  # shared with uploads read in other threads
        document = _open_pdf(data)
        if document is None:
            return 0
        try:
            return len(document)
        finally:
            document.close()


def _preview_scale(width: float, height: float) -> float:
    """Scale from PDF points to pixels: about 1200 px wide, at most 3 MP and 4x.

    >>> round(_preview_scale(595, 842), 3)  # A4: 1200 x 1699 px
    2.017
    >>> _preview_scale(5000, 5000) ** 2 * 5000 * 5000 <= 3_000_000
    True
    """
    scale = min(_PDF_PREVIEW_WIDTH / max(width, 1.0), _PDF_MAX_SCALE)
    pixels = width * height * scale * scale
    if pixels > _PDF_PREVIEW_MAX_PIXELS:
        # 1 % below the cap: PDFium rounds both sides up to whole pixels
        scale *= math.sqrt(0.99 * _PDF_PREVIEW_MAX_PIXELS / pixels)
    return scale


def render_pdf_page(data: bytes, page: int) -> bytes | None:
    """Page ``page`` (1-based, within the preview cap) as PNG; ``None`` when there is none."""
    import pypdfium2

    if not 1 <= page <= PDF_PREVIEW_PAGES:
        return None
    with PDFIUM_LOCK:  # shared with uploads read in other threads
        document = _open_pdf(data)
        if document is None:
            return None
        try:
            if page > len(document):
                return None
            pdf_page = document[page - 1]
            bitmap = pdf_page.render(scale=_preview_scale(*pdf_page.get_size()))
            # A copy owns its pixels, so nothing of PDFium is freed outside the lock.
            image = bitmap.to_pil().copy()
            bitmap.close()
            pdf_page.close()
        except pypdfium2.PdfiumError:
            return None
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def original_view(stored: StoredFile) -> dict[str, Any]:
    """How the detail page shows the original: image, frame, XML or text (or not at all)."""
    content_type = stored.content_type
    if content_type in _IMAGE_TYPES:
        return {"mode": "image"}
    if content_type == "application/pdf":
        count = pdf_page_count(original_bytes(stored))
        shown = min(count, PDF_PREVIEW_PAGES)
        return {"mode": "pdf", "pages": range(1, shown + 1), "count": count, "more": count - shown}
    if content_type in {"application/xml", "text/plain"} and stored.size <= _TEXT_PREVIEW_BYTES:
        data = original_bytes(stored, _TEXT_PREVIEW_BYTES)
        if content_type == "application/xml":
            pretty = pretty_xml(data)
            if pretty is not None:
                return {"mode": "xml", "text": pretty}
        return {"mode": "text", "text": data.decode("utf-8", errors="replace")}
    return {"mode": "none"}
