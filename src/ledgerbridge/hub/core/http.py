"""What the hub takes from an HTTP request beyond Django's own, and a header it sends.

:func:`client_ip` is one reader for the web views, the API and the account (allauth)
hooks, so the audit log records the same address whichever door a request came through.
:func:`content_disposition` names a downloaded file per RFC 6266 for every browser.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = ["client_ip", "content_disposition"]

# What a quoted-string may hold unescaped: printable ASCII without the quote and backslash.
_UNQUOTABLE = re.compile(r'[^\x20-\x7e]|["\\]')


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


def content_disposition(filename: str, *, as_attachment: bool = True) -> str:
    """``Content-Disposition`` for ``filename`` (a stored, safe base name), per RFC 6266.

    An ASCII ``filename=`` for every client and, when the name is not plain ASCII, the
    exact name as ``filename*=UTF-8''...`` for those that read it (all current browsers).
    Django's ``content_disposition_header`` sends only the second for such a name.

    >>> content_disposition("bill.pdf")
    'attachment; filename="bill.pdf"'
    >>> print(content_disposition('Rechnung "März".pdf', as_attachment=False))
    inline; filename="Rechnung _Marz_.pdf"; filename*=UTF-8''Rechnung%20%22M%C3%A4rz%22.pdf
    """
    disposition = "attachment" if as_attachment else "inline"
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = _UNQUOTABLE.sub("_", ascii_name).strip() or "document"
    if fallback == filename:
        return f'{disposition}; filename="{fallback}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
