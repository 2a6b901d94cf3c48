"""Security headers on every answer: a strict Content-Security-Policy, a Permissions-Policy.

:class:`SecurityHeadersMiddleware` gives each request a fresh nonce (``request.csp_nonce``,
offered to templates as ``csp_nonce`` by :func:`csp_nonce`) and sends, on every HTML page,
a policy that runs only scripts and styles served by the hub itself or carrying that nonce:
no inline script, no ``eval``, no inline ``style=`` attribute except the one allauth's
e-mail page needs (allowed by its hash alone). The Swagger page of the API uses ninja's
template, whose only inline ``<script>`` is a JSON data block (never executed), so it gets
the same policy. Every answer also carries the Permissions-Policy: the camera for the scan
app, WebAuthn for the security-key pages, nothing else. JSON answers are not cached
(``Cache-Control: no-store``) unless the view chose a policy of its own, as the payment
slip list does for its ETag.

>>> policy = content_security_policy("abc")
>>> policy.split("; ")[:2]
["default-src 'self'", "script-src 'self' 'nonce-abc'"]
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

__all__ = [
    "PERMISSIONS_POLICY",
    "SecurityHeadersMiddleware",
    "content_security_policy",
    "csp_nonce",
]

PERMISSIONS_POLICY = ", ".join(
    (
        "camera=(self)",  # the scan app reads QR-bills with the phone's camera
        "microphone=()",
        "geolocation=()",
        "publickey-credentials-get=(self)",  # logging in with a security key
        "publickey-credentials-create=(self)",  # registering one
    )
)

# allauth's e-mail page hides its "re-send the code" form with style="display: none" (a
# template of the library's): 'unsafe-hashes' allows exactly that attribute and no other.
_ALLOWED_STYLE_ATTRIBUTES = ("display: none",)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


_STYLE_HASHES = " ".join(_hash(s) for s in _ALLOWED_STYLE_ATTRIBUTES)


def content_security_policy(nonce: str) -> str:
    """The policy of an HTML page whose inline scripts and styles carry ``nonce``."""
    directives = (
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}' 'unsafe-hashes' {_STYLE_HASHES}",
        "img-src 'self' data: blob:",  # data: QR codes of the authenticator set-up; blob: previews
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    """Give the request a nonce; add the policies to the answer (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce  # type: ignore[attr-defined]  # read by csp_nonce() below
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            response["Content-Security-Policy"] = content_security_policy(nonce)
        elif content_type.startswith("application/json"):
            response.headers.setdefault("Cache-Control", "no-store")
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """Template context: ``csp_nonce`` for an inline ``<script nonce=…>`` or ``<style>``."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
