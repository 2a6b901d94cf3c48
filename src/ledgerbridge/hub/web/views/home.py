"""The dashboard, the organization switcher, onboarding and organization settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.documents import selectors as document_selectors
from ledgerbridge.hub.exchange import selectors as exchange_selectors
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.models import Membership
from ledgerbridge.hub.identity.permissions import PERMISSION_LABELS, Permission
from ledgerbridge.hub.identity.plans import BUILTIN_KEY, PlanLimit
from ledgerbridge.hub.web.decorators import member_required, org_permission_required
from ledgerbridge.hub.web.describe import describe
from ledgerbridge.hub.web.forms import (
    OrganizationCreateForm,
    OrganizationSettingsForm,
    add_service_error,
)
from ledgerbridge.hub.web.middleware import SESSION_KEY
from ledgerbridge.hub.web.views._common import role_label

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from ledgerbridge.hub.identity.models import Organization, User
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

_RECENT_EVENTS = 6


@member_required
def home(request: AuthedOrgRequest) -> HttpResponse:
    organization = request.organization
    can = request.org_permissions
    context: dict[str, object] = {
        "organization": organization,
        "membership": request.membership,
        "role": role_label(request.membership.role),
        "permission_labels": [
            PERMISSION_LABELS[p] for p in Permission if p in request.membership.permission_set
        ],
        "token_count": selectors.api_token_list(
            organization=organization, user=request.user, include_revoked=False
        ).count(),
    }
    if Permission.USERS_MANAGE in can:
        context["member_count"] = selectors.membership_list(
            organization=organization, status=Membership.Status.ACTIVE
        ).count()
        context["invited_count"] = selectors.invitation_list(
            organization=organization, pending_only=True
        ).count()
    if Permission.CLIENT_LINKS_MANAGE in can:
        context["has_links"] = exchange_selectors.client_link_list(
            organization=organization
        ).exists()
    if Permission.AUDIT_VIEW in can:
        context["recent_events"] = [
            describe(e)
            for e in selectors.audit_event_list(organization=organization)[:_RECENT_EVENTS]
        ]
    return render(request, "web/home.html", context)


@require_POST
@login_required
def organization_switch(request: HttpRequest) -> HttpResponse:
    """Act for another of one's own organizations; anything else is silently ignored."""
    user: User = request.user  # type: ignore[assignment]  # login_required: a User
    wanted = request.POST.get("organization", "")
    own = selectors.memberships_of(user=user)
    chosen = next(
        (m for m in own if str(m.organization_id) == wanted and m.is_active),
        None,
    )
    if chosen is None:
        messages.error(request, _("You cannot switch to that organization."))
    else:
        request.session[SESSION_KEY] = chosen.organization_id
        messages.success(
            request, _("You are now working in %(name)s.") % {"name": chosen.organization.name}
        )
    return redirect("web:home")


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    """Onboarding: create an organization (the creator becomes its admin)."""
    user: User = request.user  # type: ignore[assignment]  # login_required: a User
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                **form.cleaned_data, creator=user, ip=client_ip(request)
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            request.session[SESSION_KEY] = organization.pk
            messages.success(request, _("%(name)s has been created.") % {"name": organization.name})
            return redirect(_next_or(request, "web:home"))
    first = not getattr(request, "memberships", [])
    context = {"form": form, "first": first, "next": _next_or(request, "")}
    return render(request, "web/organization_create.html", context)


def _next_or(request: HttpRequest, default: str) -> str:
    """Where a step of the setup wizard continues (a path of this site), else ``default``."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse(default) if default else ""


@org_permission_required(Permission.ORGANIZATION_MANAGE)
def organization_settings(request: AuthedOrgRequest) -> HttpResponse:
    organization = request.organization
    initial = {
        name: getattr(organization, name)
        for name in (
            "name", "street", "building_number", "postal_code", "town", "require_mfa",
            "regional_format",
        )
    }  # fmt: skip
    form = OrganizationSettingsForm(
        request.POST or None, initial=initial, country=organization.country
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        require_mfa = bool(data.pop("require_mfa"))
        try:
            # one transaction: either every change is saved or none is
            with transaction.atomic():
                services.organization_update(
                    organization=organization, actor=request.user, ip=client_ip(request), **data
                )
                services.organization_set_require_mfa(
                    organization=organization,
                    actor=request.user,
                    require_mfa=require_mfa,
                    ip=client_ip(request),
                )
        except ServiceError as exc:
            organization.refresh_from_db()
            add_service_error(form, exc)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("web:organization_settings")
    return render(
        request,
        "web/organization_settings.html",
        {"form": form, "organization": organization, **_plan_context(organization)},
    )


def _plan_context(organization: Organization) -> dict[str, object]:
    """The organization's plan as the settings page shows it: limits beside current use."""
    plan = services.plan_of(organization)
    members = (
        selectors.membership_list(organization=organization).count()
        + selectors.invitation_list(organization=organization, pending_only=True).count()
    )
    used: dict[PlanLimit, int | None] = {
        PlanLimit.DOCUMENTS_PER_MONTH: document_selectors.document_count_this_month(
            organization=organization
        ),
        PlanLimit.STORAGE_BYTES: document_selectors.storage_used_bytes(organization=organization),
        PlanLimit.CLIENT_LINKS: exchange_selectors.open_link_count(organization=organization),
        PlanLimit.MEMBERS: members,
    }
    rows = []
    for limit, current in used.items():
        allowed = plan.limit(limit)
        rows.append(
            {
                "label": services.LIMIT_LABELS[limit],
                "used": None if current is None else services.plan_figure(limit, current),
                "allowed": None if allowed is None else services.plan_figure(limit, allowed),
                "full": allowed is not None and current is not None and current >= allowed,
            }
        )
    return {
        "plan_name": _("Unlimited") if plan.key == BUILTIN_KEY else plan.name,
        "plan_missing": organization.plan != plan.key,
        "plan_rows": rows,
        "plan_features": [
            {"label": label, "on": plan.has(feature)}
            for feature, label in services.FEATURE_LABELS.items()
        ],
    }
