"""Helpers shared by the view modules: client IP, pagination, confirmation pages, messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.shortcuts import render

from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.identity.permissions import ROLE_LABELS, Role

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

T = TypeVar("T")


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[T], per_page: int) -> Page[Any]:
    """The page named by ``?page=`` (out-of-range numbers give the last page)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def confirm(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    button: str,
    danger: bool = False,
    back: str,
) -> HttpResponse:
    """A page asking to confirm a consequential action, which POSTs to the same URL."""
    context = {
        "title": title,
        "question": question,
        "button": button,
        "danger": danger,
        "back": back,
    }
    return render(request, "web/confirm.html", context)


def run_service(
    request: HttpRequest,
    call: Callable[[], object],
    *,
    done: str,
    let_through: tuple[type[ServiceError], ...] = (),
) -> bool:
    """Run one service ``call`` and tell the user how it went, in a message.

    A refusal shows its message (except the ``let_through`` kinds, which propagate for
    the view to answer), success shows ``done``. True when the call succeeded.
    """
    try:
        call()
    except let_through:
        raise
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, done)
    return True


def role_label(role: str) -> str:
    """The translated name of a role (an unknown one reads as its code)."""
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role
