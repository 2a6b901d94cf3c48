"""Swico S1 structured bill information (``//S1/10/.../11/...``) of a Swiss QR-bill.

Decoding is lenient: every part that can be read fills :class:`BillInformation`, every
part that cannot becomes a *warning* finding and is left out. Warnings, not errors: the
bill information is optional advice to the payer's bookkeeping, and a QR-bill whose
``//S1/`` text is broken (or uses the pre-2018 draft tags, as SIX's own samples do) is
still a valid payment order. Tags: ``10`` invoice number,
``11`` invoice date (YYMMDD), ``20`` customer reference, ``30`` UID, ``31`` VAT date or
period (YYMMDD or YYMMDDYYMMDD), ``32`` VAT rate or ``rate:net;...``, ``33`` import VAT
``rate:tax;...``, ``40`` payment conditions ``discount:days;...``. ``\\/`` and ``\\\\``
escape a slash and a backslash inside values.

Warning codes (location ``bill_information/<tag>``): ``swico-truncated`` (a tag without value),
``swico-tag-invalid`` (not a number), ``swico-tag-unknown``, ``swico-tag-order`` (tags must
ascend, each once), ``swico-value-empty``, ``swico-invoice-date-invalid``,
``swico-vat-dates-invalid``, ``swico-vat-rates-invalid``, ``swico-import-vat-invalid``,
``swico-payment-conditions-invalid``, ``swico-escape-invalid`` (a ``\\`` before anything
but ``/`` or ``\\``). Info: ``swico-date-format`` for a date written with
a time (YYMMDDHHMM[SS]), which the syntax does not allow but producers emit.

>>> bill, findings = decode("//S1/10/10201409/11/190512/20/405\\\\/1/32/7.7/40/2:10;0:30")
>>> bill.invoice_number, bill.invoice_date, bill.customer_reference, findings
('10201409', datetime.date(2019, 5, 12), '405/1', [])
>>> bill.vat_rates, bill.payment_conditions
(((Decimal('7.7'), None),), ((Decimal('2'), 10), (Decimal('0'), 30)))
>>> decode("//XY/free text")
(None, [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ledgerbridge.formats.model import BillInformation, Finding, Severity

__all__ = ["decode"]

_PREFIX = "//S1/"
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DAYS = re.compile(r"[0-9]+")
_TIME = re.compile(r"([01][0-9]|2[0-3])[0-5][0-9]([0-5][0-9])?")
_DATE = 6
_PERIOD = 12
_TAG_NAMES = {
    10: "invoice_number",
    11: "invoice_date",
    20: "customer_reference",
    30: "vat_number",
    31: "vat_dates",
    32: "vat_rates",
    33: "import_vat",
    40: "payment_conditions",
}


@dataclass
class _State:
    bill: BillInformation = field(default_factory=BillInformation)
    findings: list[Finding] = field(default_factory=list)

    def warning(self, code: str, tag: object, message: str) -> None:
        self.findings.append(Finding(Severity.WARNING, code, f"bill_information/{tag}", message))

    def set(self, **values: Any) -> None:  # one BillInformation field per tag
        self.bill = replace(self.bill, **values)


def _split(body: str) -> tuple[list[str], set[int]]:
    """Split at unescaped slashes and undo the ``\\/`` and ``\\\\`` escapes.

    Also returns the indexes of the parts with a backslash that escapes neither: kept as
    written, as decoders do, but not what the syntax allows.
    """
    parts: list[str] = []
    stray: set[int] = set()
    current: list[str] = []
    chars = iter(body)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            if nxt in ("/", "\\"):
                current.append(nxt)
            else:
                current.append(ch + nxt)
                stray.add(len(parts))
        elif ch == "/":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts, stray


def _date(text: str, tag: int, state: _State) -> date | None:
    if len(text) != _DATE and not (
        len(text) in (10, 12) and text.isdigit() and _TIME.fullmatch(text[_DATE:])
    ):
        return None
    if not text[:_DATE].isdigit():
        return None
    try:
        value = date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None
    if len(text) != _DATE:
        state.findings.append(
            Finding(
                Severity.INFO,
                "swico-date-format",
                f"bill_information/{tag}",
                f"{text!r} carries a time; YYMMDD expected",
            )
        )
    return value


def _pairs(text: str, tag: int, code: str, state: _State) -> tuple[tuple[Decimal, Decimal], ...]:
    pairs = []
    for entry in text.split(";"):
        left, sep, right = entry.partition(":")
        if sep and _NUMBER.fullmatch(left) and _NUMBER.fullmatch(right):
            pairs.append((Decimal(left), Decimal(right)))
        else:
            state.warning(code, tag, f"{entry!r} is not rate:amount")
    return tuple(pairs)


def _vat_rates(text: str, state: _State) -> None:
    if ":" not in text and ";" not in text:
        if _NUMBER.fullmatch(text):
            state.set(vat_rates=((Decimal(text), None),))
        else:
            state.warning("swico-vat-rates-invalid", 32, f"{text!r} is not a rate")
        return
    pairs = _pairs(text, 32, "swico-vat-rates-invalid", state)
    state.set(vat_rates=tuple((rate, amount) for rate, amount in pairs))


def _vat_dates(text: str, state: _State) -> None:
    dates: tuple[date | None, ...]
    if len(text) == _DATE:
        dates = (_date(text, 31, state),)
    elif len(text) == _PERIOD:
        dates = (_date(text[:_DATE], 31, state), _date(text[_DATE:], 31, state))
    else:
        dates = (None,)
    if None in dates:
        state.warning("swico-vat-dates-invalid", 31, f"{text!r} is not YYMMDD or YYMMDDYYMMDD")
    else:
        state.set(vat_dates=tuple(d for d in dates if d is not None))


def _payment_conditions(text: str, state: _State) -> None:
    conditions = []
    for entry in text.split(";"):
        discount, sep, days = entry.partition(":")
        if sep and _NUMBER.fullmatch(discount) and _DAYS.fullmatch(days):
            conditions.append((Decimal(discount), int(days)))
        else:
            state.warning("swico-payment-conditions-invalid", 40, f"{entry!r} is not discount:days")
    state.set(payment_conditions=tuple(conditions))


def _element(tag: int, value: str, state: _State) -> None:
    match tag:
        case 11:
            invoice_date = _date(value, tag, state)
            if invoice_date is None:
                state.warning("swico-invoice-date-invalid", tag, f"{value!r} is not a YYMMDD date")
            state.set(invoice_date=invoice_date)
        case 31:
            _vat_dates(value, state)
        case 32:
            _vat_rates(value, state)
        case 33:
            state.set(import_vat=_pairs(value, tag, "swico-import-vat-invalid", state))
        case 40:
            _payment_conditions(value, state)
        case _:
            state.set(**{_TAG_NAMES[tag]: value})


def decode(text: str) -> tuple[BillInformation | None, list[Finding]]:
    """Decode Swico S1 bill information; ``(None, [])`` when ``text`` is not S1 syntax."""
    if not text.startswith(_PREFIX):
        return None, []
    state = _State()
    parts, stray = _split(text[len(_PREFIX) :])
    for index in sorted(stray):
        where = parts[index - 1] if index % 2 else parts[index]
        message = "a backslash that escapes neither '/' nor '\\' is kept as written"
        state.warning("swico-escape-invalid", where, message)
    if len(parts) % 2:
        state.warning("swico-truncated", parts[-1], "the last tag has no value")
    last = 0
    for raw_tag, value in zip(parts[0::2], parts[1::2], strict=False):
        if not raw_tag.isdigit():
            state.warning("swico-tag-invalid", raw_tag, f"{raw_tag!r} is not a tag number")
            continue
        tag = int(raw_tag)
        if tag not in _TAG_NAMES:
            state.warning("swico-tag-unknown", tag, f"tag {tag} is not defined by Swico S1")
            continue
        if tag <= last:
            state.warning("swico-tag-order", tag, f"tag {tag} follows tag {last}")
        last = max(last, tag)
        if not value:
            state.warning("swico-value-empty", tag, "the value is empty")
            continue
        _element(tag, value, state)
    return state.bill, state.findings
