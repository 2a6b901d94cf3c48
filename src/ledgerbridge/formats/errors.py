"""The one error tree of :mod:`ledgerbridge.formats`.

Every failure to read bytes into the canonical model is a :class:`FormatError`, so a
caller (the hub, the agent, the CLI) needs exactly one ``except`` clause and can turn
the stable ``code`` into an API error or an exit status::

    ValueError
     └── FormatError                code, location, message
          ├── UnsupportedFormat      "unsupported-format": no reader recognises the bytes
          ├── MalformedDocument      "malformed-*": the format is known but the bytes are broken
          │    └── RuleViolation     a rule of the standard that makes reading impossible
          └── LimitExceeded          "limit-*": size, pixel, page or time cap reached

Every ``code`` is a member of :class:`ErrorCode`, a ``StrEnum`` whose values are the
wire names the hub answers with (``file-empty``, ``file-too-large``, ...).

Findings that do not stop reading (a wrong sum, a missing optional element) are not
exceptions: they are :class:`ledgerbridge.formats.model.Finding` values on the document.

>>> err = MalformedDocument(ErrorCode.MALFORMED_XML, "line 3", "the XML is not well-formed")
>>> isinstance(err, ValueError), err.code == "malformed-xml", str(err)
(True, True, 'malformed-xml at line 3: the XML is not well-formed')
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ErrorCode",
    "FormatError",
    "LimitExceeded",
    "MalformedDocument",
    "RuleViolation",
    "UnsupportedFormat",
]


class ErrorCode(StrEnum):
    """The stable ``code`` of every :class:`FormatError`; the value is the wire name."""

    # the default of each class of the tree
    FORMAT_ERROR = "format-error"
    UNSUPPORTED_FORMAT = "unsupported-format"
    MALFORMED_DOCUMENT = "malformed-document"
    RULE_VIOLATION = "rule-violation"
    LIMIT_EXCEEDED = "limit-exceeded"
    # the file as a whole
    FILE_EMPTY = "file-empty"
    FILE_TOO_LARGE = "file-too-large"
    FILE_UNREADABLE = "file-unreadable"
    NO_DOCUMENT_FOUND = "no-document-found"
    # XML
    UNSUPPORTED_XML_ROOT = "unsupported-xml-root"
    MALFORMED_XML = "malformed-xml"
    XML_DOCTYPE_FORBIDDEN = "xml-doctype-forbidden"
    LIMIT_XML_DEPTH = "limit-xml-depth"
    CAMT_NO_STATEMENT = "camt-no-statement"
    # PDF and images
    MALFORMED_PDF = "malformed-pdf"
    LIMIT_PDF_PAGES = "limit-pdf-pages"
    LIMIT_PDF_TIME = "limit-pdf-time"
    MALFORMED_IMAGE = "malformed-image"
    LIMIT_IMAGE_PIXELS = "limit-image-pixels"
    NO_QR_BILL_FOUND = "no-qr-bill-found"
    # the QR-bill payload
    QRBILL_UNREADABLE = "qrbill-unreadable"
    QRBILL_ENCODING_INVALID = "qrbill-encoding-invalid"
    QRBILL_HEADER_INVALID = "qrbill-header-invalid"
    QRBILL_TOO_FEW_LINES = "qrbill-too-few-lines"
    QRBILL_VERSION_UNSUPPORTED = "qrbill-version-unsupported"
    QRBILL_CODING_TYPE_UNSUPPORTED = "qrbill-coding-type-unsupported"
    QRBILL_TRAILER_MISSING = "qrbill-trailer-missing"


class FormatError(ValueError):
    """Bytes that cannot be read; ``code`` is stable, ``message`` is for people."""

    default_code: str = ErrorCode.FORMAT_ERROR

    def __init__(self, code: str | None = None, location: str = "", message: str = "") -> None:
        self.code = code or self.default_code
        self.location = location
        self.message = message or self.code
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.code}{where}: {self.message}"

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, str, str]]:
        return (type(self), (self.code, self.location, self.message))


class UnsupportedFormat(FormatError):
    """No reader recognises the bytes (or the recognised variant is not supported)."""

    default_code: str = ErrorCode.UNSUPPORTED_FORMAT


class MalformedDocument(FormatError):
    """The format is recognised but the bytes do not form a readable document."""

    default_code: str = ErrorCode.MALFORMED_DOCUMENT


class RuleViolation(MalformedDocument):
    """A rule of the standard is broken so badly that no document can be built."""

    default_code: str = ErrorCode.RULE_VIOLATION


class LimitExceeded(FormatError):
    """A safety cap (bytes, pixels, pages, rendering time, XML depth) was reached."""

    default_code: str = ErrorCode.LIMIT_EXCEEDED
