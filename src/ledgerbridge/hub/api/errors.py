"""Error answers under ``/api/`` for requests that never reach one of the API's operations.

The exception handlers in :mod:`.root` answer what an operation raises. Other requests
under ``/api/`` fail before that: the path is unknown (Django's 404 handler), the path
exists but not for that method (ninja builds a plain-text 405 itself), the CSRF check of
Django's middleware refused the request, or the server failed. The site's error handlers
call the views below for API paths, and :class:`JsonErrorsMiddleware` turns any other
error answer under ``/api/`` that is not JSON into the API's one error body,
``{"code": ..., "message": ...}``. Clients never have to parse an HTML page.

>>> error_response(404, ErrorCode.NOT_FOUND, "no such path").content
b'{"code": "not-found", "message": "no such path"}'
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from django.http import JsonResponse

from ledgerbridge.hub.core.codes import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

__all__ = [
    "API_PREFIX",
    "JsonErrorsMiddleware",
    "bad_request",
    "csrf_failure",
    "error_response",
    "is_api_request",
    "not_found",
    "permission_denied",
    "server_error",
]

API_PREFIX = "/api/"

# The code of an error answer that nobody gave a more precise one.
_CODES: dict[int, ErrorCode] = {
    HTTPStatus.BAD_REQUEST: ErrorCode.INVALID_REQUEST,
    HTTPStatus.UNAUTHORIZED: ErrorCode.NOT_AUTHENTICATED,
    HTTPStatus.FORBIDDEN: ErrorCode.PERMISSION_DENIED,
    HTTPStatus.NOT_FOUND: ErrorCode.NOT_FOUND,
    HTTPStatus.METHOD_NOT_ALLOWED: ErrorCode.METHOD_NOT_ALLOWED,
}


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_response(status: int, code: str, message: str) -> JsonResponse:
    """The API's error body, built without a database or a template."""
    return JsonResponse({"code": str(code), "message": message}, status=status)


def not_found(request: HttpRequest) -> JsonResponse:
    return error_response(404, ErrorCode.NOT_FOUND, f"there is nothing at {request.path_info}")


def permission_denied(request: HttpRequest) -> JsonResponse:
    return error_response(403, ErrorCode.PERMISSION_DENIED, "you do not have permission to do this")


def bad_request(request: HttpRequest) -> JsonResponse:
    return error_response(400, ErrorCode.INVALID_REQUEST, "the request is not valid")


def csrf_failure(request: HttpRequest) -> JsonResponse:
    message = "the CSRF check failed: send the csrftoken cookie's value as X-CSRFToken"
    return error_response(403, ErrorCode.CSRF_FAILED, message)


def server_error(request: HttpRequest) -> JsonResponse:
    message = "the server failed to answer this request; it has been logged"
    return error_response(500, ErrorCode.ERROR, message)


class JsonErrorsMiddleware:
    """Under ``/api/``, turn an error answer that is not JSON into the API's error body.

    Chiefly ninja's own 405 for a known path and a method it does not serve (the
    ``Allow`` header stays), and any page a middleware answers before the API sees the
    request. Answers elsewhere pass untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api_request(request)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        code = _CODES.get(status, f"http-{status}")
        message = _phrase(status)
        # ninja lists the allowed methods from a set: sorted, the header is stable.
        allowed = ", ".join(sorted(m.strip() for m in response.get("Allow", "").split(",") if m))
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            message = f"{request.method} is not allowed here; allowed: {allowed}"
        answer = error_response(status, code, message)
        if allowed:
            answer["Allow"] = allowed
        return answer


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "the request failed"
