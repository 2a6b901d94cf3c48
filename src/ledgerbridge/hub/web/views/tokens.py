"""API tokens of the current user in the current organization: create (shown once), revoke."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ledgerbridge.hub.core.errors import PermissionDenied, ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.permissions import PERMISSION_LABELS, Permission
from ledgerbridge.hub.web.decorators import member_required
from ledgerbridge.hub.web.forms import TokenForm, add_service_error
from ledgerbridge.hub.web.views._common import confirm, run_service

if TYPE_CHECKING:
    from django.http import HttpResponse

    from ledgerbridge.hub.identity.models import ApiToken
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest


def _visible_tokens(request: AuthedOrgRequest) -> list[ApiToken]:
    """One's own tokens; members who manage users see everyone's (to revoke them)."""
    everyone = Permission.USERS_MANAGE in request.org_permissions
    return list(
        selectors.api_token_list(
            organization=request.organization, user=None if everyone else request.user
        )
    )


def _labels(token: ApiToken) -> list[str]:
    return [str(PERMISSION_LABELS[p]) for p in Permission if p in token.permission_set]


@member_required
def token_list(request: AuthedOrgRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, allowed=request.org_permissions)
    created: tuple[ApiToken, str] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.api_token_create(
                organization=request.organization,
                user=request.user,
                name=form.cleaned_data["name"],
                permissions=form.cleaned_data["permissions"],
                ip=client_ip(request),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            form = TokenForm(allowed=request.org_permissions)
    tokens = _visible_tokens(request)
    context = {
        "form": form,
        "created": created[0] if created else None,
        # shown in this response only: we keep nothing but its hash
        "raw_token": created[1] if created else None,
        "tokens": [{"token": t, "labels": _labels(t)} for t in tokens],
        "show_owner": Permission.USERS_MANAGE in request.org_permissions,
    }
    status = 422 if form.errors else 200
    return render(request, "web/tokens/list.html", context, status=status)


@member_required
def token_revoke(request: AuthedOrgRequest, token_id: int) -> HttpResponse:
    token = selectors.api_token_get(organization=request.organization, token_id=token_id)
    if token.user_id != request.user.pk and Permission.USERS_MANAGE not in request.org_permissions:
        return render(request, "web/403.html", status=403)
    if request.method != "POST":
        return confirm(
            request,
            title=_("Revoke API token"),
            question=_("Revoke the token “%(name)s”? Programs using it are refused at once.")
            % {"name": token.name},
            button=_("Revoke"),
            danger=True,
            back=reverse("web:token_list"),
        )
    try:
        run_service(
            request,
            lambda: services.api_token_revoke(
                token=token, actor=request.user, ip=client_ip(request)
            ),
            done=_("The token “%(name)s” has been revoked.") % {"name": token.name},
            let_through=(PermissionDenied,),
        )
    except PermissionDenied:
        return render(request, "web/403.html", status=403)
    return redirect("web:token_list")
