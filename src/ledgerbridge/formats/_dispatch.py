"""Choose the reader for a file by looking at its bytes, never at its name.

The container is decided first (PDF, raster image, XML, plain text); the XML formats
are then told apart by their root element's namespace. The file name is only used for
messages: an HTML page called ``invoice.pdf`` is still refused as unsupported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.formats import images, pdf, qrbill, xmldocs
from ledgerbridge.formats.errors import (
    ErrorCode,
    LimitExceeded,
    MalformedDocument,
    UnsupportedFormat,
)
from ledgerbridge.formats.model import ReadOptions, ReadResult

if TYPE_CHECKING:
    from collections.abc import Callable

_DEFAULT_OPTIONS = ReadOptions()

#: ``(sniff, read)`` of every container, asked in this order; the first whose sniff
#: recognises the head of the file reads it.
_READERS: tuple[tuple[Callable[[bytes], bool], Callable[..., ReadResult]], ...] = (
    (pdf.sniff, pdf.read),
    (images.sniff, images.read),
    (xmldocs.sniff, xmldocs.read),
    (qrbill.sniff, qrbill.read),
)


def read(
    data: bytes, *, filename: str | None = None, options: ReadOptions = _DEFAULT_OPTIONS
) -> ReadResult:
    """Detect the format of ``data`` and read every business document in it."""
    if not data:
        raise MalformedDocument(ErrorCode.FILE_EMPTY, filename or "", "the file is empty")
    if len(data) > options.max_bytes:
        raise LimitExceeded(
            ErrorCode.FILE_TOO_LARGE,
            filename or "",
            f"the file has {len(data)} bytes; at most {options.max_bytes} are accepted",
        )
    head = data[:4096]
    for sniff, read_bytes in _READERS:
        if sniff(head):
            result: ReadResult = read_bytes(data, options=options)
            return result
    raise UnsupportedFormat(
        ErrorCode.UNSUPPORTED_FORMAT,
        filename or "",
        "not a PDF, image, XML e-invoice, bank statement or QR-bill payload",
    )
