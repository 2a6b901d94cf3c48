"""The documents API: upload and read documents, and the pull API of payment slips.

``POST/GET /documents``, ``GET /documents/{document_id}`` (``/file`` to download),
``GET /payment-slips`` (cursor, ``ETag``) and ``POST /payment-slips/{document_id}/
processed|rejected``. Every refusal is ``{"code", "message"}`` with a 4xx status.
"""

from __future__ import annotations

from ledgerbridge.hub.api.documents import _documents, _slips
from ledgerbridge.hub.api.documents._common import router

__all__ = ["router"]

# The endpoint modules register themselves on ``router`` when imported.
_ENDPOINTS = (_documents, _slips)
