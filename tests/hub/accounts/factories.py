"""Factories for account tests: users whose e-mail address allauth considers verified."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from ledgerbridge.hub.identity.models import User

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
