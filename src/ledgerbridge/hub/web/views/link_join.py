"""Where a client link request's e-mail leads (``/links/join/<token>``).

The raw token in the address is the credential, as for invitations. A visitor without a
session finds who asks and two ways on: register (the organization too, with the tax ID
fixed) or log in; the request stays in the session through either. Someone logged in sees
the request and, when one of their organizations carries the link's tax ID, accepts it
(administrators only) or registers that organization first when nobody carries it yet; an
organization with another tax ID gets the tax-id-mismatch message. A tax ID registered by
someone else gets a message that says what to do and never who it is. A withdrawn,
declined, accepted or expired request says so; an unknown token is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import NotFound, ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.exchange.models import LinkDirection, LinkStatus
from ledgerbridge.hub.identity import services as identity_services
from ledgerbridge.hub.identity.services import is_admin
from ledgerbridge.hub.identity.taxids import display_tax_id
from ledgerbridge.hub.web.accounts import link_join
from ledgerbridge.hub.web.forms import add_service_error
from ledgerbridge.hub.web.link_forms import JoinOrganizationForm, LinkAcceptForm
from ledgerbridge.hub.web.middleware import SESSION_KEY
from ledgerbridge.hub.web.views._links_common import category_labels

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from ledgerbridge.hub.exchange.models import ClientLink
    from ledgerbridge.hub.identity.models import Membership
    from ledgerbridge.hub.web.middleware import OrgRequest

TAX_ID_MISMATCH = gettext_lazy(
    "This link was made for another tax ID. Both sides must carry the tax ID the link "
    "names: ask the other side to make it for your organization's tax ID."
)


def _closed(request: HttpRequest, *, title: str, text: str, status: int) -> HttpResponse:
    context = {"title": title, "text": text}
    return render(request, "web/links/join_closed.html", context, status=status)


def _closed_state(request: HttpRequest, link: ClientLink) -> HttpResponse | None:
    if link.status == LinkStatus.REVOKED:
        return _closed(
            request,
            title=_("This request is closed"),
            text=_("It was withdrawn or declined. Ask the organization that sent it for a new "
                   "request."),
            status=410,
        )  # fmt: skip
    if link.status == LinkStatus.ACTIVE:
        return _closed(
            request,
            title=_("This request has already been accepted"),
            text=_("The link is active. Its administrators find it under Client links."),
            status=410,
        )
    if link.expires_at <= timezone.now():
        return _closed(
            request,
            title=_("This request has expired"),
            text=_("This request has expired. Ask the other side to send a new one."),
            status=410,
        )
    return None


def _about(link: ClientLink) -> dict[str, object]:
    return {
        "link": link,
        "requester": link.organization,
        "tax_id": display_tax_id(link.target_country, link.target_tax_id),
        "as_client": link.direction == LinkDirection.CLIENT,
        "categories": category_labels(link.categories),
    }


def link_join_view(request: HttpRequest, link_token: str) -> HttpResponse:
    token = link_token
    try:
        link = selectors.client_link_from_token(raw_token=token)
    except NotFound:
        return _closed(
            request,
            title=_("This link is not valid"),
            text=_("Check that the whole link from the e-mail was opened."),
            status=404,
        )
    closed = _closed_state(request, link)
    if closed is not None:
        return closed
    registered = selectors.link_target_registered(link=link)
    if not request.user.is_authenticated:
        link_join.remember(request, token)
        context = {**_about(link), "registered": registered}
        return render(request, "web/links/join_welcome.html", context)
    req: OrgRequest = request  # type: ignore[assignment]  # the middleware set the attributes
    return _logged_in(req, link, token, registered=registered)


def _matching(request: OrgRequest, link: ClientLink) -> Membership | None:
    target = (link.target_country, link.target_tax_id)
    return next(
        (
            m
            for m in request.memberships
            if (m.organization.country, m.organization.tax_id) == target
        ),
        None,
    )


def _logged_in(
    request: OrgRequest, link: ClientLink, token: str, *, registered: bool
) -> HttpResponse:
    matching = _matching(request, link)
    own = any(m.organization_id == link.organization_id for m in request.memberships)
    narrow = link.direction == LinkDirection.CLIENT
    accepting = request.method == "POST" and request.POST.get("action") == "accept"
    # An office accepts the categories as asked: only a client's choice is read.
    form = LinkAcceptForm(
        (request.POST if narrow else {"categories": link.categories}) if accepting else None,
        initial={"categories": link.categories},
    )
    register = JoinOrganizationForm(
        request.POST if request.POST.get("action") == "register" else None,
        kinds=link_join.organization_kinds(link),
    )
    status = 200
    if accepting and form.is_valid():
        if matching is None:
            form.add_error(None, str(TAX_ID_MISMATCH))
            status = 409
        else:
            try:
                services.client_link_accept(
                    link=link,
                    organization=matching.organization,
                    actor=request.user,  # type: ignore[arg-type]  # logged in: a User
                    categories=form.cleaned_data["categories"] if narrow else None,
                    ip=client_ip(request),
                )
            except ServiceError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                request.session[SESSION_KEY] = matching.organization_id
                messages.success(request, _("The link is active."))
                return redirect("web:setup_summary")
    elif request.method == "POST" and request.POST.get("action") == "register":
        done = _register(request, link, register, token, registered=registered)
        if done is not None:
            return done
        status = 409 if registered else 422
    if form.errors and status == 200:
        status = 422
    context = {
        **_about(link),
        "matching": matching,
        "own": own,
        "registered": registered,
        "can_accept": matching is not None and is_admin(matching),
        "narrow": narrow,
        "form": form,
        "register": register,
        "mismatch": str(TAX_ID_MISMATCH),
        "taken": str(link_join.TAX_ID_REGISTERED),
    }
    return render(request, "web/links/join.html", context, status=status)


def _register(
    request: OrgRequest,
    link: ClientLink,
    form: JoinOrganizationForm,
    token: str,
    *,
    registered: bool,
) -> HttpResponse | None:
    """Create the organization the request names, for the logged-in user (its admin)."""
    if registered:
        form.add_error(None, str(link_join.TAX_ID_REGISTERED))
        return None
    if not form.is_valid():
        return None
    try:
        organization = identity_services.organization_create(
            **form.cleaned_data,
            country=link.target_country,
            tax_id=link.target_tax_id,
            creator=request.user,  # type: ignore[arg-type]  # logged in: a User
            ip=client_ip(request),
        )
    except ServiceError as exc:
        if exc.code == ErrorCode.TAX_ID_TAKEN:
            form.add_error(None, str(link_join.TAX_ID_REGISTERED))
        else:
            add_service_error(form, exc)
        return None
    request.session[SESSION_KEY] = organization.pk
    messages.success(request, _("%(name)s has been created.") % {"name": organization.name})
    return redirect(reverse("web:link_join", kwargs={"link_token": token}))
