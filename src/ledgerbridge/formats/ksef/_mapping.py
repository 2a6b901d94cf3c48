"""Map an FA(3) ``Faktura`` tree onto :class:`~ledgerbridge.formats.model.Invoice`.

Text that is not a number or not a date (which the schema check reports) is mapped to
``None`` rather than guessed; a number with too many decimals keeps its exact value.

>>> _category("0 WDT"), _category("23"), _rate("np I")
('K', 'S', None)
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from ledgerbridge.formats.ksef._schema import NAMESPACE
from ledgerbridge.formats.model import Invoice, InvoiceLine, Party, Payment, Totals, VatBreakdown

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["invoice_of", "is_correction"]

_NS = {"fa": NAMESPACE}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CORRECTIONS = frozenset({"KOR", "KOR_ZAL", "KOR_ROZ"})
_TYPE_CODES = {"KOR": "381", "KOR_ZAL": "381", "KOR_ROZ": "381", "ZAL": "386"}
# FA(3) net-amount fields -> (EN 16931 VAT category, rate). P_13_1/2 cover 23 % and 8 %
# (22 % and 7 % while the temporary rates applied); the rate is the current one.
_GROUPS: tuple[tuple[str, str, str, Decimal | None], ...] = (
    ("P_13_1", "P_14_1", "S", Decimal(23)),
    ("P_13_2", "P_14_2", "S", Decimal(8)),
    ("P_13_3", "P_14_3", "S", Decimal(5)),
    ("P_13_4", "P_14_4", "S", Decimal(4)),
    ("P_13_5", "P_14_5", "S", None),  # OSS: the rate of the consumer's member state
    ("P_13_6_1", "", "Z", Decimal(0)),
    ("P_13_6_2", "", "K", Decimal(0)),
    ("P_13_6_3", "", "G", Decimal(0)),
    ("P_13_7", "", "E", None),
    ("P_13_8", "", "O", None),
    ("P_13_9", "", "O", None),
    ("P_13_10", "", "AE", None),
    ("P_13_11", "", "O", None),  # margin schemes: no VAT shown
)
_RATE_CATEGORIES = {"0 KR": "Z", "0 WDT": "K", "0 EX": "G", "zw": "E", "oo": "AE"}
_MEANS_CODES = {"1": "10", "2": "48", "4": "20", "6": "30", "7": "68"}


def _text(node: etree._Element | None, path: str) -> str | None:
    if node is None:
        return None
    found = node.find(path, _NS)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def _decimal(node: etree._Element | None, path: str) -> Decimal | None:
    raw = _text(node, path)
    try:
        return Decimal(raw) if raw is not None and "e" not in raw.lower() else None
    except InvalidOperation:
        return None


def _date(node: etree._Element | None, path: str) -> date | None:
    raw = _text(node, path)
    if raw is None or not _DATE.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def is_correction(root: etree._Element) -> bool:
    return _text(root, "fa:Fa/fa:RodzajFaktury") in _CORRECTIONS


def _party(node: etree._Element | None, *, seller: bool) -> Party:
    ident = node.find("fa:DaneIdentyfikacyjne", _NS) if node is not None else None
    nip = _text(ident, "fa:NIP")
    vat_id = None
    if nip is not None:
        vat_id = (_text(node, "fa:PrefiksPodatnika") or "PL") + nip
    elif _text(ident, "fa:NrVatUE") is not None:
        vat_id = (_text(ident, "fa:KodUE") or "") + (_text(ident, "fa:NrVatUE") or "")
    return Party(
        name=_text(ident, "fa:Nazwa"),
        vat_id=vat_id,
        tax_registration_id=nip or (None if seller else _text(ident, "fa:NrID")),
        country=_text(node, "fa:Adres/fa:KodKraju"),
    )


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def _breakdown(fa: etree._Element | None) -> tuple[VatBreakdown, ...]:
    groups = []
    for net_field, tax_field, category, rate in _GROUPS:
        taxable = _decimal(fa, f"fa:{net_field}")
        if taxable is None:
            continue
        tax = _decimal(fa, f"fa:{tax_field}") if tax_field else Decimal(0)
        groups.append(VatBreakdown(category=category, rate=rate, taxable=taxable, tax=tax))
    return tuple(groups)


def _totals(fa: etree._Element | None, lines: tuple[InvoiceLine, ...]) -> Totals:
    nets = [_decimal(fa, f"fa:{group[0]}") for group in _GROUPS]
    taxes = [_decimal(fa, f"fa:P_14_{n}") for n in range(1, 6)]
    gross = _decimal(fa, "fa:P_15")
    line_nets = [line.net for line in lines]
    before = fa is not None and fa.find("fa:FaWiersz/fa:StanPrzed", _NS) is not None
    line_net = None if before or None in line_nets else _sum(line_nets)
    settled = _decimal(fa, "fa:Rozliczenie/fa:DoZaplaty")
    return Totals(
        line_net=line_net,
        net=_sum(nets),
        tax=_sum(taxes) if any(t is not None for t in taxes) else None,
        gross=gross,
        due=gross if settled is None else settled,
    )


def _category(rate: str | None) -> str | None:
    if rate is None:
        return None
    if rate in _RATE_CATEGORIES:
        return _RATE_CATEGORIES[rate]
    if rate.startswith("np"):
        return "O"
    return "S" if rate.isdigit() else None


def _rate(rate: str | None) -> Decimal | None:
    if rate is None:
        return None
    if rate.isdigit():
        return Decimal(rate)
    return Decimal(0) if rate.startswith("0 ") else None


def _line(node: etree._Element) -> InvoiceLine:
    rate = _text(node, "fa:P_12")
    return InvoiceLine(
        id=_text(node, "fa:NrWierszaFa"),
        name=_text(node, "fa:P_7"),
        quantity=_decimal(node, "fa:P_8B"),
        unit=_text(node, "fa:P_8A"),
        net=_decimal(node, "fa:P_11"),
        vat_category=_category(rate),
        vat_rate=_rate(rate),
    )


def _payment(fa: etree._Element | None) -> Payment:
    payment = fa.find("fa:Platnosc", _NS) if fa is not None else None
    account = _text(payment, "fa:RachunekBankowy/fa:NrRB")
    if account is not None:
        account = account.replace(" ", "").upper()
        account = "PL" + account if account.isdigit() and len(account) == 26 else account
    return Payment(
        means_code=_MEANS_CODES.get(_text(payment, "fa:FormaPlatnosci") or ""), iban=account
    )


def invoice_of(root: etree._Element) -> Invoice:
    """The invoice data of a ``Faktura`` element (absent values are ``None``)."""
    fa = root.find("fa:Fa", _NS)
    kind = _text(fa, "fa:RodzajFaktury")
    lines = tuple(_line(node) for node in root.iterfind("fa:Fa/fa:FaWiersz", _NS))
    return Invoice(
        number=_text(fa, "fa:P_2"),
        type_code=_TYPE_CODES.get(kind or "", "380") if kind else None,
        issue_date=_date(fa, "fa:P_1"),
        due_date=_date(fa, "fa:Platnosc/fa:TerminPlatnosci/fa:Termin"),
        currency=_text(fa, "fa:KodWaluty"),
        seller=_party(root.find("fa:Podmiot1", _NS), seller=True),
        buyer=_party(root.find("fa:Podmiot2", _NS), seller=False),
        totals=_totals(fa, lines),
        vat_breakdown=_breakdown(fa),
        lines=lines,
        payment=_payment(fa),
    )
