"""The exchange API: client links, sending documents to the accounting office, and the
office's partner space.

``/client-links`` (make, list, accept, revoke, set up), ``/documents/{document_id}/send|
withdraw|replace``, ``/clients`` and ``/clients/{client_id}/documents`` (cursor, ``ETag``,
detail, original file, status). Every refusal is ``{"code", "message"}`` with a 4xx status.
"""

from __future__ import annotations

from ledgerbridge.hub.api.exchange import _links, _office, _sending
from ledgerbridge.hub.api.exchange._common import router

__all__ = ["router"]

# The endpoint modules register themselves on ``router`` when imported.
_ENDPOINTS = (_links, _office, _sending)
