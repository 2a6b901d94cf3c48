"""``document_preview``: what :func:`document_ingest` would make of a file, storing nothing.

The scan app shows a person the fields of a QR-bill before they confirm it. The preview
runs the ingest's own checks in the ingest's order (size, HTML, :func:`formats.read`,
nothing found), so it refuses with the very codes the ingest would, and answers each
business document with the kind, the columns and the duplicate flag the ingest would
give it. It writes no row and no file; its only query is the duplicate lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledgerbridge.hub.documents.services._ingest import (
    Origin,
    check_size,
    found_fields,
    originals,
    read_upload,
)

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

    from ledgerbridge.hub.identity.models import Organization

__all__ = ["PreviewDocument", "document_preview"]


@dataclass(frozen=True, slots=True)
class PreviewDocument:
    """One business document found in a previewed file, as the ingest would store it."""

    kind: str
    format: str
    profile: str
    data: dict[str, Any] | None
    findings: list[dict[str, Any]]
    has_errors: bool
    creditor_name: str
    iban: str
    amount: Decimal | None
    currency: str
    reference: str
    due_date: date | None
    invoice_number: str
    # The first document of the same payment or invoice, when the organization has one.
    duplicate_of: int | None


def document_preview(
    *, organization: Organization, data: bytes, filename: str
) -> list[PreviewDocument]:
    """The documents ``document_ingest`` would create from ``data``, without storing any.

    Raises the same :class:`~ledgerbridge.hub.core.errors.Invalid` subclasses with the same
    codes as the ingest (``file-empty``, ``file-too-large``, ``unsupported-format``,
    ``no-document-found``, ``qr-not-a-qr-bill``, ``limit-image-pixels``, ...).
    """
    check_size(data)
    result = read_upload(data, filename, keep_unreadable=False)
    if result is None:  # pragma: no cover - only with keep_unreadable=True
        raise AssertionError("read without keep_unreadable always finds or refuses")
    origin = Origin(organization, "", None, None, None)
    found = [found_fields(origin, document) for document in result.documents]
    first = originals(organization, {f["dedupe_key"] for f in found} - {""})
    return [_preview(fields, first.get(fields["dedupe_key"])) for fields in found]


def _preview(fields: dict[str, Any], duplicate_of: int | None) -> PreviewDocument:
    return PreviewDocument(
        kind=fields["kind"],
        format=fields["format"],
        profile=fields["profile"],
        data=fields["data"],
        findings=fields["findings"],
        has_errors=fields["has_errors"],
        creditor_name=fields["creditor_name"],
        iban=fields["iban"],
        amount=fields["amount"],
        currency=fields["currency"],
        reference=fields["reference"],
        due_date=fields["due_date"],
        invoice_number=fields["invoice_number"],
        duplicate_of=duplicate_of,
    )
