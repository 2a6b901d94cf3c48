"""Tax IDs: each supported country validates with python-stdnum and names its shape."""

from __future__ import annotations

import pytest

from ledgerbridge.hub.core.errors import Invalid
from ledgerbridge.hub.identity.taxids import TAX_ID_RULES, clean_tax_id, display_tax_id

VALID = [
    ("CH", "CHE-116.281.710", "CHE116281710", "CHE-116.281.710"),
    ("PL", "PL 856-734-62-15", "8567346215", "856-734-62-15"),
    ("DE", "DE 136,695 976", "136695976", "DE136695976"),
    ("AT", "ATU13585627", "U13585627", "ATU13585627"),
    ("BE", "BE 0403.019.261", "0403019261", "BE0403019261"),
    ("FR", "FR 40 303 265 045", "40303265045", "FR40303265045"),
    ("IT", "IT00743110157", "00743110157", "IT00743110157"),
    ("GB", "GB 980 7806 84", "980780684", "980 7806 84"),
]


@pytest.mark.parametrize(("country", "given", "compact", "shown"), VALID)
def test_valid_tax_id_is_stored_compact_and_shown_formatted(
    country: str, given: str, compact: str, shown: str
) -> None:
    # when
    stored = clean_tax_id(country, given)
    # then
    assert stored == compact
    assert display_tax_id(country, stored) == shown


@pytest.mark.parametrize(
    ("country", "wrong", "message"),
    [
        ("CH", "CHE-116.281.711", "A Swiss UID looks like CHE-123.456.789."),
        ("CH", "123", "A Swiss UID looks like CHE-123.456.789."),
        ("PL", "856-734-62-16", "A Polish NIP looks like 123-456-32-18 (10 digits)."),
        ("DE", "DE136695977", "A German VAT number looks like DE123456789."),
        ("AT", "ATU13585626", "An Austrian UID looks like ATU12345678."),
        ("BE", "BE0403019262", "A Belgian VAT number looks like BE0123456789."),
        ("FR", "FR41303265045", "A French VAT number looks like FR12345678901."),
        ("IT", "IT00743110158", "An Italian VAT number looks like IT12345678901."),
        ("GB", "GB980780685", "A UK VAT number looks like GB123456789."),
    ],
)
def test_wrong_tax_id_names_the_expected_shape(country: str, wrong: str, message: str) -> None:
    # when
    with pytest.raises(Invalid) as caught:
        clean_tax_id(country, wrong)
    # then
    assert caught.value.code == "invalid-tax-id"
    assert str(caught.value) == message


def test_unsupported_country_is_refused() -> None:
    # when
    with pytest.raises(Invalid) as caught:
        clean_tax_id("US", "12-3456789")
    # then
    assert caught.value.code == "unsupported-country"


def test_every_rule_has_a_valid_case() -> None:
    # then
    assert {country for country, *_ in VALID} == set(TAX_ID_RULES)
