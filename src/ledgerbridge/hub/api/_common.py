"""Small helpers shared by the API routers: pagination and the documented error answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from ledgerbridge.hub.api.schemas import ErrorOut

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import Model, QuerySet
    from ninja import Schema

    from ledgerbridge.hub.api.schemas import PageQuery

M = TypeVar("M", bound="Model")
P = TypeVar("P", bound="Schema")

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
