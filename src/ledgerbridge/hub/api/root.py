"""The API object: version, error format, and the routers of the domain apps.

Every error answer has the same body, ``{"code": "...", "message": "..."}``, with a
stable ``code`` that clients may branch on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ledgerbridge.hub.api import documents, members, tokens_audit
from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import ServiceError

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

api = NinjaAPI(
    title="ledgerbridge",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": ErrorCode.INVALID_REQUEST,
            "message": "the request is not valid",
            "errors": exc.errors,
        },
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": ErrorCode.NOT_AUTHENTICATED,
            "message": "a valid bearer token or session is required",
        },
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = getattr(exc, "code", None) or f"http-{exc.status_code}"
    return api.create_response(request, {"code": code, "message": str(exc)}, status=exc.status_code)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """A domain rule refused the request: its stable code, message and HTTP status."""
    return api.create_response(
        request, {"code": exc.code, "message": str(exc.message)}, status=exc.status
    )


api.add_router("", members.router)
api.add_router("", tokens_audit.router)
api.add_router("", documents.router)
