"""The one error tree of :mod:`ledgerbridge.formats`.

Every failure to read bytes into the canonical model is a :class:`FormatError`, so a
caller (the hub, the agent, the CLI) needs exactly one ``except`` clause and can turn
the stable ``code`` into an API error or an exit status::

    ValueError
     └── FormatError                code, location, message
          ├── UnsupportedFormat      "unsupported-format": no reader recognises the bytes
          ├── MalformedDocument      "malformed-*", "file-empty": the format is known but
          │    │                     the bytes are broken
          │    └── RuleViolation     a rule of the standard that makes reading impossible
          └── LimitExceeded          "limit-*", "file-too-large": size, pixel, page or time
                                     cap reached

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
    # refusals of the ISO 20022 pain.001 writer (ledgerbridge.targets.pain001)
    PAIN001_AMOUNT_INVALID = "pain001-amount-invalid"
    PAIN001_AMOUNT_NOT_POSITIVE = "pain001-amount-not-positive"
    PAIN001_AMOUNT_PRECISION = "pain001-amount-precision"
    PAIN001_AMOUNT_TOO_LARGE = "pain001-amount-too-large"
    PAIN001_BIC_INVALID = "pain001-bic-invalid"
    PAIN001_COUNTRY_INVALID = "pain001-country-invalid"
    PAIN001_CREATED_AT_NOT_UTC = "pain001-created-at-not-utc"
    PAIN001_CURRENCY_UNKNOWN = "pain001-currency-unknown"
    PAIN001_END_TO_END_ID_DUPLICATE = "pain001-end-to-end-id-duplicate"
    PAIN001_IBAN_INVALID = "pain001-iban-invalid"
    PAIN001_ID_INVALID = "pain001-id-invalid"
    PAIN001_NO_PAYMENTS = "pain001-no-payments"
    PAIN001_QR_IBAN_NEEDS_QRR = "pain001-qr-iban-needs-qrr"
    PAIN001_QRR_CURRENCY = "pain001-qrr-currency"
    PAIN001_QRR_IBAN_COUNTRY = "pain001-qrr-iban-country"
    PAIN001_QRR_NEEDS_QR_IBAN = "pain001-qrr-needs-qr-iban"
    PAIN001_REFERENCE_INVALID = "pain001-reference-invalid"
    PAIN001_REFERENCE_TYPE_UNKNOWN = "pain001-reference-type-unknown"
    PAIN001_REFERENCE_UNEXPECTED = "pain001-reference-unexpected"
    PAIN001_TEXT_MISSING = "pain001-text-missing"
    PAIN001_TEXT_TOO_LONG = "pain001-text-too-long"


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
