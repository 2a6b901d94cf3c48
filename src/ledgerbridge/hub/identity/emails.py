"""E-mail addresses as the identity domain stores and compares them: one spelling each.

One place for the rule, shared by invitations, operator-made accounts and the account
pages (allauth's adapter), so an address typed in any of these ways finds the others.
Look-alike spellings of one mailbox become the same text: Unicode compatibility forms
(NFKC: a fullwidth ``\\uff41`` is an ``a``), the domain in its IDNA (ASCII) form, and quotes
around a local part that needs none.

>>> clean_email("  Anna@Example.TEST ")
'anna@example.test'
>>> clean_email("admin-a@\\uff41.test"), clean_email('"Admin-A"@a.test')
('admin-a@a.test', 'admin-a@a.test')
>>> clean_email("anna@Müller.ch")
'anna@xn--mller-kva.ch'
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid

__all__ = ["clean_email", "lookup_email"]

# RFC 5322 dot-atom: a local part made of these needs no quotes.
_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_QUOTED_PAIR = re.compile(r"\\(.)")


def clean_email(email: str) -> str:
    """The one stored spelling of ``email``; raise ``Invalid("invalid-email")`` if it is not one."""
    invalid = Invalid(ErrorCode.INVALID_EMAIL, _("Enter a valid e-mail address."))
    local, at, domain = unicodedata.normalize("NFKC", email).strip().rpartition("@")
    if not at or not local or not domain:
        raise invalid
    local = _unquote(local).lower()
    try:
        # Python's IDNA codec maps case and compatibility forms (nameprep) on the way.
        domain = domain.removesuffix(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise invalid from None
    email = f"{local}@{domain}"
    try:
        validate_email(email)
    except ValidationError:
        raise invalid from None
    return email


def lookup_email(email: str) -> str:
    """``email`` as typed into a login or lookup: its one spelling, else merely trimmed.

    An address that is none finds nobody either way, and a form must not say so
    differently from a wrong password.

    >>> lookup_email('"Anna"@Example.test'), lookup_email(" not an address ")
    ('anna@example.test', 'not an address')
    """
    try:
        return clean_email(email)
    except Invalid:
        return email.strip()


def _unquote(local: str) -> str:
    """``local`` without its quotes when what they enclose is a plain dot-atom."""
    if len(local) < 2 or not (local.startswith('"') and local.endswith('"')):
        return local
    inner = _QUOTED_PAIR.sub(r"\1", local[1:-1])
    return inner if _DOT_ATOM.fullmatch(inner) else local
