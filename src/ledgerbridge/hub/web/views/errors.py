"""The web UI's error pages: 403, 404, a refused CSRF check and 500, in the site's look.

The 403 and 404 pages extend the base template, so a logged-in user keeps the navigation
and the page speaks the user's language. The 500 page is different on purpose: the error
may be the database itself, so it renders a self-contained template without the request,
the user or any context processor that could query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from django.http import HttpRequest


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "web/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/csrf_failure.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # the nonce is set by the middleware, which needs no database
    context = {"csp_nonce": getattr(request, "csp_nonce", "")}
    return HttpResponse(render_to_string("web/500.html", context), status=500)
