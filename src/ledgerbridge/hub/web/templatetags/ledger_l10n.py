"""Filters that show stored codes, amounts, dates, IBANs and references for people.

``money``, ``short_date`` and ``short_datetime`` write in the active regional format
(:mod:`ledgerbridge.hub.identity.regional`: the user's, else the organization's choice,
else its country's); ``money`` with a currency joins them with a no-break space, so that
``CHF 3'009.64`` never wraps between the two. ``iban`` and ``reference`` print the blocks
of the QR-bill, each one unbreakable. Data attributes, the API and CSV keep the plain
values. ``status_label`` and ``severity_label`` turn the codes stored in status histories
and findings into labels.

>>> from datetime import date
>>> from decimal import Decimal
>>> from django.utils import translation
>>> from ledgerbridge.hub.identity import regional
>>> with regional.override("ch"):
...     money(Decimal("3009.64"), "CHF"), short_date(date(2026, 12, 7))
("CHF\\xa03'009.64", '07.12.2026')
>>> with regional.override("pl"):
...     money(Decimal("3009.64"))
'3\\xa0009,64'
>>> str(iban("ch44 3"))
'<span class="grps"><span class="grp">CH44</span> <span class="grp">3</span></span>'
>>> with translation.override("de"):
...     status_label("pending"), severity_label("warning")
('Offen', 'Warnung')
>>> money(None), money("not a number"), status_label("unknown"), short_date(None)
('', 'not a number', 'unknown', '')
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity import regional

__all__ = [
    "iban",
    "money",
    "reference",
    "regional_format",
    "severity_label",
    "short_date",
    "short_datetime",
    "status_label",
]

register = template.Library()

# The severities of ``ledgerbridge.formats.model.Severity``; the findings' messages stay
# English by design (the formats library is pure), their codes are shown beside them.
SEVERITY_LABELS = {
    "error": _("Error"),
    "warning": _("Warning"),
    "info": _("Note"),
}


@register.filter
def money(value: object, currency: object = "") -> str:
    """``value`` in the active regional format, after ``currency`` and a no-break space;
    text that is not a number stays as it is."""
    if value is None or value == "":
        return ""
    try:
        number = regional.current().amount(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
    if not currency:
        return number
    # The number holds only digits, a sign and the region's separators (an apostrophe is
    # plain text in HTML); the currency is data and is escaped.
    return mark_safe(f"{conditional_escape(str(currency))}{regional.NBSP}{number}")  # noqa: S308


@register.filter(expects_localtime=True)
def short_date(value: date | None) -> str:
    """A date (or the day of a moment) in the active regional format: ``07.12.2026``."""
    if not isinstance(value, date):
        return ""
    return regional.short_date(value)


@register.filter(expects_localtime=True)
def short_datetime(value: datetime | None) -> str:
    """A moment in the active regional format, in local time: ``07.12.2026 14:05``."""
    if not isinstance(value, datetime):
        return short_date(value)
    return regional.short_datetime(value)


@register.simple_tag
def regional_format() -> regional.RegionalFormat:
    """The active regional format, for scripts that write amounts and dates themselves."""
    return regional.current()


def _groups(blocks: list[str]) -> SafeString:
    # One outer span: a flex cell (the phone's table rows) lays it out as one item.
    inner = format_html_join(" ", '<span class="grp">{}</span>', ((block,) for block in blocks))
    return format_html('<span class="grps">{}</span>', inner)


@register.filter
def iban(value: object) -> SafeString | str:
    """An IBAN in unbreakable blocks of four."""
    return _groups(regional.iban_groups(str(value))) if value else ""


@register.filter
def reference(value: object) -> SafeString | str:
    """A payment reference in the unbreakable blocks of the QR-bill."""
    return _groups(regional.reference_groups(str(value))) if value else ""


@register.filter
def status_label(value: object) -> str:
    """The translated label of a document status code; an unknown code reads as itself."""
    return str(dict(Document.Status.choices).get(str(value), value))


@register.filter
def severity_label(value: object) -> str:
    """The translated label of a finding's severity; an unknown one reads as itself."""
    label = SEVERITY_LABELS.get(str(value))
    return str(label) if label is not None else str(value)
