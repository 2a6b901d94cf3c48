"""Members of the current organization: list, detail with change log, rights, lock, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Permission, Role
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.describe import describe
from ledgerbridge.hub.web.forms import (
    PAGE_SIZES,
    MemberFilterForm,
    PermissionsForm,
    add_service_error,
)
from ledgerbridge.hub.web.views._common import (
    confirm,
    paginate,
    role_label,
    run_service,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpResponse

    from ledgerbridge.hub.identity.models import Invitation, Membership
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

_LOG_PAGE_SIZE = 10


def _member_row(membership: Membership) -> dict[str, Any]:
    user = membership.user
    return {
        "kind": "member",
        "id": membership.pk,
        "name": user.get_full_name(),
        "email": user.email,
        "last_login": user.last_login,
        "status": membership.status,
        "role": _membership_role(membership),
    }


def _membership_role(membership: Membership) -> str:
    """The role's name, or "custom" once the permissions differ from the role's preset."""
    try:
        preset = ROLE_PRESETS[Role(membership.role)]
    except ValueError:
        return role_label(membership.role)
    return role_label(membership.role) if membership.permission_set == preset else _("Custom")


def _invitation_row(invitation: Invitation) -> dict[str, Any]:
    return {
        "kind": "invitation",
        "id": invitation.pk,
        "name": f"{invitation.first_name} {invitation.last_name}".strip(),
        "email": invitation.email,
        "last_login": None,
        "status": "invited",
        "role": role_label(invitation.role),
        "expires_at": invitation.expires_at,
        "sent_count": invitation.sent_count,
    }


def _rows(request: AuthedOrgRequest, *, search: str, status: str) -> list[dict[str, Any]]:
    """Pending invitations (status "invited") first, then members, both searched alike."""
    organization = request.organization
    rows: list[dict[str, Any]] = []
    if status in ("", "invited"):
        invitations = selectors.invitation_list(organization=organization, pending_only=True)
        for word in search.split():
            invitations = invitations.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        rows += [_invitation_row(i) for i in invitations]
    if status != "invited":
        members = selectors.membership_list(
            organization=organization, search=search, status=status or None
        )
        rows += [_member_row(m) for m in members]
    return rows


@org_permission_required(Permission.USERS_MANAGE)
def member_list(request: AuthedOrgRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET)
    valid = form.is_valid()
    search = form.cleaned_data.get("q", "") if valid else ""
    status = form.cleaned_data.get("status", "") if valid else ""
    per_page = (form.cleaned_data.get("per_page") if valid else None) or PAGE_SIZES[0]
    page = paginate(request, _rows(request, search=search, status=status), per_page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "query": query.urlencode(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "member-table":
        return render(request, "web/members/list.html#member-table", context)
    return render(request, "web/members/list.html", context)


@org_permission_required(Permission.USERS_MANAGE)
def member_detail(request: AuthedOrgRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(
        organization=request.organization, membership_id=membership_id
    )
    form = PermissionsForm.for_membership(membership)
    return _render_detail(request, membership, form)


def _render_detail(
    request: AuthedOrgRequest, membership: Membership, form: PermissionsForm, status: int = 200
) -> HttpResponse:
    events = selectors.audit_event_list(
        organization=request.organization, user_id=membership.user_id
    )
    log = paginate(request, events, _LOG_PAGE_SIZE)
    context = {
        "membership": membership,
        "member": membership.user,
        "role": role_label(membership.role),
        "form": form,
        "is_self": membership.user_id == request.user.pk,
        "log": log,
        "log_rows": [describe(e) for e in log.object_list],
        "link_events": Permission.AUDIT_VIEW in request.org_permissions,
    }
    return render(request, "web/members/detail.html", context, status=status)


@org_permission_required(Permission.USERS_MANAGE)
def member_permissions(request: AuthedOrgRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(
        organization=request.organization, membership_id=membership_id
    )
    if request.method != "POST":
        return redirect("web:member_detail", membership_id=membership.pk)
    form = PermissionsForm(request.POST)
    if form.is_valid():
        try:
            services.membership_update_permissions(
                membership=membership,
                actor=request.user,
                role=form.cleaned_data["role"],
                permissions=form.cleaned_data["permissions"],
                ip=client_ip(request),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The permissions have been saved."))
            return redirect("web:member_detail", membership_id=membership.pk)
    return _render_detail(request, membership, form, status=422)


def _member_action(
    request: AuthedOrgRequest,
    membership_id: int,
    *,
    action: Callable[..., object],
    title: str,
    question: str,
    button: str,
    done: str,
    danger: bool,
) -> HttpResponse:
    membership = selectors.membership_get(
        organization=request.organization, membership_id=membership_id
    )
    detail = reverse("web:member_detail", kwargs={"membership_id": membership.pk})
    person = membership.user.get_full_name() or membership.user.email
    if request.method != "POST":
        return confirm(
            request,
            title=title,
            question=question % {"name": person},
            button=button,
            danger=danger,
            back=detail,
        )
    if not run_service(
        request,
        lambda: action(membership=membership, actor=request.user, ip=client_ip(request)),
        done=done % {"name": person},
    ):
        return redirect(detail)
    return redirect(detail if action is not services.membership_delete else "web:member_list")


@org_permission_required(Permission.USERS_MANAGE)
def member_lock(request: AuthedOrgRequest, membership_id: int) -> HttpResponse:
    return _member_action(
        request,
        membership_id,
        action=services.membership_lock,
        title=_("Lock member"),
        question=_(
            "Lock %(name)s? They are refused at once: open sessions and API tokens stop "
            "working for this organization until you unlock them."
        ),
        button=_("Lock"),
        done=_("%(name)s has been locked."),
        danger=True,
    )


@org_permission_required(Permission.USERS_MANAGE)
def member_unlock(request: AuthedOrgRequest, membership_id: int) -> HttpResponse:
    return _member_action(
        request,
        membership_id,
        action=services.membership_unlock,
        title=_("Unlock member"),
        question=_("Unlock %(name)s? They can work in this organization again."),
        button=_("Unlock"),
        done=_("%(name)s has been unlocked."),
        danger=False,
    )


@org_permission_required(Permission.USERS_MANAGE)
def member_delete(request: AuthedOrgRequest, membership_id: int) -> HttpResponse:
    return _member_action(
        request,
        membership_id,
        action=services.membership_delete,
        title=_("Remove member"),
        question=_(
            "Remove %(name)s from this organization? Their API tokens for it are revoked. "
            "Their account and the change log stay."
        ),
        button=_("Remove"),
        done=_("%(name)s has been removed."),
        danger=True,
    )
