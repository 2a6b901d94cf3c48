"""State of the exchange app: client links, documents sent over them, and their statuses.

A ``ClientLink`` is made by one side (``initiator``) for the other side's tax ID; it knows
the office and the client once both exist, and becomes ``active`` when an admin of the
other side accepts it. A ``SentDocument`` is one document sent over one link: a snapshot
of the file, kind and data as sent, with the office's status (``ExchangeStatus``) and what
happened to it at its source (``SourceState``). ``SentDocumentChange`` is its history and
``ClientAssignment`` gives an accountant of the office a client. Rules live in
:mod:`.services`; the link's counters are kept by them for the partner space's list.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.documents.models import Document, StoredFile
from ledgerbridge.hub.identity.models import ApiToken, Organization


class LinkDirection(models.TextChoices):
    """What the other side is, seen from the side that starts the link."""

    ACCOUNTING_OFFICE = "accounting_office", _("My accounting office")
    CLIENT = "client", _("My client")


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for acceptance")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class ExchangeStatus(models.TextChoices):
    """The office's status of a sent document, which flows back to the company."""

    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    BOOKED = "booked", _("Booked")
    REJECTED = "rejected", _("Rejected")


class SourceState(models.TextChoices):
    """What the company did with a document after sending it."""

    CURRENT = "current", _("Current")
    WITHDRAWN = "withdrawn", _("Cancelled at source")
    REPLACED = "replaced", _("Changed at source")


class Category(models.TextChoices):
    """The tabs of the partner space. A QR-bill that is an invoice is in both tabs."""

    INCOMING_INVOICE = "incoming_invoice", _("Incoming invoices")
    OUTGOING_INVOICE = "outgoing_invoice", _("Outgoing invoices")
    CREDIT_NOTE = "credit_note", _("Credit notes")
    PURCHASE_RECEIPT = "purchase_receipt", _("Purchase receipts")
    BANK_STATEMENT = "bank_statement", _("Bank statements")
    PAYMENT_SLIP = "payment_slip", _("Payment slips")
    OTHER = "other", _("Other documents")


class ClientLink(models.Model):
    """An accounting office serving a client company, from request to revocation."""

    # The side that started the link owns the row (every tenant row has an organization).
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(_("direction"), max_length=32, choices=LinkDirection.choices)
    office = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="client_links"
    )
    client = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="office_links"
    )
    # The other side's tax ID, compact, as the link was made for it.
    target_country = models.CharField(_("country"), max_length=2)
    target_tax_id = models.CharField(_("tax ID"), max_length=32)
    contact_email = models.EmailField(_("contact e-mail"))
    categories = models.JSONField(_("shared categories"), default=list)
    auto_send = models.JSONField(_("sent automatically"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=LinkStatus.choices, default=LinkStatus.PENDING
    )
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("request expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by_organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mailed_at = models.DateTimeField(_("request mailed"), null=True, blank=True)
    # Kept by the services for the partner space's client list (sortable without a scan).
    count_new = models.PositiveIntegerField(_("new documents"), default=0)
    count_waiting = models.PositiveIntegerField(_("waiting to be booked"), default=0)
    count_rejected = models.PositiveIntegerField(_("rejected"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # One open link per office and client; revoked ones stay as history.
            models.UniqueConstraint(
                fields=["office", "client"],
                condition=~models.Q(status="revoked"),
                name="exchange_clientlink_open_pair_unique",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["office", "status"]),
            models.Index(fields=["client", "status"]),
            models.Index(fields=["target_country", "target_tax_id", "status"]),
        ]
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"link#{self.pk} {self.office_id}->{self.client_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == LinkStatus.ACTIVE

    def other_side(self, organization: Organization) -> Organization | None:
        """The organization on the other end of the link, seen from ``organization``."""
        if self.office_id == organization.pk:
            return self.client
        return self.office


class ClientAssignment(models.Model):
    """An accountant of the office who works on one client (the others do not see it)."""

    # The office.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organization", "client", "user"], name="exchange_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.client_id}@{self.organization_id}"


class SentDocument(models.Model):
    """One document sent over one link: what the office sees, exactly as it was sent."""

    # The client: the owner of the document and of the file.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(ClientLink, on_delete=models.PROTECT, related_name="sent_documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="sendings")
    # The snapshot.
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=Document.Kind.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    # A QR-bill that carries an invoice is shown under incoming invoices as well.
    also_invoice = models.BooleanField(default=False)
    format = models.CharField(_("format"), max_length=32, blank=True)
    data = models.JSONField(_("data"), null=True, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    counterparty = models.CharField(_("counterparty"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    document_date = models.DateField(_("date"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    automatic = models.BooleanField(_("sent by rule"), default=False)
    # The office's side.
    status = models.CharField(
        _("status"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.SENT
    )
    reference = models.CharField(_("booking reference"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status_at = models.DateTimeField(_("status changed"), default=timezone.now)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    # The source's side.
    source_state = models.CharField(
        _("at source"), max_length=16, choices=SourceState.choices, default=SourceState.CURRENT
    )
    source_changed_at = models.DateTimeField(_("changed at source"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    # A booked document that changed at source: the office has to act on it.
    needs_attention = models.BooleanField(_("needs attention"), default=False)
    # Rejections wait here for the client's e-mail digest.
    digest_pending = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["link", "document"], name="exchange_sentdocument_link_document_unique"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["link", "source_state", "status"]),
            # A category tab in order; and, from the index alone on PostgreSQL (the rest
            # included), the tabs' counts of one client and the version its ETags hash.
            models.Index(
                fields=["office", "organization", "category", "sent_at", "id"],
                include=["also_invoice", "status_at", "source_changed_at"],
                name="exchange_sent_category_tab",
            ),
            # The incoming-invoice tab holds two kinds of rows (invoices and QR-bills that
            # carry one): with an OR no index above gives them in the tab's order, so every
            # row of the client's tab was read and sorted for one page. In this one they
            # come in order and a page stops after its rows; the count reads the index
            # alone, with the status for the tab's status filter.
            models.Index(
                fields=["office", "organization", "-sent_at", "-id"],
                include=["status"],
                condition=models.Q(category="incoming_invoice") | models.Q(also_invoice=True),
                name="exchange_sent_incoming_tab",
            ),
            models.Index(fields=["organization", "digest_pending"]),
        ]
        ordering = ("-sent_at", "-id")

    def __str__(self) -> str:
        return f"sent#{self.pk} doc#{self.document_id} over link#{self.link_id}"


class SentDocumentChange(models.Model):
    """One step of a sent document's history, on either side."""

    class Step(models.TextChoices):
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Received")
        BOOKED = "booked", _("Booked")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Cancelled at source")
        REPLACED = "replaced", _("Changed at source")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    sent_document = models.ForeignKey(
        SentDocument, on_delete=models.CASCADE, related_name="changes"
    )
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    reference = models.CharField(_("booking reference"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Which side acted: the office (statuses) or the client (sending, withdrawal).
    by_organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
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
        return f"{self.sent_document_id}: {self.step}"
