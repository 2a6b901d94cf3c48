"""Middleware: the logged-in user's language, and MFA set-up before anything else.

``UserLanguageMiddleware`` runs after authentication: a logged-in user sees the language
stored in ``User.language`` (LocaleMiddleware has only the cookie and the browser to go
on), and a choice POSTed to ``/i18n/setlang/`` is stored there before Django's view sets
the cookie. ``RequireMFAMiddleware`` sends a member of an organization that requires MFA,
who has neither an authenticator app nor a security key yet, to the MFA page; only that
page, logout, reauthentication, static files and the language switch stay reachable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.identity.selectors import active_membership, memberships_of
from ledgerbridge.hub.web.accounts import languages

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest

    from ledgerbridge.hub.identity.models import Organization, User

# The key CurrentOrganizationMiddleware keeps the chosen organization's id under.
SESSION_ORGANIZATION_KEY = "ledgerbridge_org"
STRONG_MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if request.method == "POST" and request.path == reverse("set_language"):
                chosen = languages.supported(request.POST.get("language"))
                if chosen and chosen != user.language:
                    user.language = chosen
                    user.save(update_fields=["language"])
            else:
                language = languages.supported(user.language)
                if language:
                    translation.activate(language)
                    request.LANGUAGE_CODE = language
        return self.get_response(request)


def _allowed_prefixes() -> tuple[str, ...]:
    return (
        reverse("mfa_index"),  # every MFA page lives below it
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        reverse("account_email"),  # an unverified address blocks MFA set-up
        reverse("set_language"),
        settings.STATIC_URL or "/static/",
        reverse("healthz"),
        reverse("readyz"),
    )


def _current_organization(request: HttpRequest, user: User) -> Organization | None:

    organization: Organization | None = getattr(request, "organization", None)
    if organization is not None:
        return organization
    organization_id = request.session.get(SESSION_ORGANIZATION_KEY)
    if organization_id is None:
        return None
    membership = active_membership(user=user, organization_id=organization_id)
    return membership.organization if membership is not None else None


def mfa_required(request: HttpRequest, user: User) -> bool:
    """Whether the organization ``user`` works in demands MFA they have not set up."""

    organization = _current_organization(request, user)
    if organization is not None:
        demanded = organization.require_mfa
    else:
        # No organization chosen yet: any active membership that demands MFA counts, so
        # nobody slips past the rule by never choosing one.
        demanded = any(
            m.organization.require_mfa for m in memberships_of(user=user) if m.status == "active"
        )
    return demanded and not is_mfa_enabled(user, types=STRONG_MFA_TYPES)


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_allowed_prefixes())
            and mfa_required(request, user)
        ):
            message = _(
                "Your organization requires two-factor authentication. "
                "Set up an authenticator app or a security key to continue."
            )
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": ErrorCode.MFA_REQUIRED, "message": message}, status=403
                )
            messages.warning(request, message)
            return redirect("mfa_index")
        return self.get_response(request)
