"""Which language a person reads: the supported codes and the choice stored on the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import User


def supported(code: str | None) -> str | None:
    """Return ``code`` reduced to a language of ``settings.LANGUAGES``, or None.

    >>> supported("de"), supported("de-ch"), supported("xx"), supported(None)
    ('de', 'de', None, None)
    """
    if not code:
        return None
    codes = {language for language, _label in settings.LANGUAGES}
    base = code.lower().split("-")[0]
    if code.lower() in codes:
        return code.lower()
    return base if base in codes else None


def for_user(user: User | None) -> str:
    """The language to write to ``user`` in: their choice, else the active one."""
    if user is not None:
        chosen = supported(user.language)
        if chosen:
            return chosen
    return supported(translation.get_language()) or settings.LANGUAGE_CODE
