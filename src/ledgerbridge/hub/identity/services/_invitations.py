"""Invitations: invite by e-mail, resend, revoke, accept.

The raw token exists only in the e-mail link ``{SITE_URL}/invite/<token>``; the database
keeps its SHA-256. The token is not random but derived from the secret key, the
invitation's id and its ``sent_count`` (:func:`invitation_token`), so the mail task can
build the link again from IDs alone and no raw token waits in a task row. A resend counts
up and so makes a new token; the old link stops working.

The e-mail is an outbox entry: :func:`invitation_create` and :func:`invitation_resend`
enqueue :data:`MAIL_TASK` through :func:`ledgerbridge.hub.core.outbox.enqueue`, so the
task row commits or rolls back with the invitation.
:func:`invitation_mail_send` then mails in the invitee's language (the inviter's choice,
else the language of the invitee's existing account) and records which link went out
(``mailed_count``, ``sent_at``) in the same transaction, so a task run twice mails once.

>>> len(invitation_token(1, 1)), invitation_token(1, 1) == invitation_token(1, 2)
(43, False)
"""

from __future__ import annotations

import base64
import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core import outbox
from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from ledgerbridge.hub.identity.emails import clean_email
from ledgerbridge.hub.identity.greetings import greeting
from ledgerbridge.hub.identity.hashing import sha256_hex
from ledgerbridge.hub.identity.models import (
    AuditAction,
    AuditCategory,
    Invitation,
    Membership,
    Organization,
    User,
)
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Permission, Role
from ledgerbridge.hub.identity.plans import PlanLimit
from ledgerbridge.hub.identity.services._audit import audit_record
from ledgerbridge.hub.identity.services._common import (
    actor_membership,
    grantable,
    parse_role,
    save_audited,
)
from ledgerbridge.hub.identity.services._plans import plan_require

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime


INVITATION_VALIDITY = timedelta(days=7)
# By name: the tasks module imports this one to run invitation_mail_send.
MAIL_TASK = "ledgerbridge.hub.identity.tasks.send_invitation_mail"
_TOKEN_SALT = "ledgerbridge.hub.identity.invitation-token"  # noqa: S105  # an HMAC salt, not a secret
logger = logging.getLogger(__name__)
_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def invitation_link(raw_token: str) -> str:
    return f"{settings.SITE_URL}/invite/{raw_token}"


def _language_for(email: str, chosen: str | None) -> str:
    if chosen in _LANGUAGES:
        return str(chosen)
    existing = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
    return existing if existing in _LANGUAGES else str(settings.LANGUAGE_CODE)


def invitation_token(invitation_id: int, sent_count: int) -> str:
    """The raw token of link number ``sent_count`` of an invitation (URL-safe, 256 bits).

    An HMAC-SHA256 under a key derived from ``SECRET_KEY``: unguessable without the key,
    and the same for the same (id, count), which lets a task rebuild the mailed link.
    """
    mac = salted_hmac(_TOKEN_SALT, f"invitation:{invitation_id}:{sent_count}", algorithm="sha256")
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def _render_and_send(invitation: Invitation, raw_token: str) -> None:
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitation.created_by,
        "link": invitation_link(raw_token),
        "expires_at": invitation.expires_at,
        "site_name": settings.SITE_NAME,  # LEDGERBRIDGE_SITE_NAME
    }
    language = invitation.language or str(settings.LANGUAGE_CODE)
    with translation.override(language):
        context["greeting"] = greeting(
            salutation=invitation.salutation,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
        subject = render_to_string("identity/email/invitation_subject.txt", context)
        text = render_to_string("identity/email/invitation_message.txt", context)
        html = render_to_string("identity/email/invitation_message.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[invitation.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _mail_due(invitation: Invitation | None, sent_count: int) -> bool:
    """Whether link ``sent_count`` still needs mailing: open, current, not mailed yet."""
    if invitation is None or invitation.sent_count != sent_count:
        return False  # deleted, or resent meanwhile: the newer task mails the newer link
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return False
    return invitation.mailed_count < sent_count and invitation.expires_at > timezone.now()


@transaction.atomic
def invitation_mail_send(*, invitation_id: int, sent_count: int) -> bool:
    """Mail link ``sent_count`` of the invitation unless done, outdated or closed.

    Returns whether a mail went out. The row stays locked from the check to the receipt,
    so two runs of the same task (a retry, a duplicate) mail once; the receipt commits
    only after the mail backend accepted the message. A crash between those two moments
    is the one window left in which a retry mails again (at least once, never lost).
    """
    invitation = (
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the inviter join.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization", "created_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not _mail_due(invitation, sent_count):
        return False
    raw_token = invitation_token(invitation.pk, sent_count)
    if sha256_hex(raw_token) != invitation.token_hash:
        # SECRET_KEY changed since the link was issued: this link could never be accepted.
        logger.error("invitation %s: token no longer derivable, not mailed", invitation.pk)
        return False
    _render_and_send(invitation, raw_token)
    invitation.mailed_count = sent_count
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["mailed_count", "sent_at"])
    return True


def _issue_token(invitation: Invitation, now: datetime | None = None) -> str:
    """Give the invitation a fresh token valid for 7 days; the previous one stops working.

    The invitation must have its id (the token is derived from it and the new count).
    """
    invitation.sent_count += 1
    raw_token = invitation_token(invitation.pk, invitation.sent_count)
    invitation.token_hash = sha256_hex(raw_token)
    invitation.expires_at = (now or timezone.now()) + INVITATION_VALIDITY
    invitation.save(update_fields=["token_hash", "expires_at", "sent_count"])
    return raw_token


def _enqueue_mail(invitation: Invitation) -> None:
    """Put the mail of the current link in the outbox, in the caller's transaction."""
    outbox.enqueue(MAIL_TASK, invitation_id=invitation.pk, sent_count=invitation.sent_count)


def _require_seat(organization: Organization, *, pending_count: bool) -> None:
    """Refuse with ``plan-limit-reached`` when one more member exceeds the plan.

    Inviting counts the members and the open invitations (each may become a member);
    accepting counts the members only, as its own invitation was counted when made. The
    organization's row is locked first, so two concurrent invitations or acceptances
    count one after the other.
    """

    def seats() -> int:
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        members = Membership.objects.filter(organization=organization).count()
        if not pending_count:
            return members
        return members + Invitation.objects.filter(
            organization=organization, accepted_at__isnull=True, revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).count()  # fmt: skip

    plan_require(organization=organization, limit=PlanLimit.MEMBERS, current=seats)


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    actor: User,
    email: str,
    salutation: str = "",
    first_name: str = "",
    last_name: str = "",
    role: str = Role.EMPLOYEE,
    permissions: Iterable[str] | None = None,
    language: str | None = None,
    ip: str | None,
) -> tuple[Invitation, str]:
    """Invite ``email`` with a role (default employee) and permissions (default: its preset).

    Returns the invitation and the raw token; the e-mail with it is enqueued in this
    transaction and goes out once the worker runs the task.
    """
    acting = actor_membership(
        actor=actor, organization=organization, permission=Permission.USERS_MANAGE
    )
    email = clean_email(email)
    role_ = parse_role(role)
    wanted = grantable(
        actor_membership=acting,
        permissions=ROLE_PRESETS[role_] if permissions is None else permissions,
    )
    if salutation not in Invitation.Salutation.values:
        raise Invalid(ErrorCode.INVALID_SALUTATION, _("Unknown salutation."))
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise Conflict(ErrorCode.ALREADY_MEMBER, _("This person is already a member."))
    if Invitation.objects.filter(
        organization=organization,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists():
        raise Conflict(ErrorCode.INVITATION_PENDING, _("This person has already been invited."))
    _require_seat(organization, pending_count=True)
    now = timezone.now()
    invitation = Invitation(
        organization=organization,
        email=email,
        salutation=salutation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        language=_language_for(email, language),
        role=role_.value,
        permissions=[p.value for p in wanted],
        created_by=actor,
        created_at=now,
        # A random placeholder until the id exists; replaced in this same transaction.
        token_hash=secrets.token_hex(32),
        expires_at=now + INVITATION_VALIDITY,
    )
    invitation.save(force_insert=True)
    raw_token = _issue_token(invitation, now)
    audit_record(
        organization=organization,
        actor=actor,
        category=AuditCategory.USER,
        action=AuditAction.INVITED,
        details={"email": email, "role": role_.value, "permissions": invitation.permissions},
        ip=ip,
    )
    _enqueue_mail(invitation)
    return invitation, raw_token


def _locked_invitation(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )


def _open_invitation_for(invitation: Invitation, actor: User) -> Invitation:
    """The still open invitation under a row lock, once ``actor`` is shown to manage users."""
    actor_membership(
        actor=actor, organization=invitation.organization, permission=Permission.USERS_MANAGE
    )
    target = _locked_invitation(invitation)
    _refuse_closed(target)
    return target


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User, ip: str | None) -> str:
    """Send a fresh link (the old one stops working) valid for another 7 days."""
    target = _open_invitation_for(invitation, actor)
    raw_token = _issue_token(target)
    audit_record(
        organization=target.organization,
        actor=actor,
        category=AuditCategory.USER,
        action=AuditAction.INVITATION_RESENT,
        details={"email": target.email, "sent_count": target.sent_count},
        ip=ip,
    )
    _enqueue_mail(target)
    invitation.refresh_from_db()
    return raw_token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User, ip: str | None) -> Invitation:
    """Make the invitation's link useless."""
    target = _open_invitation_for(invitation, actor)
    target.revoked_at = timezone.now()
    save_audited(
        target, fields=["revoked_at"], actor=actor, category=AuditCategory.USER,
        action=AuditAction.INVITATION_REVOKED, details={"email": target.email}, ip=ip,
    )  # fmt: skip
    invitation.refresh_from_db()
    return target


def _refuse_closed(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise Conflict(ErrorCode.INVITATION_USED, _("This invitation has already been accepted."))
    if invitation.revoked_at is not None:
        raise Conflict(ErrorCode.INVITATION_REVOKED, _("This invitation has been revoked."))


def invitation_check_open(invitation: Invitation) -> None:
    """Raise the specific error when the invitation can no longer be accepted."""
    _refuse_closed(invitation)
    if invitation.expires_at <= timezone.now():
        raise Conflict(
            ErrorCode.INVITATION_EXPIRED,
            _("This invitation has expired. Ask for a new one."),
        )


@transaction.atomic
def invitation_accept(*, raw_token: str, user: User, ip: str | None) -> Membership:
    """Make ``user`` a member, if the link is open and their verified e-mail matches."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organization")
        .filter(token_hash=sha256_hex(raw_token))
        .first()
    )
    if invitation is None:
        raise NotFound(ErrorCode.INVITATION_NOT_FOUND, _("This invitation link is not valid."))
    invitation_check_open(invitation)
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise PermissionDenied(
            ErrorCode.INVITATION_EMAIL_MISMATCH,
            _("This invitation was sent to another e-mail address than your verified one."),
        )
    organization = invitation.organization
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise Conflict(
            ErrorCode.ALREADY_MEMBER, _("You are already a member of this organization.")
        )
    _require_seat(organization, pending_count=False)
    membership = Membership.objects.create(
        organization=organization,
        user=user,
        role=invitation.role,
        permissions=list(invitation.permissions),
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if not (user.first_name or user.last_name) and (invitation.first_name or invitation.last_name):
        user.first_name, user.last_name = invitation.first_name, invitation.last_name
        user.save(update_fields=["first_name", "last_name"])
    audit_record(
        organization=organization,
        actor=user,
        category=AuditCategory.USER,
        action=AuditAction.INVITATION_ACCEPTED,
        subject_user=user,
        details={"email": invitation.email, "role": invitation.role},
        ip=ip,
    )
    return membership


def invitation_mail_requeue() -> int:
    """Enqueue the mail of every open invitation whose current link has not gone out.

    The recovery for a worker killed mid-task: django-tasks leaves that task's row
    ``RUNNING`` for ever, so nothing would run it again. Run this when a worker starts;
    a task enqueued for a mail that is still queued or running elsewhere is harmless, as
    :func:`invitation_mail_send` mails each link once. Returns how many were enqueued.
    """
    due = Invitation.objects.filter(
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        mailed_count__lt=F("sent_count"),
    ).values_list("pk", "sent_count")
    enqueued = 0
    for invitation_id, sent_count in due.iterator():
        outbox.enqueue(MAIL_TASK, invitation_id=invitation_id, sent_count=sent_count)
        enqueued += 1
    return enqueued
