"""WSGI entry points used by granian (``ledgerbridge serve``).

``application`` is the hub as is. ``behind_front`` is what ``serve`` runs behind
:mod:`ledgerbridge.hub.config.front`: there the peer is the front, so the client's address
comes from the front's header, believed only with the key ``serve`` gave both processes
(the front drops a client's own copy of the header).
"""

from __future__ import annotations

import hmac
import os
from typing import TYPE_CHECKING

from django.core.wsgi import get_wsgi_application

from ledgerbridge.hub.config.front import FRONT_KEY, PEER_HEADER

if TYPE_CHECKING:
    from collections.abc import Iterable
    from wsgiref.types import StartResponse, WSGIEnvironment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerbridge.hub.config.settings")
application = get_wsgi_application()

_PEER_KEY = "HTTP_" + PEER_HEADER.decode().upper().replace("-", "_")


def behind_front(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    key, _, peer = str(environ.pop(_PEER_KEY, "")).partition(" ")
    expected = os.environ.get(FRONT_KEY, "")
    if expected and hmac.compare_digest(key, expected):
        environ["REMOTE_ADDR"] = peer
    return application(environ, start_response)
