"""Regional formats: each region writes amounts and dates its own way, one way everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from ledgerbridge.hub.identity import regional


@pytest.mark.parametrize(
    ("region", "amount", "day", "moment"),
    [
        ("ch", "3'009.64", "07.12.2026", "07.12.2026 14:05"),
        ("de", "3.009,64", "07.12.2026", "07.12.2026 14:05"),
        ("pl", "3\xa0009,64", "07.12.2026", "07.12.2026 14:05"),
        ("gb", "3,009.64", "07/12/2026", "07/12/2026 14:05"),
        ("fr", "3\xa0009,64", "07/12/2026", "07/12/2026 14:05"),
        ("it", "3.009,64", "07/12/2026", "07/12/2026 14:05"),
        ("iso", "3\xa0009.64", "2026-12-07", "2026-12-07 14:05"),
    ],
)
def test_each_region_writes_amounts_dates_and_moments_its_way(
    region: str, amount: str, day: str, moment: str
) -> None:
    # given
    value, when = Decimal("3009.64"), datetime(2026, 12, 7, 14, 5, tzinfo=UTC)
    # when
    with regional.override(region):
        written = (regional.amount(value), regional.short_date(when.date()))
        written_moment = regional.short_datetime(when)
    # then
    assert written == (amount, day)
    assert written_moment == moment


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("0"), "0.00"),
        (Decimal("999.995"), "1'000.00"),  # rounded half up, like a cash register
        (Decimal("-1234567.5"), "-1'234'567.50"),
        (Decimal("12"), "12.00"),
        ("not a number", "not a number"),
    ],
)
def test_amounts_are_rounded_to_cents_and_grouped_by_thousands(value: object, written: str) -> None:
    # given the Swiss format
    # when
    with regional.override("ch"):
        result = regional.amount(value)
    # then
    assert result == written


@pytest.mark.parametrize(
    ("country", "organization_choice", "user_choice", "expected"),
    [
        ("CH", "", "", "ch"),
        ("DE", "", "", "de"),
        ("AT", "", "", "de"),
        ("PL", "", "", "pl"),
        ("GB", "", "", "gb"),
        ("FR", "", "", "fr"),
        ("BE", "", "", "it"),
        ("CH", "de", "", "de"),  # the organization chose German
        ("CH", "de", "gb", "gb"),  # the user overrides it
        ("CH", "", "gone", "ch"),  # a format of an older release counts as none
        ("US", "", "", "iso"),
    ],
)
def test_the_users_choice_wins_then_the_organizations_then_the_countrys(
    country: str, organization_choice: str, user_choice: str, expected: str
) -> None:
    # when
    region = regional.region_for(
        country=country, organization_choice=organization_choice, user_choice=user_choice
    )
    # then
    assert region.code == expected


@pytest.mark.parametrize(
    ("value", "groups"),
    [
        ("CH4431999123000889012", ["CH44", "3199", "9123", "0008", "8901", "2"]),
        ("ch44 3199 9123 0008 8901 2", ["CH44", "3199", "9123", "0008", "8901", "2"]),
        ("DE89370400440532013000", ["DE89", "3704", "0044", "0532", "0130", "00"]),
    ],
)
def test_an_iban_is_written_in_blocks_of_four(value: str, groups: list[str]) -> None:
    # when
    result = regional.iban_groups(value)
    # then
    assert result == groups


@pytest.mark.parametrize(
    ("value", "groups"),
    [
        # QR reference: blocks of five from the right, so two digits lead (SIX style guide)
        ("210000000003139471430009017", ["21", "00000", "00003", "13947", "14300", "09017"]),
        # creditor reference (ISO 11649): blocks of four
        ("RF18539007547034", ["RF18", "5390", "0754", "7034"]),
        ("Invoice 2025-17", ["Invoice 2025-17"]),
        # digits that are no QR reference (an e-invoice's payment ID) stay as written
        ("0003434323213231", ["0003434323213231"]),
        ("", []),
    ],
)
def test_a_reference_is_written_in_the_blocks_of_the_qr_bill(value: str, groups: list[str]) -> None:
    # when
    result = regional.reference_groups(value)
    # then
    assert result == groups


def test_without_an_active_region_the_language_decides() -> None:
    # given no regional format is active
    # when
    with translation.override("pl"):
        polish = regional.amount(Decimal("3009.64"))
    with translation.override("en"):
        english = regional.short_date(date(2026, 12, 7))
    # then
    assert (polish, english) == ("3\xa0009,64", "07/12/2026")
