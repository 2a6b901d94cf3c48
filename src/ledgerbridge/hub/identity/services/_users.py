"""Accounts made by operators (``createadmin``, ``bootstrap``) rather than by sign-up, and
what a user chooses for themselves (language, regional format)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid
from ledgerbridge.hub.identity.emails import clean_email
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory, Membership, User
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Role
from ledgerbridge.hub.identity.services._audit import audit_record
from ledgerbridge.hub.identity.services._organizations import clean_regional_format

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import Organization


@transaction.atomic
def user_create_verified(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    ip: str | None = None,
) -> User:
    """Create a user whose e-mail counts as verified (allauth's primary, verified address)."""
    email = clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(ErrorCode.EMAIL_TAKEN, _("A user with this e-mail address already exists."))
    user = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user)
    except ValidationError as err:
        raise Invalid(ErrorCode.WEAK_PASSWORD, " ".join(err.messages)) from None
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_staff,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    audit_record(
        organization=None,
        actor=None,
        category=AuditCategory.USER,
        action=AuditAction.CREATED,
        subject_user=user,
        details={"email": email, "by": "operator"},
        ip=ip,
    )
    return user


@transaction.atomic
def membership_add_admin(
    *, organization: Organization, user: User, ip: str | None = None
) -> Membership:
    """Make ``user`` an admin of ``organization`` (operator action, no actor in the org)."""
    membership, created = Membership.objects.get_or_create(
        organization=organization,
        user=user,
        defaults={"role": Role.ADMIN, "permissions": sorted(ROLE_PRESETS[Role.ADMIN])},
    )
    if not created:
        raise Conflict(ErrorCode.ALREADY_MEMBER, _("This user is already a member."))
    audit_record(
        organization=organization,
        actor=None,
        category=AuditCategory.USER,
        action=AuditAction.PERMISSIONS_CHANGED,
        subject_user=user,
        details={"after": {"role": membership.role, "permissions": membership.permissions},
                 "by": "operator"},
        ip=ip,
    )  # fmt: skip
    return membership


@transaction.atomic
def user_set_preferences(*, user: User, language: str, regional_format: str) -> User:
    """Store the language ``user`` reads and the regional format (blank: the organization's).

    Not audited: it changes how pages read to this user only, nothing they may do.
    """
    if language not in {code for code, _label in settings.LANGUAGES}:
        raise Invalid(
            ErrorCode.UNKNOWN_LANGUAGE, _("Unknown language: %(code)s") % {"code": language}
        )
    user.language = language
    user.regional_format = clean_regional_format(regional_format)
    user.save(update_fields=["language", "regional_format"])
    return user
