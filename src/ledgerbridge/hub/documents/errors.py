"""Why a file was refused, as :class:`~ledgerbridge.hub.core.errors.ServiceError` subclasses.

The HTTP status says which kind of refusal it is; the ``code`` says exactly what was
wrong, and mirrors the :class:`~ledgerbridge.formats.FormatError` code where the formats
library found the problem::

    Invalid (422)             file-empty, no-document-found, qr-not-a-qr-bill,
                              limit-image-pixels, malformed-*, ...
    ├── FileTooLarge (413)    file-too-large
    └── UnsupportedType (415) unsupported-format, unsupported-xml-root, ...
    Conflict (409)            quota-exceeded, idempotency-key-reused, slip-rejected, ...

>>> from ledgerbridge.formats import UnsupportedFormat
>>> from ledgerbridge.hub.core.codes import FormatCode
>>> err = from_format_error(UnsupportedFormat("unsupported-format", "a.pdf", "not a PDF"))
>>> (type(err).__name__, err.status, str(err.code))
('UnsupportedType', 415, 'unsupported-format')
>>> from_format_error(UnsupportedFormat(FormatCode.FILE_TOO_LARGE, "", "big")).status
413
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext_lazy as _

from ledgerbridge.formats import UnsupportedFormat
from ledgerbridge.hub.core.codes import Code, FormatCode
from ledgerbridge.hub.core.errors import Invalid

if TYPE_CHECKING:
    from ledgerbridge.formats import FormatError

__all__ = ["FileTooLarge", "UnsupportedType", "from_format_error"]


class FileTooLarge(Invalid):
    status = 413
    default_code: ClassVar[Code] = FormatCode.FILE_TOO_LARGE
    default_message = _("The file is larger than the upload limit.")


class UnsupportedType(Invalid):
    status = 415
    default_code: ClassVar[Code] = FormatCode.UNSUPPORTED_FORMAT
    default_message = _(
        "This kind of file is not supported: send a PDF, an image, an XML e-invoice "
        "or bank statement, or a QR-bill."
    )


def from_format_error(err: FormatError) -> Invalid:
    """The refusal that answers a :class:`FormatError`, with the library's own code."""
    code = FormatCode(err.code)
    message = f"{err.message} ({err.location})" if err.location else err.message
    if code == FormatCode.FILE_TOO_LARGE:
        return FileTooLarge(FormatCode.FILE_TOO_LARGE, message)
    if isinstance(err, UnsupportedFormat):
        return UnsupportedType(code, message)
    # LimitExceeded (pixels, pages, time) and MalformedDocument: the content is refused.
    return Invalid(code, message)
