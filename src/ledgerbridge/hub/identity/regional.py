"""Regional formats: how amounts, dates, IBANs and payment references are written for people.

The language of the pages (en/de/fr/pl) and the way numbers and dates are written are two
choices: a German-speaking bookkeeper in Zurich reads ``3'009.64`` and ``07.12.2026``, one
in Berlin ``3.009,64``. An organization picks a regional format (blank: the one of its
country), and a user may override it. The active one is held in a context variable for
the request (set by the web middleware); without one the page's language decides.
Machine-readable output (the API, CSV, ``data-`` attributes) keeps the plain values.

Groups never break inside: the thousands separator of a space-grouping region is a
no-break space, and :func:`iban_groups` / :func:`reference_groups` give the blocks that the
templates print as unbreakable units, the way a QR-bill prints them (SIX style guide: an
IBAN and a creditor reference in blocks of four, a QR reference as two digits and then
blocks of five).

>>> from decimal import Decimal
>>> from datetime import date
>>> with override("ch"):
...     amount(Decimal("3009.64")), short_date(date(2026, 12, 7))
("3'009.64", '07.12.2026')
>>> with override("de"):
...     amount(Decimal("-1234567.5"))
'-1.234.567,50'
>>> iban_groups("CH4431999123000889012")
['CH44', '3199', '9123', '0008', '8901', '2']
>>> reference_groups("210000000003139471430009017")
['21', '00000', '00003', '13947', '14300', '09017']
>>> region_for(country="CH", organization_choice="", user_choice="").code
'ch'
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils import dateformat, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.utils.functional import Promise

__all__ = [
    "CHOICES",
    "COUNTRY_DEFAULTS",
    "NBSP",
    "REGIONS",
    "RegionalFormat",
    "activate",
    "amount",
    "current",
    "deactivate",
    "iban_groups",
    "override",
    "reference_groups",
    "region_for",
    "short_date",
    "short_datetime",
]

NBSP = "\u00a0"
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class RegionalFormat:
    """One way of writing numbers and dates; ``date_format`` uses Django's date letters."""

    code: str
    name: Promise
    group: str
    decimal: str
    date_format: str
    time_format: str = "H:i"

    def amount(self, value: Decimal) -> str:
        """``value`` rounded to cents, thousands grouped: ``3'009.64``, ``3.009,64``."""
        cents = value.quantize(_CENT, rounding=ROUND_HALF_UP)
        sign = "-" if cents < 0 else ""
        whole, _dot, fraction = f"{abs(cents):f}".partition(".")
        groups: list[str] = []
        while len(whole) > 3:
            whole, tail = whole[:-3], whole[-3:]
            groups.insert(0, tail)
        groups.insert(0, whole)
        return f"{sign}{self.group.join(groups)}{self.decimal}{fraction}"

    def date(self, value: date) -> str:
        return dateformat.format(value, self.date_format)

    def datetime(self, value: datetime) -> str:
        return dateformat.format(value, f"{self.date_format} {self.time_format}")

    @property
    def sample(self) -> str:
        """An amount and a date as this format writes them: ``3'009.64 · 07.12.2026``."""
        return f"{self.amount(Decimal('3009.64'))} · {self.date(date(2026, 12, 7))}"

    @property
    def label(self) -> Promise:
        """The name with a sample, for a choice list: ``Switzerland — 3'009.64 · 07.12.2026``."""
        return format_lazy("{} — {}", self.name, self.sample)


REGIONS: dict[str, RegionalFormat] = {
    region.code: region
    for region in (
        RegionalFormat("ch", _("Switzerland and Liechtenstein"), "'", ".", "d.m.Y"),
        RegionalFormat("de", _("Germany and Austria"), ".", ",", "d.m.Y"),
        RegionalFormat("fr", _("France"), NBSP, ",", "d/m/Y"),
        RegionalFormat("it", _("Italy and Belgium"), ".", ",", "d/m/Y"),
        RegionalFormat("pl", _("Poland"), NBSP, ",", "d.m.Y"),
        RegionalFormat("gb", _("United Kingdom"), ",", ".", "d/m/Y"),
        RegionalFormat("iso", _("International (ISO 8601)"), NBSP, ".", "Y-m-d"),
    )
}

CHOICES: list[tuple[str, Promise]] = [(region.code, region.label) for region in REGIONS.values()]

# The regional format of an organization that has not chosen one, by its country.
COUNTRY_DEFAULTS = {
    "CH": "ch", "LI": "ch", "DE": "de", "AT": "de", "FR": "fr", "LU": "fr",
    "IT": "it", "BE": "it", "PL": "pl", "GB": "gb", "IE": "gb",
}  # fmt: skip

# Without an organization (a page before login): what the page's language suggests.
_LANGUAGE_DEFAULTS = {"de": "de", "fr": "fr", "pl": "pl", "it": "it"}

_active: ContextVar[RegionalFormat | None] = ContextVar("ledgerbridge_region", default=None)


def region_for(*, country: str, organization_choice: str, user_choice: str) -> RegionalFormat:
    """The user's choice, else the organization's, else the one of its country."""
    for code in (user_choice, organization_choice, COUNTRY_DEFAULTS.get(country, "")):
        if code in REGIONS:
            return REGIONS[code]
    return REGIONS["iso"]


def current() -> RegionalFormat:
    """The active regional format; without one, the one the active language suggests."""
    active = _active.get()
    if active is not None:
        return active
    language = (translation.get_language() or "en").split("-")[0]
    return REGIONS[_LANGUAGE_DEFAULTS.get(language, "gb")]


def activate(region: RegionalFormat | str) -> None:
    _active.set(REGIONS[region] if isinstance(region, str) else region)


def deactivate() -> None:
    _active.set(None)


@contextmanager
def override(region: RegionalFormat | str | None) -> Iterator[None]:
    """Write in ``region`` inside the block (``None``: as without one)."""
    chosen = REGIONS[region] if isinstance(region, str) else region
    token = _active.set(chosen)
    try:
        yield
    finally:
        _active.reset(token)


def amount(value: object) -> str:
    """``value`` as an amount in the active format; text that is no number stays as is."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    return current().amount(number)


def short_date(value: date) -> str:
    return current().date(value)


def short_datetime(value: datetime) -> str:
    return current().datetime(value)


def _blocks(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]


def iban_groups(value: str) -> list[str]:
    """An IBAN (or QR-IBAN) in blocks of four, as printed on the bill."""
    return _blocks("".join(value.split()).upper(), 4)


# Digits of a Swiss QR reference (QRR): 26 and a check digit.
QR_REFERENCE_LENGTH = 27


def reference_groups(value: str) -> list[str]:
    """A payment reference in the blocks of the QR-bill: a QR reference (27 digits) in
    blocks of five from the right, so it reads as two, then five blocks of five; a
    creditor reference (``RF…``) in blocks of four; anything else (a Norwegian KID, an
    invoice number) as one block, as its issuer wrote it."""
    compact = "".join(value.split())
    if compact.isdigit() and len(compact) == QR_REFERENCE_LENGTH:
        head = len(compact) % 5
        return ([compact[:head]] if head else []) + _blocks(compact[head:], 5)
    if compact[:2].upper() == "RF" and compact.isalnum():
        return _blocks(compact.upper(), 4)
    return [value] if value else []
