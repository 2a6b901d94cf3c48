"""The API object: version, error format, and the routers of the domain apps.

Every error answer has the same body, ``{"code": "...", "message": "..."}``, with a
stable ``code`` that clients may branch on.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ledgerbridge.hub.api import documents, exchange, members, tokens_audit
from ledgerbridge.hub.api.auth import TooManyFailedAttempts
from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import ServiceError

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

api = NinjaAPI(
    title="ledgerbridge",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    # Served from ninja's own static files ("ninja" is an installed app), never a CDN; and
    # no badge from Swagger's online validator, which would send the schema out.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: object
) -> HttpResponse:
    """The one error body of the API: ``{"code", "message"}`` and any detail beside."""
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 ``invalid-request`` with pydantic's list of errors; ``text-nul-byte`` when what
    is wrong is only text holding a NUL byte."""
    types = {error.get("type") for error in exc.errors}
    if types == {ErrorCode.TEXT_NUL_BYTE}:
        code, message = ErrorCode.TEXT_NUL_BYTE, "text in the request holds a NUL byte"
    else:
        code, message = ErrorCode.INVALID_REQUEST, "the request is not valid"
    return _error(request, 422, code, message, errors=exc.errors)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = "a valid bearer token or session is required"
    return _error(request, 401, ErrorCode.NOT_AUTHENTICATED, message)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == HTTPStatus.BAD_REQUEST:
        # ninja's only 400: a body that is not JSON. Like any other body that does not fit
        # the operation's schema, it is a 422 ``invalid-request`` (the documented answer).
        message = "the request body is not valid JSON"
        error = {"type": "json_invalid", "loc": ["body"], "msg": message}
        return _error(request, 422, ErrorCode.INVALID_REQUEST, message, errors=[error])
    code = getattr(exc, "code", None) or f"http-{exc.status_code}"
    return _error(request, exc.status_code, code, str(exc))


@api.exception_handler(TooManyFailedAttempts)
def _too_many_failed_attempts(request: HttpRequest, exc: TooManyFailedAttempts) -> HttpResponse:
    response = _error(request, 429, exc.code, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, ErrorCode.NOT_FOUND, "not found")


# The codes whose details are part of the documented answer (ErrorOut.details); other
# errors keep their details for the web UI and logs only.
_DETAILED = frozenset({ErrorCode.PLAN_LIMIT_REACHED, ErrorCode.PLAN_FEATURE_DISABLED})


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """A domain rule refused the request: its stable code, message and HTTP status; a plan
    refusal adds its ``details`` (the limit and the figures, or the feature)."""
    if exc.code in _DETAILED:
        return _error(request, exc.status, exc.code, str(exc.message), details=exc.details)
    return _error(request, exc.status, exc.code, str(exc.message))


api.add_router("", members.router)
api.add_router("", tokens_audit.router)
api.add_router("", documents.router)
api.add_router("", exchange.router)
