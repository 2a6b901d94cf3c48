"""What the hub takes from an HTTP request beyond Django's own: the client's address.

One reader for the web views, the API and the account (allauth) hooks, so the audit log
records the same address whichever door a request came through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = ["client_ip"]


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address as the WSGI server saw it, for the audit log; ``None`` if unknown.

    ``X-Forwarded-For`` is not read: anyone can send it. Behind a reverse proxy, the
    proxy's job is to set ``REMOTE_ADDR`` right.

    >>> from django.test import RequestFactory
    >>> client_ip(RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")), client_ip(None)
    ('192.0.2.7', None)
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None
