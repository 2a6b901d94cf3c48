"""Choose the reader for a file by looking at its bytes, never at its name.

The container is decided first (PDF, raster image, XML, plain text); the XML formats
are then told apart by their root element's namespace. The file name is only used for
messages: an HTML page called ``invoice.pdf`` is still refused as unsupported.
"""

from __future__ import annotations

from ledgerbridge.formats.errors import (
    ErrorCode,
    LimitExceeded,
    MalformedDocument,
    UnsupportedFormat,
)
from ledgerbridge.formats.model import ReadOptions, ReadResult

_DEFAULT_OPTIONS = ReadOptions()


def read(
    data: bytes, *, filename: str | None = None, options: ReadOptions = _DEFAULT_OPTIONS
) -> ReadResult:
    """Detect the format of ``data`` and read every business document in it."""
    # Imported here so that importing the package stays cheap (PDF and image
    # libraries are heavy) and so a reader module may import the package facade.
    from ledgerbridge.formats import images, pdf, qrbill, xmldocs

    if not data:
        raise MalformedDocument(ErrorCode.FILE_EMPTY, filename or "", "the file is empty")
    if len(data) > options.max_bytes:
        raise LimitExceeded(
            ErrorCode.FILE_TOO_LARGE,
            filename or "",
            f"the file has {len(data)} bytes; at most {options.max_bytes} are accepted",
        )
    head = data[:4096]
    if pdf.sniff(head):
        return pdf.read(data, options=options)
    if images.sniff(head):
        return images.read(data, options=options)
    if xmldocs.sniff(head):
        return xmldocs.read(data, options=options)
    if qrbill.sniff(head):
        return qrbill.read(data, options=options)
    raise UnsupportedFormat(
        ErrorCode.UNSUPPORTED_FORMAT,
        filename or "",
        "not a PDF, image, XML e-invoice, bank statement or QR-bill payload",
    )
