"""The site's error handlers: JSON under ``/api/``, the web UI's branded pages elsewhere.

Django calls these for errors that no view answered itself (``handler404`` and friends in
:mod:`.urls`, ``CSRF_FAILURE_VIEW`` in the settings). They live in ``config`` because they
choose between the two interfaces, which do not know each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.views import defaults

from ledgerbridge.hub.api import errors as api_errors
from ledgerbridge.hub.web.views import errors as web_errors

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.bad_request(request)
    # Django's own page: a bad request may be a forged Host, which the site's pages read.
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.permission_denied(request)
    return web_errors.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.not_found(request)
    return web_errors.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.server_error(request)
    return web_errors.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.csrf_failure(request)
    return web_errors.csrf_failure(request, reason)
