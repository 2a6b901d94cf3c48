"""Take the invoice XML out of a Factur-X / ZUGFeRD / XRechnung PDF.

A hybrid e-invoice is a PDF/A-3 with the structured invoice as an embedded file:
``factur-x.xml`` (Factur-X 1.0, ZUGFeRD 2.1+), ``zugferd-invoice.xml`` (ZUGFeRD 2.0),
``ZUGFeRD-invoice.xml`` (ZUGFeRD 1.0) or ``xrechnung.xml`` (XRechnung in a ZUGFeRD
PDF). :func:`extract_xml` returns the bytes of that attachment, preferring the names in
that order (a PDF that carries a ZUGFeRD 1 and a Factur-X file yields the Factur-X one),
or ``None`` when the PDF carries none. Reading the XML is left to
:func:`ledgerbridge.formats.xmldocs.read_embedded`, so the one hardened XML parser
applies; the PDF library only lists attachments.

A PDF/A-3 e-invoice carries exactly one invoice XML. The bytes returned are an
:class:`EmbeddedXml`, which remembers the names of all invoice attachments found, so
:func:`~ledgerbridge.formats.xmldocs.read_embedded` can report a PDF with two of them (a
ZUGFeRD 1 and a Factur-X invoice, say) as ``FX-MULTIPLE-XML``.

pypdf does the PDF work; any of its exceptions becomes
``MalformedDocument(ErrorCode.MALFORMED_PDF)`` and its warnings are silenced locally, so a
broken PDF never leaks anything but a :class:`~ledgerbridge.formats.errors.FormatError`.

>>> try:
...     extract_xml(b"%PDF-1.7 but nothing else")
... except MalformedDocument as err:
...     print(err.code)
malformed-pdf
"""

from __future__ import annotations

import io
import warnings

from ledgerbridge.formats.errors import ErrorCode, MalformedDocument

__all__ = ["INVOICE_ATTACHMENT_NAMES", "EmbeddedXml", "extract_xml"]

#: Attachment names of the invoice XML, most specific first (compared case-insensitively).
INVOICE_ATTACHMENT_NAMES = (
    "factur-x.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
)
_PREFERENCE = {name: rank for rank, name in enumerate(INVOICE_ATTACHMENT_NAMES)}


class EmbeddedXml(bytes):
    """The bytes of the chosen invoice attachment, with the names of all invoice attachments.

    >>> xml = EmbeddedXml(b"<a/>", ("factur-x.xml", "ZUGFeRD-invoice.xml"))
    >>> xml == b"<a/>", xml.invoice_attachments
    (True, ('factur-x.xml', 'ZUGFeRD-invoice.xml'))
    """

    invoice_attachments: tuple[str, ...]

    def __new__(cls, content: bytes, invoice_attachments: tuple[str, ...]) -> EmbeddedXml:
        xml = super().__new__(cls, content)
        xml.invoice_attachments = invoice_attachments
        return xml


def extract_xml(data: bytes) -> EmbeddedXml | None:
    """The embedded invoice XML of a Factur-X/ZUGFeRD/XRechnung PDF, or ``None``."""
    attachments = _attachments(data)
    found = [
        (_PREFERENCE[name.lower()], name, content)
        for name, content in attachments
        if name.lower() in _PREFERENCE and content
    ]
    if not found:
        return None
    found.sort(key=lambda triple: triple[0])
    return EmbeddedXml(found[0][2], tuple(name for _, name, _ in found))


def _attachments(data: bytes) -> list[tuple[str, bytes]]:
    """Every (name, first content) of the PDF's embedded files."""
    # pypdf reports recoverable damage as warnings (besides its logger); they are not for
    # our callers, and pytest runs with warnings as errors.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data), strict=False)
            return [
                (str(name), bytes(contents[0]))
                for name, contents in reader.attachments.items()
                if contents
            ]
    except RecursionError:
        raise MalformedDocument(
            ErrorCode.MALFORMED_PDF, "", "the PDF cannot be read: its objects nest too deeply"
        ) from None
    except Exception as err:
        raise MalformedDocument(
            ErrorCode.MALFORMED_PDF, "", f"the PDF cannot be read ({type(err).__name__}: {err})"
        ) from None
