"""Helpers of the acceptance tests: codes from sent e-mails and an independent TOTP.

The TOTP here is written from RFC 6238 (HMAC-SHA1, 30 s steps, 6 digits) rather than
borrowed from allauth, so a login that succeeds proves the hub speaks the standard that
authenticator apps speak.

>>> totp_at("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59)  # RFC 6238 test vector, SHA-1
'287082'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail

from ledgerbridge.hub.identity.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    User,
)

__all__ = [
    "code_from_mail",
    "identity_state",
    "link_path_from_mail",
    "mails_to",
    "totp_at",
    "totp_step",
]

_CODE = re.compile(r"^\s*([A-Z0-9]{3,8}(?:-[A-Z0-9]{3,8})?)\s*$", re.MULTILINE)
_LINK = re.compile(r"https?://[^\s\"'<>]+")
STEP = 30


def mails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def code_from_mail(address: str) -> str:
    """The code on a line of its own in the last e-mail sent to ``address``."""
    sent = mails_to(address)
    assert sent, f"no e-mail was sent to {address}"
    found = _CODE.search(str(sent[-1].body))
    assert found, f"no code in the e-mail to {address}:\n{sent[-1].body}"
    return found.group(1)


def link_path_from_mail(address: str, contains: str) -> str:
    """Path of the first link containing ``contains`` in the last e-mail to ``address``.

    The e-mail links point at ``SITE_URL``; the test server listens elsewhere, so only the
    path is kept.
    """
    sent = mails_to(address)
    assert sent, f"no e-mail was sent to {address}"
    for link in _LINK.findall(str(sent[-1].body)):
        if contains in link:
            return str(urlsplit(link).path)
    raise AssertionError(f"no link with {contains!r} in:\n{sent[-1].body}")


def totp_step(now: float | None = None) -> int:
    return int(time.time() if now is None else now) // STEP


def totp_at(secret: str, now: float) -> str:
    """The six-digit code an authenticator app shows for ``secret`` at ``now``."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", totp_step(now)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def identity_state() -> dict[str, Any]:
    """Everything a refused request must leave as it was."""
    return {
        "users": sorted(User.objects.values_list("email", "is_active", "password")),
        "emails": sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
        "organizations": sorted(
            Organization.objects.values_list("id", "name", "tax_id", "require_mfa")
        ),
        "memberships": sorted(
            Membership.objects.values_list("id", "status", "role", "permissions")
        ),
        "invitations": sorted(
            Invitation.objects.values_list("id", "token_hash", "accepted_at", "revoked_at")
        ),
        "tokens": sorted(ApiToken.objects.values_list("id", "revoked_at")),
        "authenticators": sorted(Authenticator.objects.values_list("id", "type")),
        "audit": sorted(
            AuditEvent.objects.values_list("organization_id", "seq", "hash"),
            key=lambda row: (row[0] or 0, row[1]),
        ),
    }
