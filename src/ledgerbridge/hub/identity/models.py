"""State of the identity app: who people are, where they belong, and what happened.

``User`` logs in by e-mail; an ``Organization`` is a tenant; a ``Membership`` puts a user in
an organization with a role and an explicit permission list; an ``Invitation`` and an
``ApiToken`` store only the SHA-256 of their secret; an ``AuditEvent`` is append-only and
chained by hash per organization. Rules live in :mod:`.services`, not here.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.identity.emails import clean_email
from ledgerbridge.hub.identity.permissions import (
    ROLE_LABELS,
    Permission,
    Role,
    known_permissions,
)
from ledgerbridge.hub.identity.regional import CHOICES as REGIONAL_FORMATS
from ledgerbridge.hub.identity.regional import RegionalFormat, region_for
from ledgerbridge.hub.identity.taxids import COUNTRIES, display_tax_id


class _EmailUserManager(UserManager["User"]):
    """Users are known by e-mail; ``username`` is not used."""

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=clean_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]  # e-mail replaces the username argument
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]  # e-mail replaces the username argument
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person (or a machine account) who logs in with an e-mail address."""

    username = None  # type: ignore[assignment]  # e-mail is the login name
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    # Blank: the regional format of the organization the user works in.
    regional_format = models.CharField(
        _("regional format"), max_length=8, choices=REGIONAL_FORMATS, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[_EmailUserManager] = _EmailUserManager()

    def __str__(self) -> str:
        return self.email


def default_plan_key() -> str:
    """The key of the operator's default plan (``LEDGERBRIDGE_PLANS``), for new rows."""
    return str(settings.LEDGERBRIDGE_PLANS.default_key)


class Organization(models.Model):
    """A tenant: a company, an accounting office, or both."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        ACCOUNTING_OFFICE = "accounting_office", _("Accounting office")
        BOTH = "both", _("Company and accounting office")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.COMPANY)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    tax_id = models.CharField(_("tax ID"), max_length=32, help_text=_("compact form"))
    street = models.CharField(_("street"), max_length=200, blank=True)
    building_number = models.CharField(_("building number"), max_length=16, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    require_mfa = models.BooleanField(_("require MFA for all members"), default=False)
    # Blank: the regional format of the country (Swiss for CH, German for DE, ...).
    regional_format = models.CharField(
        _("regional format"), max_length=8, choices=REGIONAL_FORMATS, blank=True
    )
    # The key of one of the operator's plans; a key no longer configured means the
    # default plan (see ``services.plan_of``) until an operator runs ``plan set``.
    plan = models.CharField(_("plan"), max_length=32, default=default_plan_key)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["country", "tax_id"], name="identity_organization_tax_id_unique"
            ),
        ]
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    @property
    def tax_id_display(self) -> str:
        return display_tax_id(self.country, self.tax_id)

    def region_for(self, user: User | None = None) -> RegionalFormat:
        """How amounts and dates are written for ``user`` in this organization."""
        return region_for(
            country=self.country,
            organization_choice=self.regional_format,
            user_choice=user.regional_format if user is not None else "",
        )


class Membership(models.Model):
    """A user in an organization, with a role preset label and explicit permissions."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOCKED = "locked", _("Locked")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=16, choices=[(r.value, ROLE_LABELS[r]) for r in Role]
    )
    permissions = models.JSONField(_("permissions"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="identity_membership_unique"
            ),
        ]
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organization_id}"

    @property
    def permission_set(self) -> frozenset[Permission]:
        return known_permissions(self.permissions)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def has_permission(self, permission: Permission) -> bool:
        """True when this membership is active and holds ``permission``."""
        return self.is_active and permission.value in self.permissions


class Invitation(models.Model):
    """An invitation by e-mail; only the SHA-256 of its token is kept."""

    class Salutation(models.TextChoices):
        NONE = "", _("(none)")
        MS = "ms", _("Ms")
        MR = "mr", _("Mr")
        MX = "mx", _("Mx")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    salutation = models.CharField(
        _("salutation"), max_length=8, choices=Salutation.choices, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    role = models.CharField(
        _("role"), max_length=16, choices=[(r.value, ROLE_LABELS[r]) for r in Role]
    )
    permissions = models.JSONField(_("permissions"), default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    sent_count = models.PositiveIntegerField(_("times sent"), default=0)
    # The outbox's receipt: which link (``sent_count``) has been mailed, and when. A task
    # that finds its count here already mailed does nothing, so a retry never mails twice.
    mailed_count = models.PositiveIntegerField(_("link mailed"), default=0)
    sent_at = models.DateTimeField(_("mailed"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.email

    @property
    def status(self) -> str:
        """``accepted``, ``revoked``, ``expired`` or ``pending``."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class ApiToken(models.Model):
    """A bearer token of one user for one organization; only the SHA-256 is kept."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    permissions = models.JSONField(_("permissions"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"lb_{self.prefix}_…"

    @property
    def permission_set(self) -> frozenset[Permission]:
        return known_permissions(self.permissions)


class AuditCategory(models.TextChoices):
    """Which part of the change log an event belongs to (the log's filter)."""

    USER = "user", _("User")
    SECURITY = "security", _("Security")
    ORGANIZATION = "organization", _("Organization")
    DOCUMENTS = "documents", _("Documents")
    EXCHANGE = "exchange", _("Exchange")


class AuditAction(models.TextChoices):
    """What happened, with its name in the change log. The values are stored in every
    event and its hash: never rename one. An action may occur in several categories
    (a user and an organization are both ``created``), so the caller names both."""

    # users, memberships and invitations
    CREATED = "created", _("Created")
    REGISTERED = "registered", _("Account registered")
    INVITED = "invited", _("Invited")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
    PERMISSIONS_CHANGED = "permissions_changed", _("Permissions changed")
    LOCKED = "locked", _("Locked")
    UNLOCKED = "unlocked", _("Unlocked")
    DELETED = "deleted", _("Removed")
    # the organization
    SETTINGS_CHANGED = "settings_changed", _("Settings changed")
    MFA_REQUIREMENT_CHANGED = "mfa_requirement_changed", _("Two-factor requirement changed")
    PLAN_CHANGED = "plan_changed", _("Plan changed")
    # accounts and credentials
    MFA_ADDED = "mfa_added", _("Two-factor method added")
    MFA_REMOVED = "mfa_removed", _("Two-factor method removed")
    MFA_RESET = "mfa_reset", _("Two-factor methods reset")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    EMAIL_CHANGED = "email_changed", _("E-mail address changed")
    LOGIN_SUCCEEDED = "login_succeeded", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    REAUTHENTICATION_FAILED = "reauthentication_failed", _("Confirmation failed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    # documents (their values predate the snake_case of the others)
    INGEST = "ingest", _("Document received")
    MAIL_RECEIVED = "mail-received", _("E-mail received")
    PAYMENT_SLIP_PROCESSED = "payment-slip-processed", _("Payment slip processed")
    PAYMENT_SLIP_REJECTED = "payment-slip-rejected", _("Payment slip rejected")
    PAYMENT_SLIP_EXPORTED = "payment-slip-exported", _("Payment slip exported for payment")
    PAIN001_EXPORTED = "pain001-exported", _("Payment file (pain.001) exported")
    # the exchange with the accounting office
    LINK_REQUESTED = "link_requested", _("Link requested")
    LINK_ACCEPTED = "link_accepted", _("Link accepted")
    LINK_REVOKED = "link_revoked", _("Link revoked")
    LINK_SETTINGS_CHANGED = "link_settings_changed", _("Link settings changed")
    CLIENT_ASSIGNED = "client_assigned", _("Client assigned")
    CLIENT_UNASSIGNED = "client_unassigned", _("Client unassigned")
    DOCUMENT_SENT = "document_sent", _("Document sent")
    DOCUMENT_WITHDRAWN = "document_withdrawn", _("Document withdrawn")
    DOCUMENT_REPLACED = "document_replaced", _("Document replaced")
    EXCHANGE_STATUS_SET = "exchange_status_set", _("Document status set")
    DOCUMENT_KIND_CHANGED = "document_kind_changed", _("Document category changed")


class _AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("audit events are append-only")

    def delete(self) -> NoReturn:
        raise TypeError("audit events are append-only")


class AuditEvent(models.Model):
    """One entry of the change log. Append-only; ``hash`` chains it to the one before.

    ``organization`` is empty for the global chain (events of users without one).
    Users are referenced with PROTECT: people with history are deactivated, not deleted.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seq = models.PositiveBigIntegerField()
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(_("category"), max_length=32)
    action = models.CharField(_("action"), max_length=64)
    details = models.JSONField(_("details"), default=dict)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organization", "seq"], name="identity_auditevent_org_seq_unique"
            ),
            models.UniqueConstraint(
                fields=["seq"],
                condition=models.Q(organization__isnull=True),
                name="identity_auditevent_global_seq_unique",
            ),
        ]
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.category}.{self.action}#{self.seq}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("audit events are append-only")
