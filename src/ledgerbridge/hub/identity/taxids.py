"""Tax IDs of organizations, validated with python-stdnum, one rule per country.

The database keeps the compact form (what stdnum's ``compact`` returns, so one number
has one spelling and "unique per country" means something); people see the formatted form.
A wrong number gets a message that shows the shape we expect.

>>> clean_tax_id("CH", "che 116 281 710")
'CHE116281710'
>>> display_tax_id("CH", "CHE116281710")
'CHE-116.281.710'
>>> display_tax_id("DE", clean_tax_id("DE", "DE 136,695 976"))
'DE136695976'
>>> clean_tax_id("CH", "CHE-116.281.711")
Traceback (most recent call last):
...
ledgerbridge.hub.core.errors.Invalid: A Swiss UID looks like CHE-123.456.789.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from stdnum.at import uid as at_uid
from stdnum.be import vat as be_vat
from stdnum.ch import uid as ch_uid
from stdnum.de import vat as de_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import tva as fr_tva
from stdnum.gb import vat as gb_vat
from stdnum.it import iva as it_iva
from stdnum.pl import nip as pl_nip

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid

if TYPE_CHECKING:
    from types import ModuleType

    from django.utils.functional import Promise

__all__ = ["COUNTRIES", "TAX_ID_RULES", "TaxIdRule", "clean_tax_id", "display_tax_id"]


@dataclass(frozen=True, slots=True)
class TaxIdRule:
    country: str
    country_name: Promise
    module: ModuleType
    prefix: str  # shown before the compact form when stdnum has no formatter
    shape: Promise  # the message for a wrong number, naming the expected shape
    example: str

    def display(self, compact: str) -> str:
        formatter = getattr(self.module, "format", None)
        if formatter is not None:
            return str(formatter(compact))
        return f"{self.prefix}{compact}"


TAX_ID_RULES: dict[str, TaxIdRule] = {
    rule.country: rule
    for rule in (
        TaxIdRule(
            "CH", _("Switzerland"), ch_uid, "",
            _("A Swiss UID looks like CHE-123.456.789."), "CHE-123.456.789",
        ),
        TaxIdRule(
            "PL", _("Poland"), pl_nip, "",
            _("A Polish NIP looks like 123-456-32-18 (10 digits)."), "123-456-32-18",
        ),
        TaxIdRule(
            "DE", _("Germany"), de_vat, "DE",
            _("A German VAT number looks like DE123456789."), "DE123456789",
        ),
        TaxIdRule(
            "AT", _("Austria"), at_uid, "AT",
            _("An Austrian UID looks like ATU12345678."), "ATU12345678",
        ),
        TaxIdRule(
            "BE", _("Belgium"), be_vat, "BE",
            _("A Belgian VAT number looks like BE0123456789."), "BE0123456789",
        ),
        TaxIdRule(
            "FR", _("France"), fr_tva, "FR",
            _("A French VAT number looks like FR12345678901."), "FR12345678901",
        ),
        TaxIdRule(
            "IT", _("Italy"), it_iva, "IT",
            _("An Italian VAT number looks like IT12345678901."), "IT12345678901",
        ),
        TaxIdRule(
            "GB", _("United Kingdom"), gb_vat, "GB",
            _("A UK VAT number looks like GB123456789."), "GB123456789",
        ),
    )
}  # fmt: skip

COUNTRIES: list[tuple[str, Promise]] = [
    (rule.country, rule.country_name) for rule in TAX_ID_RULES.values()
]


def _rule(country: str) -> TaxIdRule:
    try:
        return TAX_ID_RULES[country.upper()]
    except KeyError:
        raise Invalid(
            ErrorCode.UNSUPPORTED_COUNTRY,
            _("Organizations from this country are not supported yet: %(country)s")
            % {"country": country},
        ) from None


def clean_tax_id(country: str, value: str) -> str:
    """Validate ``value`` as a tax ID of ``country`` and return its compact form.

    Raises :class:`Invalid` (``invalid-tax-id``) naming the expected shape.
    """
    rule = _rule(country)
    try:
        return str(rule.module.validate(value))
    except StdnumError:
        raise Invalid(ErrorCode.INVALID_TAX_ID, rule.shape) from None


def display_tax_id(country: str, compact: str) -> str:
    """The tax ID as people write it (``CHE-123.456.789``)."""
    rule = TAX_ID_RULES.get(country.upper())
    return rule.display(compact) if rule else compact
