"""E-mail addresses as the identity domain stores them: trimmed, lower-cased, valid.

One place for the rule, shared by invitations and operator-made accounts, so an address
typed in either way finds the other.

>>> clean_email("  Anna@Example.TEST ")
'anna@example.test'
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid

__all__ = ["clean_email"]


def clean_email(email: str) -> str:
    """Trim and lower-case ``email``; raise ``Invalid("invalid-email")`` if it is not one."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid(ErrorCode.INVALID_EMAIL, _("Enter a valid e-mail address.")) from None
    return email
