"""Conformance of the camt.053 reader with the shared corpus (``camt053/manifest.json``).

``expect: valid`` => no error finding; ``expect: invalid`` => an error finding or a
:class:`FormatError`. The genkgo fixtures come with genkgo/camt's decoded structure
(``*.expected.json``); statements, balances and entries are compared with it.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from ledgerbridge.formats import BankStatement, read
from tests.formats.conformance.corpus import Tally, corpus_root, manifest, verdict

if TYPE_CHECKING:
    from pathlib import Path

TALLY = Tally("camt053")
_MINOR_UNITS = {"JPY": 0}


@pytest.mark.parametrize("entry", manifest("camt053"), ids=lambda e: e["file"])
def test_camt053_corpus_file(entry: dict[str, Any]) -> None:
    # given
    expected = entry["expect"]
    # when
    outcome, codes = verdict(entry)
    TALLY.record(entry["file"].split("/")[0], ok=outcome == expected)
    # then
    assert outcome == expected, codes


def _money(value: dict[str, Any]) -> Decimal:
    currency = value["getCurrency"]["getCode"]
    return Decimal(value["getAmount"]).scaleb(-_MINOR_UNITS.get(currency, 2))


def _day(value: dict[str, Any] | None) -> date | None:
    return None if value is None else date.fromisoformat(value["0"][:10])


def _expected_cases() -> list[Path]:
    return sorted((corpus_root() / "camt053/genkgo").glob("*.expected.json"))


def _statements(path: Path) -> dict[str | None, BankStatement]:
    xml = path.with_name(path.name.replace(".expected.json", ".xml"))
    docs = read(xml.read_bytes()).documents
    return {d.data.statement_id: d.data for d in docs if isinstance(d.data, BankStatement)}


@pytest.mark.parametrize("path", _expected_cases(), ids=lambda p: p.name)
def test_camt053_matches_genkgo_decoding(path: Path) -> None:
    # given
    expected = json.loads(path.read_text("utf-8"))
    # when
    ours = _statements(path)
    # then
    for their in expected["getEntries"]:
        record = their["getRecord"]
        statement = ours[record["getId"]]
        # genkgo labels both OPBD and PRCD "opening"; we prefer OPBD when both are present.
        balances: dict[str, list[Decimal | None]] = {"opening": [], "closing": []}
        for balance in record["getBalances"]:
            balances.setdefault(balance["getType"], []).append(_money(balance["getAmount"]))
        assert statement.opening_balance in (balances["opening"] or [None])
        assert statement.closing_balance in (balances["closing"] or [None])
        account = (record.get("getAccount") or {}).get("getIban")
        if account:
            assert statement.account_iban == account["getIban"]
        mine = statement.entries[their["getIndex"]]
        sign = -1 if mine.credit_debit == "DBIT" else 1
        assert (mine.amount * sign).quantize(Decimal("0.01")) == _money(their["getAmount"])
        assert mine.credit_debit == their["getCreditDebitIndicator"]
        assert mine.booking_date == _day(their["getBookingDate"])
        assert mine.value_date == _day(their.get("getValueDate"))


def test_camt053_corpus_report() -> None:
    # given / when
    report = TALLY.report()
    # then
    print(report)
    assert report.startswith("conformance camt053:")
