"""Write operations of the documents domain, each atomic and audited.

Keyword arguments only; a refused request raises a
:class:`~ledgerbridge.hub.core.errors.ServiceError` with a stable ``code`` and stores
nothing (no row, no file).
"""

from __future__ import annotations

from ledgerbridge.hub.documents.services._ingest import (
    IngestResult,
    document_ingest,
    max_upload_bytes,
    sniff_content_type,
)
from ledgerbridge.hub.documents.services._kinds import document_set_kind
from ledgerbridge.hub.documents.services._mail import (
    MailReceipt,
    mail_inbox_ensure,
    mail_receive,
    max_mail_bytes,
)
from ledgerbridge.hub.documents.services._pain001 import (
    Pain001Refused,
    SlipAlreadyExported,
    SlipNotPayable,
    payment_slips_export_pain001,
    slip_payments,
)
from ledgerbridge.hub.documents.services._preview import PreviewDocument, document_preview
from ledgerbridge.hub.documents.services._slips import (
    payment_slip_mark_processed,
    payment_slip_reject,
)
from ledgerbridge.hub.documents.services._storage import safe_filename
from ledgerbridge.hub.documents.services._sweep import orphan_files_sweep

__all__ = [
    "IngestResult",
    "MailReceipt",
    "Pain001Refused",
    "PreviewDocument",
    "SlipAlreadyExported",
    "SlipNotPayable",
    "document_ingest",
    "document_preview",
    "document_set_kind",
    "mail_inbox_ensure",
    "mail_receive",
    "max_mail_bytes",
    "max_upload_bytes",
    "orphan_files_sweep",
    "payment_slip_mark_processed",
    "payment_slip_reject",
    "payment_slips_export_pain001",
    "safe_filename",
    "slip_payments",
    "sniff_content_type",
]
