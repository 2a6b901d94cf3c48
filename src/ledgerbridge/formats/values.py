"""Typed values out of the element text of UBL and CII invoices.

:class:`ValueReader` turns element text into ``Decimal``/``date`` by the lexical rules
of XML Schema and records a finding instead of raising when it cannot; :func:`path_of`
is the location every XML finding carries. Shared by the UBL and CII readers, so it
imports neither.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from ledgerbridge.formats.model import Finding, Severity

__all__ = ["ValueReader", "path_of"]

# xs:decimal: optional sign, digits with an optional fraction; no exponent, no spaces inside.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# xs:date: YYYY-MM-DD with an optional time zone, which a calendar date does not need.
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_DATE_102 = re.compile(r"\d{8}")


class ValueReader:
    """Typed values out of element text; lexical errors become findings, never exceptions.

    ``syntax`` (``"UBL"`` or ``"CII"``) prefixes the finding codes:
    ``<syntax>-SCHEMA-DECIMAL`` (not an xs:decimal), ``<syntax>-SCHEMA-DATE`` (not a date
    of the syntax: ``YYYY-MM-DD`` in UBL, format 102 ``YYYYMMDD`` in CII),
    ``<syntax>-SCHEMA-CODE`` (a code that cannot be one of its list) and
    ``<syntax>-SCHEMA-MISSING`` (structure the reader cannot do without).

    >>> from lxml import etree
    >>> values = ValueReader("UBL")
    >>> values.decimal(etree.fromstring("<a> 12.50 </a>")), values.decimal(None)
    (Decimal('12.50'), None)
    >>> values.decimal(etree.fromstring("<a>1e3</a>")) is None, values.findings[0].code
    (True, 'UBL-SCHEMA-DECIMAL')
    """

    __slots__ = ("findings", "syntax")

    def __init__(self, syntax: str) -> None:
        self.syntax = syntax
        self.findings: list[Finding] = []

    def error(self, kind: str, location: etree._Element | str, message: str) -> None:
        """Record an error finding ``<syntax>-SCHEMA-<kind>`` at an element or a path."""
        where = location if isinstance(location, str) else path_of(location)
        self.findings.append(
            Finding(Severity.ERROR, f"{self.syntax}-SCHEMA-{kind}", where, message)
        )

    def require(self, element: etree._Element | None, parent: etree._Element, tag: str) -> None:
        """Record ``<syntax>-SCHEMA-MISSING`` when a mandatory child is absent."""
        if element is None:
            self.error("MISSING", parent, f"the mandatory element {_short(tag)} is missing")

    @staticmethod
    def text(element: etree._Element | None) -> str | None:
        """The stripped text of ``element``, or ``None`` when absent or empty."""
        if element is None or element.text is None:
            return None
        return element.text.strip() or None

    def decimal(self, element: etree._Element | None) -> Decimal | None:
        """The exact decimal value of ``element`` (absent -> ``None``)."""
        if element is None:
            return None
        raw = (element.text or "").strip()
        if _DECIMAL.fullmatch(raw):
            try:
                return Decimal(raw)
            except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
                pass
        self.error("DECIMAL", element, f"{raw!r} is not a decimal number")
        return None

    def iso_date(self, element: etree._Element | None) -> date | None:
        """A UBL ``xs:date`` (``YYYY-MM-DD``, optional time zone; absent -> ``None``)."""
        if element is None:
            return None
        raw = (element.text or "").strip()
        match = _ISO_DATE.fullmatch(raw)
        if match:
            parsed = _calendar(*match.groups())
            if parsed is not None:
                return parsed
        self.error("DATE", element, f"{raw!r} is not a date of the form YYYY-MM-DD")
        return None

    def date_102(self, element: etree._Element | None) -> date | None:
        """A CII ``udt:DateTimeString`` with ``format="102"`` (``YYYYMMDD``)."""
        if element is None:
            return None
        raw = (element.text or "").strip()
        fmt = element.get("format")
        if fmt != "102":
            self.error("DATE", element, f"date format {fmt!r} is not 102 (YYYYMMDD)")
            return None
        if _DATE_102.fullmatch(raw):
            parsed = _calendar(raw[0:4], raw[4:6], raw[6:8])
            if parsed is not None:
                return parsed
        self.error("DATE", element, f"{raw!r} is not a date of the form YYYYMMDD")
        return None


def _calendar(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _short(tag: str) -> str:
    return etree.QName(tag).localname if tag.startswith("{") else tag


def path_of(element: etree._Element) -> str:
    """An XPath-like location of ``element`` with prefixes as written in the document."""
    return str(element.getroottree().getpath(element))
