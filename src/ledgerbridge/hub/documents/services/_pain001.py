"""``payment_slips_export_pain001``: the chosen payment slips as a pain.001 credit transfer.

A slip's ``data`` is the canonical QR-bill data as JSON (see
:func:`ledgerbridge.formats.contract.to_json`): the creditor's address, the reference type
and the message. A combined ("K") address keeps postal code and town in one line; it is
split at the first space when the line starts with a postal code, as the SPS want both
in their own elements. A slip without an amount cannot be ordered: the export is refused
with ``slip-not-payable`` naming it. The file itself comes from
:func:`ledgerbridge.targets.pain001.write_pain001` (Swiss Payment Standards,
``pain.001.001.09``); every export writes an audit event.

An export is recorded in the same transaction as the file is written: each slip moves
to ``exported`` with the file's ``MsgId`` in its history (and an audit event of its own).
A slip that was exported before is refused with :class:`SlipAlreadyExported`, naming the
earlier file, who made it and when, unless the caller says ``allow_reexport``; a
processed or rejected slip is not paid at all.

>>> _split_town("8001 Zürich")
('8001', 'Zürich')
>>> _split_town("Vaduz")
(None, 'Vaduz')
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ledgerbridge.formats import FormatError
from ledgerbridge.hub.core.codes import ErrorCode, FormatCode
from ledgerbridge.hub.core.errors import Conflict, Invalid, NotFound
from ledgerbridge.hub.documents import selectors
from ledgerbridge.hub.documents.errors import FORMAT_MESSAGES
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.documents.services._common import record_status
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.identity.services import audit_record
from ledgerbridge.targets.pain001 import (
    Pain001Address,
    Pain001Payment,
    ReferenceType,
    write_pain001,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from ledgerbridge.hub.documents.models import DocumentStatusChange
    from ledgerbridge.hub.identity.models import ApiToken, Organization, User

__all__ = [
    "Pain001Refused",
    "SlipAlreadyExported",
    "SlipNotPayable",
    "payment_slips_export_pain001",
    "slip_payments",
]

_DEBTOR_FIELDS = ("debtor_name", "debtor_iban")

_REFERENCE_TYPES: dict[str, ReferenceType] = {"QRR": "QRR", "SCOR": "SCOR", "NON": "NON"}

_POSTAL_TOWN = re.compile(r"(?P<postal>[0-9][0-9A-Za-z-]{2,15})\s+(?P<town>.+)")


class SlipNotPayable(Invalid):
    """A selected slip lacks what a credit transfer needs (amount, IBAN, creditor town)."""

    default_code = ErrorCode.SLIP_NOT_PAYABLE

    def __init__(self, slip: Document, message: str) -> None:
        super().__init__(ErrorCode.SLIP_NOT_PAYABLE, message, document_id=slip.pk)
        self.slip = slip


class Pain001Refused(Invalid):
    """The writer refused the order (a debtor IBAN that is not one, ...); ``field`` names
    the debtor input at fault, if one is."""

    def __init__(self, err: FormatError) -> None:
        code = FormatCode(err.code)
        # The writer's English text names the developer's field ("debtor_iban"); people
        # read the hub's sentence for the code, the text stays in the details.
        super().__init__(code, FORMAT_MESSAGES[code], location=err.location, detail=err.message)
        self.field = next((f for f in _DEBTOR_FIELDS if err.location.startswith(f)), None)


def _export_label(step: DocumentStatusChange) -> str:
    """Who made the export of ``step``: the user's e-mail, else the API token's name."""
    if step.actor is not None:
        return step.actor.email
    if step.actor_token is not None:
        return _("API token “%(name)s”") % {"name": step.actor_token.name}
    return _("the system")


class SlipAlreadyExported(Conflict):
    """Some of the chosen slips were ordered in a pain.001 file before; ``exports`` holds
    the latest export step of each, in the order of the request."""

    def __init__(self, exports: list[DocumentStatusChange]) -> None:
        sentences = [
            _(
                "Payment slip #%(id)s was already exported for payment in the file "
                "%(message_id)s by %(who)s on %(when)s."
            )
            % {
                "id": step.document_id,
                "message_id": step.message_id,
                "who": _export_label(step),
                "when": formats.date_format(timezone.localtime(step.at), "SHORT_DATETIME_FORMAT"),
            }
            for step in exports
        ]
        super().__init__(ErrorCode.SLIP_ALREADY_EXPORTED, " ".join(sentences))
        self.exports = exports


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


def slip_payments(slips: Sequence[Document]) -> list[Pain001Payment]:
    """One credit transfer per slip, in the given order (raises :class:`SlipNotPayable`)."""
    return [_payment(slip) for slip in slips]


def _locked_slips(organization: Organization, documents: Sequence[Document]) -> list[Document]:
    """The slips re-read under a row lock, in the given order: a concurrent export of the
    same slip waits for this one and then sees it exported."""
    for document in documents:
        if document.organization_id != organization.pk or not document.is_payment_slip:
            raise NotFound(ErrorCode.PAYMENT_SLIP_NOT_FOUND, _("No such payment slip."))
    if not documents:
        raise Invalid(ErrorCode.SLIPS_REQUIRED, _("Choose the payment slips to pay."))
    ids = [document.pk for document in documents]
    locked = Document.objects.select_for_update().filter(organization=organization).in_bulk(ids)
    for slip in locked.values():
        if slip.status == Document.Status.REJECTED:
            raise Conflict(
                ErrorCode.SLIP_REJECTED,
                _("Payment slip #%(id)s was rejected; it cannot be paid.") % {"id": slip.pk},
            )
        if slip.status == Document.Status.PROCESSED:
            raise Conflict(
                ErrorCode.SLIP_ALREADY_PROCESSED,
                _("Payment slip #%(id)s is already processed; it cannot be paid here.")
                % {"id": slip.pk},
            )
    return [locked[pk] for pk in dict.fromkeys(ids)]


def _record_export(
    organization: Organization, slips: list[Document], *, message_id: str,
    actor: User | None, token: ApiToken | None, ip: str | None,
) -> None:  # fmt: skip
    now = timezone.now()
    for slip in slips:
        from_status = slip.status
        slip.status = Document.Status.EXPORTED
        slip.updated_at = now
        slip.save(update_fields=["status", "updated_at"])
        record_status(
            slip, from_status, Document.Status.EXPORTED, actor=actor, token=token,
            message_id=message_id,
        )  # fmt: skip
        audit_record(
            organization=organization, actor=actor, category=AuditCategory.DOCUMENTS,
            action=AuditAction.PAYMENT_SLIP_EXPORTED, ip=ip,
            details={"document_id": slip.pk, "from": from_status, "message_id": message_id,
                     "token_id": token.pk if token else None},
        )  # fmt: skip


@transaction.atomic
def payment_slips_export_pain001(
    *,
    organization: Organization,
    documents: Sequence[Document],
    debtor_name: str,
    debtor_iban: str,
    execution_date: date,
    actor: User | None,
    token: ApiToken | None = None,
    ip: str | None = None,
    allow_reexport: bool = False,
) -> bytes:
    """The ``pain.001.001.09`` order paying ``documents`` (in that order) from the debtor's
    account, as UTF-8 XML bytes; the slips become ``exported``, audited as
    ``payment-slip-exported`` each and ``pain001-exported`` for the file.

    Raises :class:`SlipAlreadyExported` for slips exported before (unless
    ``allow_reexport``), :class:`SlipNotPayable` for a slip without amount, IBAN or
    creditor town, :class:`Pain001Refused` when the writer refuses (its rule code),
    ``Conflict`` for a processed or rejected slip, ``NotFound`` for a document that is
    not a payment slip of ``organization``.
    """
    documents = _locked_slips(organization, documents)
    earlier = selectors.payment_slip_exports(
        organization=organization, document_ids=[d.pk for d in documents]
    )
    if earlier and not allow_reexport:
        raise SlipAlreadyExported([earlier[d.pk] for d in documents if d.pk in earlier])
    created_at = timezone.now()
    message_id = f"LB-{organization.pk}-{created_at:%Y%m%d%H%M%S%f}"[:35]
    try:
        xml = write_pain001(
            debtor_name=debtor_name, debtor_iban=debtor_iban,
            payments=slip_payments(documents), message_id=message_id,
            created_at=created_at, execution_date=execution_date,
        )  # fmt: skip
    except FormatError as err:
        raise Pain001Refused(err) from err
    _record_export(organization, documents, message_id=message_id, actor=actor, token=token, ip=ip)
    audit_record(
        organization=organization, actor=actor, category=AuditCategory.DOCUMENTS,
        action=AuditAction.PAIN001_EXPORTED, ip=ip,
        details={"message_id": message_id, "documents": [d.pk for d in documents],
                 "reexported": sorted(earlier), "token_id": token.pk if token else None},
    )  # fmt: skip
    return xml
