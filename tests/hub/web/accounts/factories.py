"""Factories for account tests: users whose e-mail address allauth considers verified."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from ledgerbridge.hub.identity.models import Membership, Organization, User
from tests.hub.factories import MembershipFactory, OrganizationFactory

PASSWORD = "correct horse battery staple 42"


def verified_user(
    email: str = "anna@example.com", *, password: str = PASSWORD, **fields: Any
) -> User:
    """A user with a password and a verified primary e-mail address."""
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def with_totp(user: User) -> str:
    """Activate an authenticator app for ``user``; return the (clear) secret."""
    secret: str = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def organization(**fields: Any) -> Organization:
    """A new organization with a valid Swiss UID."""
    made: Organization = OrganizationFactory(**fields)  # type: ignore[no-untyped-call, assignment]  # factory_boy: untyped, returns the model
    return made


def member_of(org: Organization, user: User) -> Membership:
    """An active employee membership of ``user`` in ``org``."""
    made: Membership = MembershipFactory(organization=org, user=user)  # type: ignore[no-untyped-call, assignment]  # factory_boy: untyped, returns the model
    return made
