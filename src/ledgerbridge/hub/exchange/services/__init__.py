"""Write operations of the exchange domain, each atomic and audited on the side that acts.

Every service takes keyword arguments only and runs in one transaction; a refusal raises a
:class:`~ledgerbridge.hub.core.errors.ServiceError` with a stable ``code`` and changes nothing.
"""

from __future__ import annotations

from ledgerbridge.hub.exchange.services._common import link_tax_id
from ledgerbridge.hub.exchange.services._links import (
    LINK_REQUEST_VALIDITY,
    client_assign,
    client_link_accept,
    client_link_create,
    client_link_mail_send,
    client_link_revoke,
    client_link_token,
    client_link_update,
    client_unassign,
    link_join_url,
)
from ledgerbridge.hub.exchange.services._sending import (
    Replacement,
    category_of,
    document_replace,
    document_send,
    document_withdraw,
    register_document_hooks,
)
from ledgerbridge.hub.exchange.services._statuses import (
    DIGEST_DELAY,
    rejection_digest_send,
    sent_document_set_status,
    sent_documents_mark_received,
)

__all__ = [
    "DIGEST_DELAY",
    "LINK_REQUEST_VALIDITY",
    "Replacement",
    "category_of",
    "client_assign",
    "client_link_accept",
    "client_link_create",
    "client_link_mail_send",
    "client_link_revoke",
    "client_link_token",
    "client_link_update",
    "client_unassign",
    "document_replace",
    "document_send",
    "document_withdraw",
    "link_join_url",
    "link_tax_id",
    "register_document_hooks",
    "rejection_digest_send",
    "sent_document_set_status",
    "sent_documents_mark_received",
]
