"""Whose tax IDs an e-invoice may name: the organization's own and its linked organizations'.

An e-invoice is the organization's business when its seller or buyer carries the
organization's tax ID, or the tax ID of an organization linked to it (an accounting
office uploads its clients' invoices). Tax IDs are compared in compact form, by the
country rules of :mod:`ledgerbridge.hub.identity.taxids` (python-stdnum's ``compact``):
``CHE-123.456.789 MWST`` is the Swiss UID ``CHE123456789``, ``DE 123 456 789`` the
German VAT number ``123456789``, ``PL 123-456-32-18`` the NIP ``1234563218``.

Which organizations are linked is known only to the ``exchange`` app, which sits above
``documents`` in the hub's layers and must not be imported from here. It registers a
provider instead, in its ``AppConfig.ready()``::

    from ledgerbridge.hub.documents.counterparts import register_linked_tax_ids
    register_linked_tax_ids(active_link_tax_ids)  # Organization -> {(country, compact)}

A provider answers the ``(country, compact tax ID)`` pairs of the organizations linked to
the given one. With no provider registered (the default) there are none.

>>> same_tax_id(("CH", "CHE123456789"), "CHE-123.456.789 MWST")
True
>>> same_tax_id(("PL", "1234563218"), "PL 123-456-32-18")
True
>>> same_tax_id(("DE", "123456789"), "DE123456789")
True
>>> same_tax_id(("DE", "123456789"), "ATU123456789")
False
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, TypeAlias

from stdnum.exceptions import ValidationError as StdnumError

from ledgerbridge.hub.identity.taxids import TAX_ID_RULES

if TYPE_CHECKING:
    from ledgerbridge.formats import Party
    from ledgerbridge.hub.identity.models import Organization

__all__ = [
    "LinkedTaxIds",
    "TaxIdentity",
    "compact_tax_id",
    "linked_tax_ids",
    "party_is",
    "register_linked_tax_ids",
    "same_tax_id",
    "unregister_linked_tax_ids",
]

#: ``(country, compact tax ID)`` of one organization, as ``Organization`` stores them.
TaxIdentity: TypeAlias = tuple[str, str]
LinkedTaxIds: TypeAlias = Callable[["Organization"], Collection[TaxIdentity]]

_providers: list[LinkedTaxIds] = []
# What a Swiss VAT number carries after the UID (``CHE-123.456.789 MWST``).
_CH_VAT_SUFFIXES = ("MWST", "TVA", "IVA", "TPV")


def register_linked_tax_ids(provider: LinkedTaxIds) -> None:
    """Add ``provider`` to those asked by :func:`linked_tax_ids` (once, however often)."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_linked_tax_ids(provider: LinkedTaxIds) -> None:
    """Remove ``provider`` again (for tests); unknown providers are ignored."""
    if provider in _providers:
        _providers.remove(provider)


def linked_tax_ids(organization: Organization) -> frozenset[TaxIdentity]:
    """The tax IDs of the organizations linked to ``organization`` (every provider's)."""
    return frozenset(
        (country.upper(), tax_id)
        for provider in _providers
        for country, tax_id in provider(organization)
    )


def _alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).upper()


def compact_tax_id(country: str, value: str) -> str:
    """``value`` in the compact form of ``country``'s tax IDs (without validating it).

    >>> compact_tax_id("CH", "CHE-116.281.710 TVA"), compact_tax_id("AT", "ATU 1234 5678")
    ('CHE116281710', 'U12345678')
    """
    rule = TAX_ID_RULES.get(country.upper())
    text = value.strip().upper()
    if rule is None:
        return _alnum(text)
    try:
        compact = str(rule.module.compact(text))
    except (StdnumError, ValueError):
        return _alnum(text)
    if rule.country == "CH":
        for suffix in _CH_VAT_SUFFIXES:
            compact = compact.removesuffix(suffix)
    return _alnum(compact)


def same_tax_id(identity: TaxIdentity, value: str | None) -> bool:
    """Whether ``value`` (as written on an invoice) is the tax ID of ``identity``."""
    country, tax_id = identity
    if not value or not tax_id:
        return False
    return compact_tax_id(country, value) == _alnum(tax_id)


def party_is(party: Party, identities: Collection[TaxIdentity]) -> bool:
    """Whether the invoice ``party`` carries one of ``identities`` as its VAT ID, tax
    registration ID (a NIP, a Steuernummer) or legal ID (a Swiss UID is often given so)."""
    values = (party.vat_id, party.tax_registration_id, party.legal_id)
    return any(same_tax_id(identity, value) for identity in identities for value in values)
