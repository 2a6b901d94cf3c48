"""A document's category (its ``kind``) from the data read in it, and what may change it.

:func:`classify` decides at ingest, from the data alone:

- a Swiss QR-bill is a payment slip, a camt.053 statement a bank statement;
- an e-invoice of a credit-note type (UNTDID 1001 381, 396, ... or a KSeF correction) is a
  credit note;
- another e-invoice whose seller carries the organization's tax ID is an outgoing
  invoice, whose buyer carries it an incoming one (the seller is looked at first: an
  invoice to oneself is outgoing); failing that, the same with the tax IDs of the
  organizations linked to it (an accounting office storing its client's invoice);
- an e-invoice whose buyer carries no tax ID at all (small businesses are often billed
  so) is incoming: it cannot be shown to be addressed elsewhere;
- an e-invoice that names other tax IDs only is not determined by its data: it becomes
  what the uploader chose (:data:`CHOOSABLE_KINDS`), else ``other``, and is flagged
  (``addressed=False``) for the warning finding of :mod:`.services`.

Files in which nothing was read are kept as the uploader chose; :func:`allowed_kinds` says
which kinds a document's data can carry at all (a payment slip needs a QR-bill's data, a
bank statement a camt.053's), for the upload's choice and for a later correction alike.

>>> from ledgerbridge.formats import Container, Document as Read, Format, Invoice, Kind, Party
>>> invoice = Invoice("R-1", "380", None, seller=Party(vat_id="CHE-123.456.789 MWST"),
...                   buyer=Party(vat_id="DE123456789"))
>>> found = Read(Format.UBL, Container.XML, Kind.INVOICE, invoice)
>>> str(classify(found, own=("CH", "CHE123456789")).kind)
'outgoing_invoice'
>>> str(classify(found, own=("DE", "123456789")).kind)
'incoming_invoice'
>>> classify(found, own=("PL", "1234563218"), chosen="incoming_invoice")
Classification(kind='incoming_invoice', determined=False, addressed=False)
>>> anonymous = Invoice("R-2", "380", None, seller=Party(vat_id="DE123456789"), buyer=Party())
>>> str(classify(Read(Format.UBL, Container.XML, Kind.INVOICE, anonymous),
...              own=("PL", "1234563218")).kind)
'incoming_invoice'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledgerbridge.formats import Format, Invoice, Kind
from ledgerbridge.formats.untdid import CREDIT_NOTE_TYPE_CODES
from ledgerbridge.hub.documents.counterparts import party_is
from ledgerbridge.hub.documents.models import Document

if TYPE_CHECKING:
    from collections.abc import Collection

    from ledgerbridge.formats import Document as ReadDocument
    from ledgerbridge.formats import Party
    from ledgerbridge.hub.documents.counterparts import TaxIdentity

__all__ = [
    "CHOOSABLE_KINDS",
    "Classification",
    "allowed_kinds",
    "classify",
    "invoice_direction",
]

#: What an uploader may choose for a document whose data does not determine its kind.
CHOOSABLE_KINDS = frozenset(
    {
        Document.Kind.INCOMING_INVOICE,
        Document.Kind.OUTGOING_INVOICE,
        Document.Kind.CREDIT_NOTE,
        Document.Kind.PURCHASE_RECEIPT,
        Document.Kind.OTHER,
    }
)


@dataclass(frozen=True, slots=True)
class Classification:
    """The kind of one document; ``determined``: by its data (not the uploader's choice);
    ``addressed``: False for an e-invoice naming neither the organization nor a linked one."""

    kind: str
    determined: bool
    addressed: bool = True


def invoice_direction(
    invoice: Invoice, *, own: TaxIdentity, linked: Collection[TaxIdentity] = ()
) -> str | None:
    """``outgoing_invoice`` when the seller is the organization, ``incoming_invoice`` when
    the buyer is; the same for a linked organization; ``None`` when neither is."""
    for identities in ((own,), linked):
        if party_is(invoice.seller, identities):
            return Document.Kind.OUTGOING_INVOICE
        if party_is(invoice.buyer, identities):
            return Document.Kind.INCOMING_INVOICE
    return None


def classify(
    found: ReadDocument,
    *,
    own: TaxIdentity,
    linked: Collection[TaxIdentity] = (),
    chosen: str | None = None,
) -> Classification:
    """The kind of ``found`` for the organization whose tax ID is ``own`` (see above)."""
    if found.kind is Kind.PAYMENT_SLIP:
        return Classification(Document.Kind.PAYMENT_SLIP, determined=True)
    if found.kind is Kind.BANK_STATEMENT or not isinstance(found.data, Invoice):
        return Classification(Document.Kind.BANK_STATEMENT, determined=True)
    invoice = found.data
    direction = invoice_direction(invoice, own=own, linked=linked)
    addressed = direction is not None
    if found.kind is Kind.CREDIT_NOTE or invoice.type_code in CREDIT_NOTE_TYPE_CODES:
        return Classification(Document.Kind.CREDIT_NOTE, determined=True, addressed=addressed)
    if direction is not None:
        return Classification(direction, determined=True)
    if not _identified(invoice.buyer) and not party_is(invoice.seller, (own, *linked)):
        # Many small businesses are billed without their VAT ID: an invoice that names no
        # buyer ID cannot be misaddressed by it, and someone else's invoice is incoming.
        return Classification(Document.Kind.INCOMING_INVOICE, determined=True)
    return Classification(chosen or Document.Kind.OTHER, determined=False, addressed=False)


def _identified(party: Party) -> bool:
    return any((party.vat_id, party.tax_registration_id, party.legal_id))


def allowed_kinds(data_format: str) -> frozenset[str]:
    """The kinds a document whose data has ``data_format`` (``""``: nothing read) may have.

    >>> sorted(map(str, set(Document.Kind) - allowed_kinds("ubl")))
    ['bank_statement', 'payment_slip']
    >>> Document.Kind.PAYMENT_SLIP in allowed_kinds("swiss-qr-bill")
    True
    """
    kinds = set(CHOOSABLE_KINDS)
    if data_format == Format.SWISS_QR_BILL:
        kinds.add(Document.Kind.PAYMENT_SLIP)
    if data_format == Format.CAMT_053:
        kinds.add(Document.Kind.BANK_STATEMENT)
    return frozenset(kinds)
