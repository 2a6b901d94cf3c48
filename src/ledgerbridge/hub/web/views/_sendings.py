"""How a sent document's exchange status reads to the company that sent it.

One sending (a document sent over one link) becomes a small badge: "sent", "received",
"booked (REF)", "rejected: reason", or "cancelled at source" / "changed at source" once
the company withdrew or replaced it, with who set it and when for the hover text. The
document list and the detail page use the same words, and so do their live partials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerbridge.hub.exchange.models import ExchangeStatus, SentDocument, SourceState
from ledgerbridge.hub.web.templatetags.ledger_l10n import short_datetime

if TYPE_CHECKING:
    from datetime import datetime

    from ledgerbridge.hub.identity.models import User

__all__ = ["Badge", "badge", "person"]

_TONES: dict[str, str] = {
    ExchangeStatus.SENT: "info",
    ExchangeStatus.RECEIVED: "info",
    ExchangeStatus.BOOKED: "ok",
    ExchangeStatus.REJECTED: "bad",
}


@dataclass(frozen=True, slots=True)
class Badge:
    label: str
    tone: str  # a badge class of app.css: info, ok, bad, warn
    title: str  # office, who and when, for the hover text
    byline: str  # who and when, under the office's name
    sent: SentDocument


def person(user: User | None) -> str:
    """A user's name as the other side reads it (the e-mail when there is no name)."""
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _label(sent: SentDocument) -> tuple[str, str]:
    if sent.source_state == SourceState.WITHDRAWN:
        return _("cancelled at source"), "warn"
    if sent.source_state == SourceState.REPLACED:
        return _("changed at source"), "warn"
    if sent.status == ExchangeStatus.BOOKED and sent.reference:
        return _("booked (%(reference)s)") % {"reference": sent.reference}, "ok"
    if sent.status == ExchangeStatus.REJECTED and sent.reason:
        return _("rejected: %(reason)s") % {"reason": sent.reason}, "bad"
    labels: dict[str, str] = {
        ExchangeStatus.SENT: _("sent"),
        ExchangeStatus.RECEIVED: _("received"),
        ExchangeStatus.BOOKED: _("booked"),
        ExchangeStatus.REJECTED: _("rejected"),
    }
    return labels.get(sent.status, sent.status), _TONES.get(sent.status, "info")


def _who_when(sent: SentDocument) -> tuple[str, datetime]:
    if sent.source_state != SourceState.CURRENT and sent.source_changed_at is not None:
        return "", sent.source_changed_at
    if sent.status == ExchangeStatus.SENT:
        return person(sent.sent_by), sent.sent_at
    return person(sent.status_by), sent.status_at


def badge(sent: SentDocument) -> Badge:
    """The badge of one sending (its office, status_by, sent_by loaded with it)."""
    label, tone = _label(sent)
    who, when = _who_when(sent)
    office = sent.office.name
    when_text = short_datetime(timezone.localtime(when))
    byline = f"{who}, {when_text}" if who else when_text
    title = _("%(office)s: %(who)s, %(when)s") % {"office": office, "who": who, "when": when_text}
    if not who:
        title = _("%(office)s, %(when)s") % {"office": office, "when": when_text}
    return Badge(label=label, tone=tone, title=title, byline=byline, sent=sent)
