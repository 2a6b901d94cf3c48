"""Small helpers shared by the API routers: pagination, cursors and the documented errors."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.api.schemas import ErrorOut
from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid
from ledgerbridge.hub.core.validators import MAX_ID

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import Model, QuerySet
    from ninja import Schema

    from ledgerbridge.hub.api.schemas import PageQuery

M = TypeVar("M", bound="Model")
P = TypeVar("P", bound="Schema")


@dataclass(frozen=True, slots=True)
class IdCursor:
    """An opaque cursor over rows in id order: clients pass it back, they need not read it.
    The prefix tells one list's cursors from another's.

    >>> slips = IdCursor("s1:")
    >>> slips.decode(slips.encode(42))
    42
    >>> IdCursor("x1:").decode(slips.encode(42))
    Traceback (most recent call last):
    ...
    ledgerbridge.hub.core.errors.Invalid: This cursor is not one the API gave out.
    """

    prefix: str

    def encode(self, last_id: int) -> str:
        return base64.urlsafe_b64encode(f"{self.prefix}{last_id}".encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> int:
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
            if not text.startswith(self.prefix):
                raise ValueError(text)
            last_id = int(text.removeprefix(self.prefix))
            if not 0 <= last_id <= MAX_ID:
                raise ValueError(text)
            return last_id
        except (ValueError, binascii.Error, UnicodeDecodeError) as err:
            raise Invalid(
                ErrorCode.CURSOR_INVALID, _("This cursor is not one the API gave out.")
            ) from err


# Every endpoint may answer these; listing them makes the OpenAPI document complete.
ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def paginate(
    page_type: Callable[..., P],
    queryset: QuerySet[M],
    *,
    query: PageQuery,
    out: Callable[[M], Schema],
) -> P:
    """One page of ``queryset`` as a ``page_type`` with ``items``, ``count``, ``page`` and
    ``page_size``; ``out`` turns each row into the item schema."""
    start = (query.page - 1) * query.page_size
    return page_type(
        items=[out(obj) for obj in queryset[start : start + query.page_size]],
        count=queryset.count(),
        page=query.page,
        page_size=query.page_size,
    )
