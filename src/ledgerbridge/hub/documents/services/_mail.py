"""The e-mail inbox of an organization: an address, and what happens to a received mail.

The address is ``<slug>-<random>@<LEDGERBRIDGE_INBOX_DOMAIN>``: the slug makes it
recognisable, the random part makes it unguessable. A received mail is kept whole as the
source file; each attachment goes through :func:`document_ingest` (source ``email``,
``source_file`` = the mail). A mail in which nothing could be read becomes one "other"
document, so that nothing sent to the inbox is lost from sight.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import FormatCode
from ledgerbridge.hub.core.errors import Invalid, ServiceError
from ledgerbridge.hub.documents.errors import FileTooLarge
from ledgerbridge.hub.documents.models import Document, MailInbox, StoredFile
from ledgerbridge.hub.documents.selectors import document_count_this_month
from ledgerbridge.hub.documents.services._ingest import (
    Origin,
    document_ingest,
    max_upload_bytes,
    new_document,
)
from ledgerbridge.hub.documents.services._storage import Written, charge_quota, store_file
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.identity.plans import Feature, PlanLimit
from ledgerbridge.hub.identity.services import audit_record, plan_require, plan_require_feature

if TYPE_CHECKING:
    from email.message import EmailMessage

    from ledgerbridge.hub.identity.models import Organization

__all__ = ["MailReceipt", "mail_inbox_ensure", "mail_receive", "max_mail_bytes"]

DEFAULT_INBOX_DOMAIN = "inbox.localhost"


@dataclass(slots=True)
class MailReceipt:
    """What became of one received mail."""

    mail: StoredFile
    documents: list[Document] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, error code)


def max_mail_bytes() -> int:
    """The largest mail accepted: an attachment at the upload limit, base64-encoded."""
    return max_upload_bytes() * 3 // 2 + 64 * 1024


def _domain() -> str:
    return str(getattr(settings, "LEDGERBRIDGE_INBOX_DOMAIN", DEFAULT_INBOX_DOMAIN)).lower()


@transaction.atomic
def mail_inbox_ensure(*, organization: Organization) -> MailInbox:
    """The organization's inbox, created with a fresh unguessable address on first use."""
    inbox = MailInbox.objects.select_for_update().filter(organization=organization).first()
    if inbox is not None:
        return inbox
    address = f"{organization.slug[:40]}-{secrets.token_hex(5)}@{_domain()}".lower()
    return MailInbox.objects.create(organization=organization, address=address)


def _attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every attachment; the text body of the mail is not one."""
    found = []
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if not filename and part.get_content_maintype() in ("text", "multipart"):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            found.append((filename or f"attachment-{index}", payload))
    return found


def _keep_mail(inbox: MailInbox, raw: bytes, name: str) -> StoredFile:
    written = Written()
    organization = inbox.organization
    try:
        with transaction.atomic():
            return store_file(
                organization, raw, hashlib.sha256(raw).hexdigest(), filename=name,
                content_type="message/rfc822", written=written,
                on_new=lambda: charge_quota(organization, len(raw)),
            )  # fmt: skip
    except BaseException:
        written.discard()
        raise


def _ingest_attachments(
    inbox: MailInbox, receipt: MailReceipt, attachments: list[tuple[str, bytes]]
) -> None:
    for filename, data in attachments:
        try:
            result = document_ingest(
                organization=inbox.organization, data=data, filename=filename,
                source=Document.Source.EMAIL, actor=None, source_file=receipt.mail,
            )  # fmt: skip
        except ServiceError as err:
            receipt.refused.append((filename, err.code))
        else:
            receipt.documents.extend(result.documents)


@transaction.atomic
def _finish(inbox: MailInbox, receipt: MailReceipt, message: EmailMessage) -> None:
    if not receipt.documents:
        origin = Origin(inbox.organization, Document.Source.EMAIL, None, None, None)
        known = Document.objects.filter(organization=inbox.organization, file=receipt.mail)
        receipt.documents = list(known) or [
            new_document(origin, receipt.mail, 0, kind=Document.Kind.OTHER)
        ]
    audit_record(
        organization=inbox.organization, actor=None, category=AuditCategory.DOCUMENTS,
        action=AuditAction.MAIL_RECEIVED,
        details={
            "from": str(message.get("From", ""))[:200],
            "subject": str(message.get("Subject", ""))[:200],
            "message_id": str(message.get("Message-ID", ""))[:200],
            "mail_sha256": receipt.mail.sha256,
            "documents": [d.pk for d in receipt.documents],
            "refused": [{"file": name, "code": code} for name, code in receipt.refused],
        },
    )  # fmt: skip


def _require_plan(organization: Organization) -> None:
    """Refuse the whole mail before anything is kept when the plan has no inbox or no
    document left this month (each attachment is then checked again as it is ingested)."""
    plan_require_feature(organization=organization, feature=Feature.EMAIL_INBOX)
    plan_require(
        organization=organization, limit=PlanLimit.DOCUMENTS_PER_MONTH,
        current=lambda: document_count_this_month(organization=organization),
    )  # fmt: skip


def mail_receive(*, inbox: MailInbox, raw: bytes) -> MailReceipt:
    """Keep ``raw`` (an RFC 5322 message) and turn its attachments into documents.

    Raises only for the mail as a whole (empty, larger than the upload limit, quota);
    an attachment that cannot be read is listed in ``refused`` with its error code.
    """
    if not raw:
        raise Invalid(FormatCode.FILE_EMPTY, _("The mail is empty."))
    if len(raw) > max_mail_bytes():
        raise FileTooLarge(FormatCode.FILE_TOO_LARGE, _("The mail is larger than the size limit."))
    _require_plan(inbox.organization)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, email.message.EmailMessage):  # pragma: no cover - policy.default
        raise TypeError("policy.default parses into EmailMessage")
    subject = " ".join(str(message.get("Subject", "")).split())[:80]
    receipt = MailReceipt(mail=_keep_mail(inbox, raw, f"{subject or 'mail'}.eml"))
    _ingest_attachments(inbox, receipt, _attachments(message))
    _finish(inbox, receipt, message)
    return receipt
