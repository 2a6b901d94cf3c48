"""The pain.001 mapping of the pending payment slips, now a service of the documents domain.

The mapping of stored slips to credit transfers (and the export with its audit event) is
:func:`ledgerbridge.hub.documents.services.payment_slips_export_pain001`, shared with the
API's ``POST /api/v1/payment-slips/pain001``; this module keeps the names the page's
views import.

>>> from ledgerbridge.hub.core.errors import Invalid
>>> from ledgerbridge.hub.documents import services
>>> payments_of is services.slip_payments, issubclass(SlipNotPayable, Invalid)
(True, True)
"""

from __future__ import annotations

from ledgerbridge.hub.documents.services import SlipNotPayable
from ledgerbridge.hub.documents.services import slip_payments as payments_of

__all__ = ["SlipNotPayable", "payments_of"]
