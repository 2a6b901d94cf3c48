"""Client links: the list of links and requests, new requests, accept, revoke, settings.

Everything here needs ``client_links.manage``; accepting needs an administrator as well
(the service says so when someone else tries). A company connects its accounting office,
an office adds a client, an organization of both kinds does either. Refusals of the
services are shown on the form they come from, with their message; nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.exchange.models import LinkDirection, LinkStatus
from ledgerbridge.hub.identity import selectors as identity_selectors
from ledgerbridge.hub.identity.models import Membership, Organization
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.identity.services import is_admin
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.forms import add_service_error
from ledgerbridge.hub.web.link_forms import (
    AssignForm,
    LinkAcceptForm,
    LinkCreateForm,
    LinkSettingsForm,
)
from ledgerbridge.hub.web.views._common import confirm, paginate, run_service
from ledgerbridge.hub.web.views._links_common import link_view

if TYPE_CHECKING:
    from django.http import HttpResponse

    from ledgerbridge.hub.exchange.models import ClientLink
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

_PAGE_SIZE = 25
_OFFICE_KINDS = {Organization.Kind.ACCOUNTING_OFFICE, Organization.Kind.BOTH}
_COMPANY_KINDS = {Organization.Kind.COMPANY, Organization.Kind.BOTH}


def directions(organization: Organization) -> list[str]:
    """What this organization may start: connect its office, add a client, or both."""
    allowed = []
    if organization.kind in _COMPANY_KINDS:
        allowed.append(LinkDirection.ACCOUNTING_OFFICE.value)
    if organization.kind in _OFFICE_KINDS:
        allowed.append(LinkDirection.CLIENT.value)
    return allowed


@org_permission_required(Permission.CLIENT_LINKS_MANAGE)
def link_list(request: AuthedOrgRequest) -> HttpResponse:
    organization = request.organization
    incoming = [
        link_view(link, organization)
        for link in selectors.incoming_link_requests(organization=organization)
    ]
    incoming = [row for row in incoming if not row.expired]
    shown = {row.link.pk for row in incoming}
    others = selectors.client_link_list(organization=organization).exclude(pk__in=shown)
    page = paginate(request, others, _PAGE_SIZE)
    context = {
        "incoming": incoming,
        "page": page,
        "rows": [link_view(link, organization) for link in page.object_list],
        "can_accept": is_admin(request.membership),
        "directions": directions(organization),
        "query": "",
    }
    return render(request, "web/links/list.html", context)


def _safe_next(request: AuthedOrgRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return ""


@org_permission_required(Permission.CLIENT_LINKS_MANAGE)
def link_create(request: AuthedOrgRequest) -> HttpResponse:
    organization = request.organization
    allowed = directions(organization)
    wanted = request.POST.get("direction") or request.GET.get("direction") or allowed[0]
    direction = wanted if wanted in allowed else allowed[0]
    initial = {
        "direction": direction,
        "country": organization.country,
        "language": request.LANGUAGE_CODE,
    }
    form = LinkCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = services.client_link_create(
                organization=organization,
                tax_id=data["tax_id"],
                country=data["country"],
                email=data["email"],
                direction=data["direction"],
                categories=data["categories"],
                language=data["language"],
                actor=request.user,
                ip=client_ip(request),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The request has been sent to %(email)s. The link becomes active once "
                  "an administrator of the other side accepts it.") % {"email": link.contact_email},
            )  # fmt: skip
            return redirect(_safe_next(request) or reverse("web:link_list"))
    context = {
        "form": form,
        "direction": direction,
        "directions": allowed,
        "next": _safe_next(request),
    }
    return render(request, "web/links/create.html", context, status=422 if form.errors else 200)


def _office_members(link: ClientLink, office: Organization) -> list[dict[str, Any]]:
    """The office's members, each with whether they were given this client."""
    given: set[int] = set()
    if link.client is not None:
        assignees = selectors.client_assignees(office=office, client=link.client)
        given = set(assignees.values_list("user_id", flat=True))
    members = identity_selectors.membership_list(
        organization=office, status=Membership.Status.ACTIVE
    )
    return [
        {
            "membership": m,
            "assigned": m.user_id in given,
            "sees_all": selectors.sees_all_clients(m),
        }
        for m in members
    ]


def _render_detail(
    request: AuthedOrgRequest,
    link: ClientLink,
    *,
    settings_form: LinkSettingsForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    view = link_view(link, request.organization)
    editable = view.i_am_client and link.client_id is not None and link.status != "revoked"
    if editable and settings_form is None:
        settings_form = LinkSettingsForm(
            initial={"categories": link.categories, "auto_send": link.auto_send}
        )
    assignable = view.i_am_office and link.client_id is not None and link.accepted_at is not None
    context = {
        "row": view,
        "link": link,
        "settings_form": settings_form if editable else None,
        "members": _office_members(link, request.organization) if assignable else None,
        "can_accept": is_admin(request.membership),
        "error": error,
    }
    return render(request, "web/links/detail.html", context, status=status)


@org_permission_required(Permission.CLIENT_LINKS_MANAGE)
def link_detail(request: AuthedOrgRequest, link_id: int) -> HttpResponse:
    link = selectors.client_link_get(organization=request.organization, link_id=link_id)
    return _render_detail(request, link)


@org_permission_required(Permission.CLIENT_LINKS_MANAGE)
def link_accept(request: AuthedOrgRequest, link_id: int) -> HttpResponse:
    link = selectors.client_link_get(organization=request.organization, link_id=link_id)
    view = link_view(link, request.organization)
    narrow = view.i_am_client
    # An office accepts the categories as asked: only a client's choice is read.
    data = (request.POST if narrow else {"categories": link.categories}) or None
    form = LinkAcceptForm(
        data if request.method == "POST" else None, initial={"categories": link.categories}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.client_link_accept(
                link=link,
                organization=request.organization,
                actor=request.user,
                categories=form.cleaned_data["categories"] if narrow else None,
                ip=client_ip(request),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The link is active."))
            return redirect(_safe_next(request) or reverse("web:link_detail", args=[link.pk]))
    if form.errors and status == 200:
        status = 422
    context = {
        "row": view,
        "link": link,
        "form": form,
        "narrow": narrow,
        "can_accept": is_admin(request.membership),
        "next": _safe_next(request),
    }
    return render(request, "web/links/accept.html", context, status=status)


def _revoke_wording(link: ClientLink, *, made_here: bool) -> tuple[str, str, str, str]:
    """Title, question, button and message of ending ``link`` in its present state."""
    if link.status == LinkStatus.PENDING and not made_here:
        return (
            _("Decline the request"),
            _("Decline this request? The other side is told nothing more; they can send a "
              "new request later."),
            _("Decline"),
            _("The request has been declined."),
        )  # fmt: skip
    if link.status == LinkStatus.PENDING:
        return (
            _("Withdraw the request"),
            _("Withdraw this request? Its e-mailed link stops working."),
            _("Withdraw"),
            _("The request has been withdrawn."),
        )
    return (
        _("Revoke the link"),
        _("Revoke this link? From now on no document crosses it, in either direction. "
          "What was sent already stays readable to the accounting office, read-only, as a "
          "bookkeeper must keep it."),
        _("Revoke"),
        _("The link has been revoked."),
    )  # fmt: skip


@org_permission_required(Permission.CLIENT_LINKS_MANAGE)
def link_revoke(request: AuthedOrgRequest, link_id: int) -> HttpResponse:
    link = selectors.client_link_get(organization=request.organization, link_id=link_id)
    made_here = link.organization_id == request.organization.pk
    title, question, button, done = _revoke_wording(link, made_here=made_here)
    if request.method != "POST":
        return confirm(
            request,
            title=title,
            question=question,
            button=button,
            danger=True,
            back=reverse("web:link_detail", args=[link.pk]),
        )
    run_service(
        request,
        lambda: services.client_link_revoke(
            link=link, organization=request.organization, actor=request.user, ip=client_ip(request)
        ),
        done=done,
    )
    return redirect("web:link_list")


@require_POST
@org_permission_required(Permission.CLIENT_LINKS_MANAGE)
def link_settings(request: AuthedOrgRequest, link_id: int) -> HttpResponse:
    link = selectors.client_link_get(organization=request.organization, link_id=link_id)
    form = LinkSettingsForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, link, settings_form=form, status=422)
    try:
        services.client_link_update(
            link=link,
            organization=request.organization,
            actor=request.user,
            categories=form.cleaned_data["categories"],
            auto_send=form.cleaned_data["auto_send"],
            ip=client_ip(request),
        )
    except ServiceError as exc:
        add_service_error(form, exc)
        return _render_detail(
            request, link, settings_form=form, error=str(exc.message), status=exc.status
        )
    messages.success(request, _("The settings of the link have been saved."))
    return redirect("web:link_detail", link_id=link.pk)


@require_POST
@org_permission_required(Permission.CLIENT_LINKS_MANAGE)
def link_assign(request: AuthedOrgRequest, link_id: int) -> HttpResponse:
    """Give an accountant of the office this client, or take it away."""
    link = selectors.client_link_get(organization=request.organization, link_id=link_id)
    form = AssignForm(request.POST)
    client = link.client
    if not form.is_valid() or client is None or link.office_id != request.organization.pk:
        messages.error(request, _("Choose a member of the office and a client of it."))
        return redirect("web:link_detail", link_id=link.pk)
    membership = identity_selectors.membership_get(
        organization=request.organization, membership_id=form.cleaned_data["membership"]
    )
    name = membership.user.get_full_name() or membership.user.email
    call = services.client_assign if form.cleaned_data["assigned"] else services.client_unassign
    run_service(
        request,
        lambda: call(
            office=request.organization,
            client=client,
            user=membership.user,
            actor=request.user,
            ip=client_ip(request),
        ),
        done=(
            _("%(name)s now works on this client.")
            if form.cleaned_data["assigned"]
            else _("%(name)s no longer works on this client.")
        )
        % {"name": name},
    )
    return redirect("web:link_detail", link_id=link.pk)
