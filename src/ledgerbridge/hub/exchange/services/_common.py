"""Helpers the exchange services share: who may act, which tax ID is meant, the audit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid
from ledgerbridge.hub.exchange.models import (
    Category,
    ClientLink,
    ExchangeStatus,
    SentDocument,
    SourceState,
)
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.identity.services import audit_record
from ledgerbridge.hub.identity.taxids import clean_tax_id

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledgerbridge.hub.identity.models import ApiToken, Organization, User

__all__ = [
    "audit_both",
    "audit_one",
    "clean_categories",
    "link_tax_id",
    "refresh_counters",
]

# The prefixes a tax ID may carry, longest first (CHE before a two-letter code).
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("CHE", "CH"), ("ATU", "AT"), ("DE", "DE"), ("AT", "AT"), ("BE", "BE"), ("FR", "FR"),
    ("IT", "IT"), ("GB", "GB"), ("PL", "PL"),
)  # fmt: skip


def link_tax_id(value: str, *, country: str | None, default_country: str) -> tuple[str, str]:
    """The (country, compact tax ID) a link is made for.

    The country is the one given, else the one the number's prefix names (``CHE-…`` is
    Swiss, ``DE…`` German), else the country of the organization that makes the link.

    >>> link_tax_id("CHE-116.281.710", country=None, default_country="PL")
    ('CH', 'CHE116281710')
    >>> link_tax_id("526-000-12-46", country=None, default_country="PL")
    ('PL', '5260001246')
    """
    text = re.sub(r"[\s.\-/]", "", value).upper()
    if country:
        chosen = country.upper()
    else:
        chosen = next(
            (code for prefix, code in _PREFIXES if text.startswith(prefix)), default_country
        )
    if chosen == "PL" and text.startswith("PL"):
        value = text[2:]  # a Polish VAT ID is the NIP with the country code before it
    return chosen, clean_tax_id(chosen, value)


def clean_categories(values: Iterable[str]) -> list[str]:
    """The categories named by ``values`` in catalogue order; 422 for an unknown one."""
    wanted = set()
    for value in values:
        if value not in Category.values:
            raise Invalid(
                ErrorCode.CATEGORY_INVALID,
                _("Unknown document category: %(name)s") % {"name": value},
            )
        wanted.add(value)
    return [value for value in Category.values if value in wanted]


def audit_one(
    *, organization: Organization, actor: User | None, action: AuditAction,
    details: dict[str, Any], ip: str | None, token: ApiToken | None = None,
) -> None:  # fmt: skip
    """One event in the exchange category of ``organization``'s change log."""
    audit_record(
        organization=organization, actor=actor, category=AuditCategory.EXCHANGE,
        action=action, ip=ip,
        details={**details, "token_id": token.pk if token is not None else None},
    )  # fmt: skip


def audit_both(
    *, link: ClientLink, actor: User | None, action: AuditAction, ip: str | None,
    details: dict[str, Any] | None = None, token: ApiToken | None = None,
) -> None:  # fmt: skip
    """The same event in the change log of each side of ``link`` that exists."""
    sides = {side.pk: side for side in (link.office, link.client) if side is not None}
    for side in sides.values():
        audit_one(
            organization=side, actor=actor, action=action, ip=ip, token=token,
            details={"link_id": link.pk, **(details or {})},
        )  # fmt: skip


def refresh_counters(link: ClientLink) -> None:
    """Recount the link's new, waiting and rejected documents (one indexed query)."""
    current = SentDocument.objects.filter(link=link, source_state=SourceState.CURRENT)
    counts = current.aggregate(
        new=Count("id", filter=Q(status=ExchangeStatus.SENT)),
        waiting=Count("id", filter=Q(status=ExchangeStatus.RECEIVED)),
        rejected=Count("id", filter=Q(status=ExchangeStatus.REJECTED)),
    )
    ClientLink.objects.filter(pk=link.pk).update(
        count_new=counts["new"],
        count_waiting=counts["waiting"],
        count_rejected=counts["rejected"],
        last_activity_at=timezone.now(),
    )
