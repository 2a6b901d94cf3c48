"""Filters that show stored codes and amounts the way the reader's language writes them.

``money`` groups thousands and keeps two decimals in the active language's own format
(Django's ``de`` writes ``289.482,12``, ``fr`` ``289 482,12``, ``en`` ``289,482.12``);
data attributes, the API and CSV keep the plain value. ``status_label`` and
``severity_label`` turn the codes stored in status histories and findings into labels.

>>> from decimal import Decimal
>>> from django.utils import translation
>>> with translation.override("en"):
...     money(Decimal("289482.1"))
'289,482.10'
>>> with translation.override("de"):
...     money(Decimal("289482.1")), status_label("pending"), severity_label("warning")
('289.482,10', 'Offen', 'Warnung')
>>> money(None), money("not a number"), status_label("unknown")
('', 'not a number', 'unknown')
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.documents.models import Document

__all__ = ["money", "severity_label", "status_label"]

register = template.Library()

# The severities of ``ledgerbridge.formats.model.Severity``; the findings' messages stay
# English by design (the formats library is pure), their codes are shown beside them.
SEVERITY_LABELS = {
    "error": _("Error"),
    "warning": _("Warning"),
    "info": _("Note"),
}


@register.filter
def money(value: object) -> str:
    """``value`` with two decimals and the active language's grouping; other text as is."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def status_label(value: object) -> str:
    """The translated label of a document status code; an unknown code reads as itself."""
    return str(dict(Document.Status.choices).get(str(value), value))


@register.filter
def severity_label(value: object) -> str:
    """The translated label of a finding's severity; an unknown one reads as itself."""
    label = SEVERITY_LABELS.get(str(value))
    return str(label) if label is not None else str(value)
