"""How a client link looks from one organization: the other side, the direction, the state.

The other side of a request this organization made is named by the tax ID typed until it
accepts: a request never tells who carries a tax ID. A request another organization made
names its sender, who asks to be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.exchange.models import Category, LinkDirection, LinkStatus
from ledgerbridge.hub.identity.taxids import display_tax_id

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from ledgerbridge.hub.exchange.models import ClientLink
    from ledgerbridge.hub.identity.models import Organization

__all__ = ["LinkView", "category_labels", "link_view"]

_CATEGORY_LABELS = dict(Category.choices)


def category_labels(values: list[str]) -> list[str]:
    return [str(_CATEGORY_LABELS.get(value, value)) for value in values]


@dataclass(frozen=True)
class LinkView:
    link: ClientLink
    other_name: str  # empty while the other side is known only by its tax ID
    other_tax_id: str
    other_role: Promise  # "My accounting office" / "My client"
    i_am_office: bool
    i_am_client: bool
    incoming: bool  # an open request that another organization made for this one
    expired: bool
    state: str  # pending, active, revoked, expired (for the badge)
    state_label: Promise
    categories: list[str]
    auto_send: list[str]


def link_view(link: ClientLink, organization: Organization) -> LinkView:
    """``link`` as ``organization`` sees it."""
    made_here = link.organization_id == organization.pk
    i_am_office = (link.direction == LinkDirection.CLIENT) == made_here
    if made_here:
        other = link.client if link.direction == LinkDirection.CLIENT else link.office
        known = other is not None and link.accepted_at is not None
    else:
        other, known = link.organization, True
    expired = link.status == LinkStatus.PENDING and link.expires_at <= timezone.now()
    state = "expired" if expired else str(link.status)
    return LinkView(
        link=link,
        other_name=other.name if known and other is not None else "",
        other_tax_id=(
            other.tax_id_display
            if known and other is not None
            else display_tax_id(link.target_country, link.target_tax_id)
        ),
        other_role=LinkDirection.CLIENT.label
        if i_am_office
        else LinkDirection.ACCOUNTING_OFFICE.label,
        i_am_office=i_am_office,
        i_am_client=not i_am_office,
        incoming=not made_here and link.status == LinkStatus.PENDING,
        expired=expired,
        state=state,
        state_label=_("Expired") if expired else LinkStatus(link.status).label,
        categories=category_labels(link.categories),
        auto_send=category_labels(link.auto_send),
    )
