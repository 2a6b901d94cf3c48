"""Small helpers shared by the API routers: pagination and the documented error answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from ledgerbridge.hub.api.schemas import ErrorOut

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import Model, QuerySet

M = TypeVar("M", bound="Model")

# Every endpoint may answer these; listing them makes the OpenAPI document complete.
ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def paginate(
    queryset: QuerySet[M], *, page: int, page_size: int, out: Callable[[M], Any]
) -> dict[str, Any]:
    """One page of ``queryset`` as ``{"items", "count", "page", "page_size"}``."""
    start = (page - 1) * page_size
    return {
        "items": [out(obj) for obj in queryset[start : start + page_size]],
        "count": queryset.count(),
        "page": page,
        "page_size": page_size,
    }
