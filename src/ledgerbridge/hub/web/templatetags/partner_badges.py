"""The status badges of a sent document in the partner space, drawn by one function.

The category tab draws them for every row: a template include per row cost about a third
of the page's rendering (measured with ``benchmarks/partner_space.py``), a filter does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from ledgerbridge.hub.exchange.models import ExchangeStatus, SourceState

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

    from ledgerbridge.hub.exchange.models import SentDocument

__all__ = ["register", "sent_badges"]

register = template.Library()


def _office_badge(sent: SentDocument) -> tuple[str, str]:
    if sent.status == ExchangeStatus.SENT:
        return "badge info", _("New")
    if sent.status == ExchangeStatus.RECEIVED:
        return "badge warn", _("To book")
    if sent.status == ExchangeStatus.BOOKED:
        return "badge ok", str(sent.get_status_display())
    return "badge bad", str(sent.get_status_display())


@register.filter
def sent_badges(sent: SentDocument) -> SafeString:
    """The office's status, what happened at the source, and whether it needs attention."""
    badges = [_office_badge(sent)]
    if sent.source_state == SourceState.WITHDRAWN:
        badges.append(("badge bad plain", _("Cancelled at source")))
    elif sent.source_state == SourceState.REPLACED:
        badges.append(("badge warn plain", _("Changed at source")))
    if sent.needs_attention:
        badges.append(("badge attention", _("Needs attention")))
    return format_html_join(" ", '<span class="{}">{}</span>', badges)
