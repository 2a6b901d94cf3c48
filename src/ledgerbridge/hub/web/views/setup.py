"""The exchange setup wizard: Sage Connect's three ways in, each ending on a summary.

"I already have an account": log in, choose the organization, connect the office or add
a client. "I need to register": create the account (and the organization), then the same.
"I was invited": open the link from the e-mail (or paste it here) and accept. The summary
shows the organization, its tax ID, its links with their state and categories, and the
users invited for the exchange; the wizard recommends such separate users with the
**exchange** role (view and send documents, nothing else) and invites them by e-mail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.exchange import selectors
from ledgerbridge.hub.identity import selectors as identity_selectors
from ledgerbridge.hub.identity import services as identity_services
from ledgerbridge.hub.identity.models import Membership
from ledgerbridge.hub.identity.permissions import Permission, Role
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.forms import add_service_error
from ledgerbridge.hub.web.link_forms import ExchangeUserForm, PasteLinkForm
from ledgerbridge.hub.web.middleware import SESSION_KEY
from ledgerbridge.hub.web.views._links_common import link_view
from ledgerbridge.hub.web.views.links import directions

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from ledgerbridge.hub.identity.models import User
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest, OrgRequest


def _with_next(name: str, then: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': then})}"


def setup_start(request: HttpRequest) -> HttpResponse:
    """The three ways in."""
    choose = reverse("web:setup_organization")
    context = {
        "have_account": choose
        if request.user.is_authenticated
        else _with_next("account_login", choose),
        "register": _with_next("account_signup", choose),
        "invited": reverse("web:setup_invited"),
    }
    return render(request, "web/setup/start.html", context)


def setup_invited(request: HttpRequest) -> HttpResponse:
    """Paste the link from the e-mail (opening it directly leads to the same page)."""
    form = PasteLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("web:link_join", link_token=form.cleaned_data["link"])
    status = 422 if form.errors else 200
    return render(request, "web/setup/invited.html", {"form": form}, status=status)


@login_required
def setup_organization(request: HttpRequest) -> HttpResponse:
    """Choose the organization that connects (one whose links one may manage)."""
    req: OrgRequest = request  # type: ignore[assignment]  # the middleware set the attributes
    user: User = request.user  # type: ignore[assignment]  # login_required: a User
    usable = [m for m in req.memberships if m.has_permission(Permission.CLIENT_LINKS_MANAGE)]
    if request.method == "POST":
        chosen = next(
            (m for m in usable if str(m.organization_id) == request.POST.get("organization")), None
        )
        if chosen is None:
            messages.error(request, _("Choose one of your organizations."))
        else:
            request.session[SESSION_KEY] = chosen.organization_id
            target = reverse("web:link_create")
            query = urlencode(
                {
                    "direction": directions(chosen.organization)[0],
                    "next": reverse("web:setup_summary"),
                }
            )
            return redirect(f"{target}?{query}")
    context = {
        "memberships": usable,
        "create_url": _with_next("web:organization_create", reverse("web:setup_organization")),
        "user": user,
    }
    return render(request, "web/setup/organization.html", context)


@org_permission_required(Permission.USERS_MANAGE)
def setup_users(request: AuthedOrgRequest) -> HttpResponse:
    """Invite a separate user for the exchange, with the exchange role."""
    form = ExchangeUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _raw = identity_services.invitation_create(
                organization=request.organization,
                actor=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=Role.EXCHANGE,
                ip=client_ip(request),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("web:setup_summary")
    status = 422 if form.errors else 200
    return render(request, "web/setup/users.html", {"form": form}, status=status)


@org_permission_required(Permission.CLIENT_LINKS_MANAGE)
def setup_summary(request: AuthedOrgRequest) -> HttpResponse:
    organization = request.organization
    links = [
        link_view(link, organization)
        for link in selectors.client_link_list(organization=organization)[:50]
    ]
    context: dict[str, object] = {
        "organization": organization,
        "links": links,
        "directions": directions(organization),
        "manages_users": Permission.USERS_MANAGE in request.org_permissions,
    }
    if Permission.USERS_MANAGE in request.org_permissions:
        context["invited"] = identity_selectors.invitation_list(
            organization=organization, pending_only=True
        ).filter(role=Role.EXCHANGE)
        context["exchange_members"] = identity_selectors.membership_list(
            organization=organization, status=Membership.Status.ACTIVE
        ).filter(role=Role.EXCHANGE)
    return render(request, "web/setup/summary.html", context)
