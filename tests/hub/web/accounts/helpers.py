"""Small helpers shared by the account tests: codes from e-mails and TOTP values."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

_CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


def code_from_last_mail(to: str) -> str:
    """The verification or reset code in the last e-mail sent to ``to``."""
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    found = _CODE.search(str(message.body))
    assert found, message.body
    return found.group(1)


def totp_now(secret: str, *, offset_periods: int = 0) -> str:
    """The six-digit code an authenticator app shows for ``secret`` now."""
    code: str = format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset_periods))
    return code
