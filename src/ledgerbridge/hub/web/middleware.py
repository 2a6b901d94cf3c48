"""Which organization a request acts for, and refusing locked members at once.

:class:`CurrentOrganizationMiddleware` runs after authentication. For a logged-in user it
sets ``request.membership`` and ``request.organization`` from the session key
``ledgerbridge_org`` (falling back to the user's first active membership), plus
``request.memberships`` (for the switcher) and ``request.org_permissions``. The membership is
read from the database on every request, so a lock takes effect on the very next page
load rather than at the next login: a locked membership, or a user deactivated while
logged in, gets the 403 "access locked" page. While the response is made, the regional
format of amounts and dates is the user's choice, else the organization's (see
:mod:`ledgerbridge.hub.identity.regional`).

Requests carry the typed attributes declared on :class:`OrgRequest`; views that need an
organization take an :class:`AuthedOrgRequest` (see :mod:`.decorators`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from ledgerbridge.hub.identity import regional, selectors
from ledgerbridge.hub.identity.models import Membership

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

    from ledgerbridge.hub.identity.models import Organization, User

__all__ = ["SESSION_KEY", "AuthedOrgRequest", "CurrentOrganizationMiddleware", "OrgRequest"]

SESSION_KEY = "ledgerbridge_org"

if TYPE_CHECKING:

    class OrgRequest(HttpRequest):
        """A request after :class:`CurrentOrganizationMiddleware` ran."""

        organization: Organization | None
        membership: Membership | None
        memberships: list[Membership]
        org_permissions: frozenset[str]

    class AuthedOrgRequest(HttpRequest):
        """A request of a logged-in user acting for an organization (active membership)."""

        user: User
        organization: Organization
        membership: Membership
        memberships: list[Membership]
        org_permissions: frozenset[str]

else:  # at run time both are plain requests with attributes added by the middleware
    from django.http import HttpRequest as AuthedOrgRequest
    from django.http import HttpRequest as OrgRequest


def _exempt(path: str) -> bool:
    """Paths a locked member may still reach: log out, switch organization, language, static."""
    prefixes = (
        reverse("account_logout"),
        reverse("web:organization_switch"),
        "/i18n/",
        "/api/",  # the API answers locked tokens and sessions itself, as JSON
        settings.STATIC_URL or "/static/",
    )
    return path.startswith(prefixes)


class CurrentOrganizationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        req: OrgRequest = request  # type: ignore[assignment]  # attributes are set right below
        req.organization = None
        req.membership = None
        req.memberships = []
        req.org_permissions = frozenset()
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        if not user.is_active:
            return _locked(request)
        memberships = list(selectors.memberships_of(user=user))
        req.memberships = [m for m in memberships if m.status == Membership.Status.ACTIVE]
        chosen = _choose(memberships, request.session.get(SESSION_KEY))
        if chosen is not None and chosen.status != Membership.Status.ACTIVE:
            if _exempt(request.path_info):
                return self.get_response(request)
            return _locked(request)
        region = None
        if chosen is not None:
            req.membership = chosen
            req.organization = chosen.organization
            req.org_permissions = frozenset(chosen.permissions)
            region = chosen.organization.region_for(user)
        elif user.regional_format in regional.REGIONS:
            region = regional.REGIONS[user.regional_format]
        with regional.override(region):
            return self.get_response(request)


def _choose(memberships: list[Membership], wanted: object) -> Membership | None:
    """The session's organization when the user belongs to it, else the first active one.

    A user whose only memberships are locked gets a locked one back, so they see
    "access locked" rather than the onboarding page.
    """
    for membership in memberships:
        if str(membership.organization_id) == str(wanted):
            return membership
    active = [m for m in memberships if m.status == Membership.Status.ACTIVE]
    if active:
        return active[0]
    return memberships[0] if memberships else None


def _locked(request: HttpRequest) -> HttpResponse:
    return render(request, "web/locked.html", status=403)
