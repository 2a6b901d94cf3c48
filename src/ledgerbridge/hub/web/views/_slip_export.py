"""From stored payment slips to the ``Pain001Payment`` values of the pain.001 writer.

A slip's ``data`` is the canonical QR-bill data as JSON (see
:func:`ledgerbridge.formats.contract.to_json`): the creditor's address, the reference type
and the message. A combined ("K") address keeps postal code and town in one line; it is
split at the first space when the line starts with a postal code, as the SPS want both
in their own elements. A slip without an amount cannot be ordered: its number is reported
instead.

>>> _split_town("8001 Zürich")
('8001', 'Zürich')
>>> _split_town("Vaduz")
(None, 'Vaduz')
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ledgerbridge.formats.pain001 import Pain001Address, Pain001Payment, ReferenceType

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledgerbridge.hub.documents.models import Document

__all__ = ["SlipNotPayable", "payments_of"]

_REFERENCE_TYPES: dict[str, ReferenceType] = {"QRR": "QRR", "SCOR": "SCOR", "NON": "NON"}

_POSTAL_TOWN = re.compile(r"(?P<postal>[0-9][0-9A-Za-z-]{2,15})\s+(?P<town>.+)")


class SlipNotPayable(ValueError):
    """A selected slip lacks what a credit transfer needs (amount, IBAN, creditor town)."""

    def __init__(self, slip: Document, message: str) -> None:
        super().__init__(message)
        self.slip = slip
        self.message = message


def _split_town(line: str) -> tuple[str | None, str]:
    match = _POSTAL_TOWN.fullmatch(line.strip())
    if match is None:
        return None, line.strip()
    return match["postal"], match["town"]


def _address(creditor: dict[str, Any]) -> Pain001Address | None:
    town = (creditor.get("town") or "").strip()
    postal = creditor.get("postal_code")
    street = creditor.get("street")
    building = creditor.get("building_number")
    if creditor.get("address_type") == "K":
        postal, town = _split_town(town)
    country = (creditor.get("country") or "").strip()
    if not town or not country:
        return None
    return Pain001Address(
        street=street or None,
        building_number=building or None,
        postal_code=postal or None,
        town=town,
        country=country,
    )


def _payment(slip: Document) -> Pain001Payment:
    data: dict[str, Any] = slip.data if isinstance(slip.data, dict) else {}
    if slip.amount is None:
        raise SlipNotPayable(slip, _("Payment slip #%(id)s has no amount.") % {"id": slip.pk})
    if not slip.iban:
        raise SlipNotPayable(slip, _("Payment slip #%(id)s has no IBAN.") % {"id": slip.pk})
    address = _address(data.get("creditor") or {})
    if address is None:
        raise SlipNotPayable(
            slip, _("Payment slip #%(id)s has no creditor town or country.") % {"id": slip.pk}
        )
    reference_type = _REFERENCE_TYPES.get(str(data.get("reference_type") or ""), "NON")
    return Pain001Payment(
        end_to_end_id=f"LB-{slip.pk}",
        amount=Decimal(slip.amount),
        currency=slip.currency,
        creditor_name=slip.creditor_name,
        creditor_iban=slip.iban,
        creditor_address=address,
        reference_type=reference_type,
        reference=slip.reference or None,
        unstructured_message=data.get("message") or None,
    )


def payments_of(slips: Sequence[Document]) -> list[Pain001Payment]:
    """One credit transfer per slip, in the given order (raises :class:`SlipNotPayable`)."""
    return [_payment(slip) for slip in slips]
