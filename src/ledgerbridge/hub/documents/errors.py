"""Why a file was refused, as :class:`~ledgerbridge.hub.core.errors.ServiceError` subclasses.

The HTTP status says which kind of refusal it is; the ``code`` says exactly what was
wrong, and mirrors the :class:`~ledgerbridge.formats.FormatError` code where the formats
library found the problem::

    Invalid (422)             file-empty, no-document-found, qr-not-a-qr-bill,
                              limit-image-pixels, malformed-*, ...
    ├── FileTooLarge (413)    file-too-large
    └── UnsupportedType (415) unsupported-format, unsupported-xml-root, ...
    Conflict (409)            plan-limit-reached, idempotency-key-reused, slip-rejected, ...

The library's own ``message`` is English by design and written for developers ("the image
holds no readable QR code", "PDFium: Data format error"); people read the hub's plain,
translated sentence for the code instead, from :data:`FORMAT_MESSAGES` (one entry per
:class:`~ledgerbridge.formats.ErrorCode`, checked by a test). The library's text and
location stay on the error's ``details`` for logs and support.

>>> from ledgerbridge.formats import UnsupportedFormat
>>> from ledgerbridge.hub.core.codes import FormatCode
>>> err = from_format_error(UnsupportedFormat("unsupported-format", "a.pdf", "not a PDF"))
>>> (type(err).__name__, err.status, str(err.code))
('UnsupportedType', 415, 'unsupported-format')
>>> str(err.message) == str(FORMAT_MESSAGES[FormatCode.UNSUPPORTED_FORMAT]), err.details
(True, {'location': 'a.pdf', 'detail': 'not a PDF'})
>>> from_format_error(UnsupportedFormat(FormatCode.FILE_TOO_LARGE, "", "big")).status
413

A document's findings keep the library's English message (the API answers it as it is);
the hub's own findings (:class:`~ledgerbridge.hub.core.codes.FindingCode`) are stored
alike, and :func:`finding_message` gives people their translated sentence from
:data:`FINDING_MESSAGES`:

>>> from django.utils import translation
>>> with translation.override("de"):
...     finding_message({"code": "not-addressed-to-organization", "message": "..."})[:40]
'Nicht an diese Organisation adressiert: '
>>> finding_message({"code": "BR-CO-15", "message": "gross != net + tax"})
'gross != net + tax'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext_lazy as _

from ledgerbridge.formats import UnsupportedFormat
from ledgerbridge.hub.core.codes import Code, FindingCode, FormatCode
from ledgerbridge.hub.core.errors import Invalid

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.utils.functional import Promise

    from ledgerbridge.formats import FormatError

__all__ = [
    "FINDING_MESSAGES",
    "FORMAT_MESSAGES",
    "FileTooLarge",
    "UnsupportedType",
    "finding_message",
    "from_format_error",
]

_TOO_LARGE = _("The file is larger than the upload limit.")
_CANNOT_READ = _("The file could not be read. Check that it is complete and try again.")
_ORDER_FAILED = _("The payment order could not be created. Try again, or tell your support.")
_UNSUPPORTED = _(
    "This kind of file is not supported: send a PDF, an image, an XML e-invoice "
    "or bank statement, or a QR-bill."
)
_BAD_QR_BILL = _("The QR code looks like a Swiss QR-bill but its content is damaged or incomplete.")

# What a person reads for each code of the formats library; keyed by the enum so a new
# code without a sentence fails the test (tests/hub/documents/test_errors.py).
FORMAT_MESSAGES: Mapping[FormatCode, str | Promise] = {
    # the defaults of the error tree
    FormatCode.FORMAT_ERROR: _CANNOT_READ,
    FormatCode.UNSUPPORTED_FORMAT: _UNSUPPORTED,
    FormatCode.MALFORMED_DOCUMENT: _("The document in this file is damaged and cannot be read."),
    FormatCode.RULE_VIOLATION: _(
        "The document in this file breaks a rule of its standard and cannot be read."
    ),
    FormatCode.LIMIT_EXCEEDED: _("The file is too big or too complex to be read."),
    # the file as a whole
    FormatCode.FILE_EMPTY: _("The file is empty."),
    FormatCode.FILE_TOO_LARGE: _TOO_LARGE,
    FormatCode.FILE_UNREADABLE: _CANNOT_READ,
    FormatCode.NO_DOCUMENT_FOUND: _(
        "No QR-bill, e-invoice or bank statement was found in the file."
    ),
    # XML
    FormatCode.UNSUPPORTED_XML_ROOT: _(
        "This XML file is not an e-invoice or bank statement that can be read here."
    ),
    FormatCode.MALFORMED_XML: _("The XML file is damaged: it is not well-formed XML."),
    FormatCode.XML_DOCTYPE_FORBIDDEN: _(
        "XML files with a document type declaration are refused for safety."
    ),
    FormatCode.LIMIT_XML_DEPTH: _("The XML file is nested too deeply to be read safely."),
    FormatCode.CAMT_NO_STATEMENT: _("The bank file holds no account statement."),
    # PDF and images
    FormatCode.MALFORMED_PDF: _(
        "The PDF cannot be opened: it is damaged or protected by a password."
    ),
    FormatCode.LIMIT_PDF_PAGES: _("The PDF has too many pages to be read."),
    FormatCode.LIMIT_PDF_TIME: _("Reading the PDF took too long. Try a smaller file."),
    FormatCode.MALFORMED_IMAGE: _("The image cannot be opened: it is damaged or not an image."),
    FormatCode.LIMIT_IMAGE_PIXELS: _("The image is too large. Send a smaller photo."),
    FormatCode.NO_QR_BILL_FOUND: _(
        "No QR code could be read in the image. Take the photo again, closer and in good light."
    ),
    # the QR-bill payload
    FormatCode.QRBILL_UNREADABLE: _BAD_QR_BILL,
    FormatCode.QRBILL_ENCODING_INVALID: _BAD_QR_BILL,
    FormatCode.QRBILL_HEADER_INVALID: _("The QR code is not a Swiss QR-bill."),
    FormatCode.QRBILL_TOO_FEW_LINES: _BAD_QR_BILL,
    FormatCode.QRBILL_VERSION_UNSUPPORTED: _("This version of the Swiss QR-bill is not supported."),
    FormatCode.QRBILL_CODING_TYPE_UNSUPPORTED: _BAD_QR_BILL,
    FormatCode.QRBILL_TRAILER_MISSING: _BAD_QR_BILL,
    # the pain.001 payment order
    FormatCode.PAIN001_AMOUNT_INVALID: _("A payment slip has no valid amount."),
    FormatCode.PAIN001_AMOUNT_NOT_POSITIVE: _("Only amounts above zero can be paid."),
    FormatCode.PAIN001_AMOUNT_PRECISION: _("An amount has more than two decimals."),
    FormatCode.PAIN001_AMOUNT_TOO_LARGE: _("An amount or the total is too large to be paid."),
    FormatCode.PAIN001_BIC_INVALID: _("The BIC is not valid."),
    FormatCode.PAIN001_COUNTRY_INVALID: _("A country in an address is not valid."),
    FormatCode.PAIN001_CREATED_AT_NOT_UTC: _ORDER_FAILED,
    FormatCode.PAIN001_CURRENCY_UNKNOWN: _("A currency is not known."),
    FormatCode.PAIN001_END_TO_END_ID_DUPLICATE: _("The same payment is in the order twice."),
    FormatCode.PAIN001_IBAN_INVALID: _("The IBAN is not valid."),
    FormatCode.PAIN001_ID_INVALID: _ORDER_FAILED,
    FormatCode.PAIN001_NO_PAYMENTS: _("Choose the payment slips to pay."),
    FormatCode.PAIN001_QR_IBAN_NEEDS_QRR: _("A QR-IBAN can only be paid with a QR reference."),
    FormatCode.PAIN001_QRR_CURRENCY: _("Payments with a QR reference are in CHF or EUR only."),
    FormatCode.PAIN001_QRR_IBAN_COUNTRY: _(
        "A QR reference is only used with a Swiss or Liechtenstein account."
    ),
    FormatCode.PAIN001_QRR_NEEDS_QR_IBAN: _("A QR reference needs a QR-IBAN."),
    FormatCode.PAIN001_REFERENCE_INVALID: _("A payment reference is not valid."),
    FormatCode.PAIN001_REFERENCE_TYPE_UNKNOWN: _("A payment reference is of an unknown kind."),
    FormatCode.PAIN001_REFERENCE_UNEXPECTED: _(
        "A payment has a reference although it is paid without one."
    ),
    FormatCode.PAIN001_TEXT_MISSING: _("A name, town or country is missing."),
    FormatCode.PAIN001_TEXT_TOO_LONG: _("A name or address is too long for a payment order."),
}


# What a person reads for each of the hub's own findings (one entry per FindingCode).
FINDING_MESSAGES: Mapping[FindingCode, str | Promise] = {
    FindingCode.NOT_ADDRESSED_TO_ORGANIZATION: _(
        "Not addressed to this organization: neither seller nor buyer carries its tax ID "
        "or that of a linked client."
    ),
}


def finding_message(finding: Mapping[str, object]) -> str:
    """The sentence shown for one stored finding: translated for the hub's own codes, the
    formats library's (English) message otherwise."""
    try:
        code = FindingCode(str(finding.get("code", "")))
    except ValueError:
        return str(finding.get("message") or "")
    return str(FINDING_MESSAGES[code])


class FileTooLarge(Invalid):
    status = 413
    default_code: ClassVar[Code] = FormatCode.FILE_TOO_LARGE
    default_message = _TOO_LARGE


class UnsupportedType(Invalid):
    status = 415
    default_code: ClassVar[Code] = FormatCode.UNSUPPORTED_FORMAT
    default_message = _UNSUPPORTED


def from_format_error(err: FormatError) -> Invalid:
    """The refusal that answers a :class:`FormatError`, with the library's own code."""
    code = FormatCode(err.code)
    message = FORMAT_MESSAGES[code]
    details = {"location": err.location, "detail": err.message}
    if code == FormatCode.FILE_TOO_LARGE:
        return FileTooLarge(FormatCode.FILE_TOO_LARGE, message, **details)
    if isinstance(err, UnsupportedFormat):
        return UnsupportedType(code, message, **details)
    # LimitExceeded (pixels, pages, time) and MalformedDocument: the content is refused.
    return Invalid(code, message, **details)
