"""State of the documents app: stored files, the documents read from them, and their history.

A ``StoredFile`` is one original file, kept once per organization under its SHA-256 in
Django's default storage. A ``Document`` is one business document found in a file (a PDF
with three QR-bills gives three payment slips sharing one file); it carries the canonical
data and findings of :func:`ledgerbridge.formats.read` and, for the pending list and the
search, a few denormalised columns. ``DocumentStatusChange`` is its status history;
``IngestRequest`` remembers an ``Idempotency-Key``; ``MailInbox`` is an organization's
e-mail address for documents. Rules live in :mod:`.services`, not here.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.identity.models import ApiToken, Organization


class StoredFile(models.Model):
    """One original file of one organization, content-addressed by SHA-256."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    original_name = models.CharField(_("file name"), max_length=255)
    storage_name = models.CharField(max_length=255)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organization", "sha256"], name="documents_storedfile_org_sha_unique"
            ),
        ]
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"


class Document(models.Model):
    """One business document owned by one organization."""

    class Kind(models.TextChoices):
        INCOMING_INVOICE = "incoming_invoice", _("Incoming invoice")
        OUTGOING_INVOICE = "outgoing_invoice", _("Outgoing invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")
        PURCHASE_RECEIPT = "purchase_receipt", _("Purchase receipt")
        BANK_STATEMENT = "bank_statement", _("Bank statement")
        PAYMENT_SLIP = "payment_slip", _("Payment slip")
        OTHER = "other", _("Other document")

    class Source(models.TextChoices):
        SCAN = "scan", _("Scan")
        UPLOAD = "upload", _("Upload")
        API = "api", _("API")
        EMAIL = "email", _("E-mail")
        EXCHANGE = "exchange", _("Exchange")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PENDING = "pending", _("Pending")
        # A payment slip ordered in a pain.001 file: not to be paid again, still to be booked.
        EXPORTED = "exported", _("Exported for payment")
        PROCESSED = "processed", _("Processed")
        REJECTED = "rejected", _("Rejected")

    class ReceiptCategory(models.TextChoices):
        """What a kept purchase receipt was for, chosen by whoever uploads it."""

        MEALS = "meals", _("Meals and entertainment")
        TRAVEL = "travel", _("Travel and transport")
        FUEL = "fuel", _("Fuel and vehicle")
        ACCOMMODATION = "accommodation", _("Accommodation")
        OFFICE = "office", _("Office supplies")
        OTHER = "other", _("Other expenses")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="documents")
    # The file this document arrived in when it is not ``file`` itself: the raw e-mail
    # whose attachment ``file`` is.
    source_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    index_in_file = models.PositiveIntegerField(_("position in the file"), default=0)
    format = models.CharField(_("format"), max_length=32, blank=True)
    profile = models.CharField(_("profile"), max_length=200, blank=True)
    data = models.JSONField(_("data"), null=True, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    has_errors = models.BooleanField(_("has errors"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    booking_reference = models.CharField(_("booking reference"), max_length=200, blank=True)
    # A purchase receipt kept without anything read from it (a photo of a till receipt).
    category = models.CharField(
        _("category"), max_length=32, choices=ReceiptCategory.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    dedupe_key = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # Denormalised from ``data`` for the pending list, sorting and search.
    creditor_name = models.CharField(_("creditor"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=200, blank=True)
    # The columns above and the file name, folded for an accent- and case-blind search on
    # every database (see :mod:`ledgerbridge.hub.documents.searchtext`).
    search_text = models.TextField(_("search text"), blank=True, default="")

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "kind", "status", "id"]),
            # Covers the duplicate lookup of every ingest (the first document of a key:
            # ``duplicate_of IS NULL``, lowest id) without touching the table.
            models.Index(
                fields=["organization", "dedupe_key", "duplicate_of", "id"],
                name="documents_doc_dedupe_cover",
            ),
            models.Index(fields=["organization", "created_at"]),
        ]
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk}"

    @property
    def is_payment_slip(self) -> bool:
        return self.kind == self.Kind.PAYMENT_SLIP


class DocumentStatusChange(models.Model):
    """One step of a document's status history: who or what changed it, and when."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The ``MsgId`` of the pain.001 file that ordered the payment (a step to ``exported``).
    message_id = models.CharField(_("payment file"), max_length=35, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    actor_token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.from_status or '-'} -> {self.to_status}"


class IngestRequest(models.Model):
    """An ``Idempotency-Key`` already answered: the same key gets the same documents."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    body_sha256 = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document_ids = models.JSONField(default=list)
    created = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organization", "key"], name="documents_ingestrequest_org_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.key}"


class MailInbox(models.Model):
    """The e-mail address of an organization: attachments sent to it become documents."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="mail_inbox"
    )
    address = models.EmailField(_("address"), unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    def __str__(self) -> str:
        return self.address


class StorageUsage(models.Model):
    """The bytes of all stored files of one organization, kept up to date by every write.

    The services charge it with a conditional ``UPDATE ... WHERE used_bytes + size <=
    quota`` in the transaction that stores the file: one statement, and two concurrent
    uploads can never both squeeze under the quota (the row is locked until commit).
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    used_bytes = models.PositiveBigIntegerField(_("used bytes"), default=0)

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.used_bytes} bytes"
