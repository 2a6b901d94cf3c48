"""View decorators that check the current organization's membership.

``@org_permission_required(Permission.USERS_MANAGE)`` lets a view run only for a logged-in
user with an active membership in the current organization that holds the permission:
anonymous users go to the login page, users without any organization to onboarding, and
members without the permission get the 403 page. Objects of other organizations are the
selectors' business (they raise ``NotFound``, which :func:`service_errors_as_404` turns into
404 exactly like a missing id).
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render

from ledgerbridge.hub.core.errors import NotFound

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

    from ledgerbridge.hub.identity.permissions import Permission
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

__all__ = ["member_required", "org_permission_required"]

P = ParamSpec("P")


def member_required(
    view: Callable[Concatenate[AuthedOrgRequest, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Run ``view`` only for a logged-in user acting for an organization."""
    return _guard(view, permission=None)


def org_permission_required(
    permission: Permission,
) -> Callable[
    [Callable[Concatenate[AuthedOrgRequest, P], HttpResponseBase]],
    Callable[Concatenate[HttpRequest, P], HttpResponseBase],
]:
    """Run the view only when the current membership holds ``permission`` (else 403)."""

    def decorator(
        view: Callable[Concatenate[AuthedOrgRequest, P], HttpResponseBase],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
        return _guard(view, permission=permission)

    return decorator


def _guard(
    view: Callable[Concatenate[AuthedOrgRequest, P], HttpResponseBase],
    *,
    permission: Permission | None,
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        req: AuthedOrgRequest = request  # type: ignore[assignment]  # middleware set the attributes
        if getattr(req, "membership", None) is None:
            return redirect("web:organization_create")
        if permission is not None and permission not in req.org_permissions:
            return render(request, "web/403.html", {"permission": permission}, status=403)
        try:
            return view(req, *args, **kwargs)
        except NotFound as exc:
            # a foreign id answers exactly like a missing one
            raise Http404(str(exc)) from exc

    return wrapped
