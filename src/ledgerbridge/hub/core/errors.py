"""The one error tree of the hub's domain services.

Services raise these; the web views turn them into form errors or messages, the API
into ``{"code": ..., "message": ...}`` with the HTTP status of the class::

    ServiceError(Exception)          code, message, status
    ├── NotFound          404        a missing *or foreign* object (identical answers)
    ├── PermissionDenied  403        the actor lacks a permission in this organization
    ├── Conflict          409        the request clashes with the current state
    └── Invalid           422        the input itself is wrong

``code`` is an :class:`~ledgerbridge.hub.core.codes.ErrorCode` (stable kebab-case that clients
may branch on), or a formats library code passed through; ``message`` is translatable.

>>> err = Conflict(ErrorCode.TAX_ID_TAKEN, "This tax ID is already registered.")
>>> (str(err.code), err.status, str(err))
('tax-id-taken', 409, 'This tax ID is already registered.')
>>> isinstance(NotFound(), ServiceError), NotFound().code
(True, <ErrorCode.NOT_FOUND: 'not-found'>)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import Code, ErrorCode

if TYPE_CHECKING:
    from django.utils.functional import Promise

__all__ = ["Conflict", "Invalid", "NotFound", "PermissionDenied", "ServiceError"]


class ServiceError(Exception):
    """A domain rule refused the request; nothing was changed."""

    status: ClassVar[int] = 400
    default_code: ClassVar[Code] = ErrorCode.ERROR
    default_message: ClassVar[str | Promise] = _("The request could not be carried out.")

    def __init__(
        self,
        code: Code | None = None,
        message: str | Promise | None = None,
        **details: object,
    ) -> None:
        self.code: Code = code or self.default_code
        self.message: str | Promise = message if message is not None else self.default_message
        self.details = details
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotFound(ServiceError):
    status = 404
    default_code: ClassVar[Code] = ErrorCode.NOT_FOUND
    default_message = _("Not found.")


class PermissionDenied(ServiceError):
    status = 403
    default_code: ClassVar[Code] = ErrorCode.PERMISSION_DENIED
    default_message = _("You do not have permission to do this.")


class Conflict(ServiceError):
    status = 409
    default_code: ClassVar[Code] = ErrorCode.CONFLICT
    default_message = _("This conflicts with the current state.")


class Invalid(ServiceError):
    status = 422
    default_code: ClassVar[Code] = ErrorCode.INVALID
    default_message = _("The input is not valid.")
