"""The number of open client link requests, shown as a badge next to "Client links".

Only members who manage client links see it (they are the ones who can answer); it costs
one indexed count per page for them and nothing for anybody else.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from ledgerbridge.hub.exchange.selectors import incoming_link_requests
from ledgerbridge.hub.identity.permissions import Permission

register = template.Library()


@register.simple_tag
def open_link_requests(request: Any) -> int:
    organization = getattr(request, "organization", None)
    if organization is None or Permission.CLIENT_LINKS_MANAGE not in getattr(
        request, "org_permissions", ()
    ):
        return 0
    return (
        incoming_link_requests(organization=organization)
        .filter(expires_at__gt=timezone.now())
        .count()
    )
