"""ValueReader: element text into exact decimals and dates, findings instead of errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from ledgerbridge.formats.values import ValueReader


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", Decimal("12.50")),
        (" -0.5 ", Decimal("-0.5")),
        ("+7", Decimal("7")),
        (".25", Decimal("0.25")),
        ("100.", Decimal("100")),
        ("123456789012345678901234.123456789", Decimal("123456789012345678901234.123456789")),
    ],
)
def test_value_reader_decimal_is_exact(text: str, expected: Decimal) -> None:
    # given
    values = ValueReader("UBL")
    element = etree.fromstring(f"<a>{text}</a>")

    # when
    result = values.decimal(element)

    # then
    assert result == expected
    assert str(result) == str(expected)
    assert values.findings == []


@pytest.mark.parametrize("text", ["1e3", "12,50", "", "NaN", "Infinity", "1 000", "0x10"])
def test_value_reader_decimal_refuses_what_xs_decimal_refuses(text: str) -> None:
    # given
    values = ValueReader("CII")
    root = etree.fromstring(f"<r><a>{text}</a></r>")

    # when
    result = values.decimal(root[0])

    # then
    assert result is None
    (finding,) = values.findings
    assert (finding.code, finding.location) == ("CII-SCHEMA-DECIMAL", "/r/a")
    assert finding.is_error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("2016-04-04+01:00", date(2016, 4, 4)),
        ("2016-04-04Z", date(2016, 4, 4)),
    ],
)
def test_value_reader_iso_date(text: str, expected: date) -> None:
    # given
    values = ValueReader("UBL")

    # when
    result = values.iso_date(etree.fromstring(f"<d>{text}</d>"))

    # then
    assert result == expected
    assert values.findings == []


@pytest.mark.parametrize("text", ["2023-02-29", "20230101", "2023-1-1", "31.01.2023", ""])
def test_value_reader_iso_date_refuses_other_forms(text: str) -> None:
    # given
    values = ValueReader("UBL")

    # when
    result = values.iso_date(etree.fromstring(f"<d>{text}</d>"))

    # then
    assert result is None
    assert [f.code for f in values.findings] == ["UBL-SCHEMA-DATE"]


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("102", "20250131", date(2025, 1, 31)),
        ("102", "20250231", None),
        ("102", "2025-01-31", None),
        ("610", "202501", None),
        (None, "20250131", None),
    ],
)
def test_value_reader_date_102(fmt: str | None, text: str, expected: date | None) -> None:
    # given
    values = ValueReader("CII")
    attribute = f' format="{fmt}"' if fmt else ""

    # when
    result = values.date_102(etree.fromstring(f"<d{attribute}>{text}</d>"))

    # then
    assert result == expected
    assert [f.code for f in values.findings] == ([] if expected else ["CII-SCHEMA-DATE"])
