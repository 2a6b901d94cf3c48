"""allauth's MFA pages, fitted: a recovery-codes page with a way on, a prompt that fits.

With ``MFA_RECOVERY_CODES_SHOW_ONCE`` allauth shows the codes once and then refuses its own
download, so the page was a dead end. :class:`RecoveryCodesView` remembers in the session
that this browser has just been shown the codes, and :class:`RecoveryCodesDownloadView`
serves them as a text file (``Content-Disposition: attachment``) for a few minutes after
that, to that session only. :class:`AuthenticateView` tells the login prompt which
methods the person has set up, so it offers exactly those.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from allauth.mfa.base.views import AuthenticateView as AllauthAuthenticateView
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.views import DownloadRecoveryCodesView, ViewRecoveryCodesView
from django.contrib.auth.decorators import login_required
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

__all__ = ["AuthenticateView", "RecoveryCodesDownloadView", "RecoveryCodesView"]

DOWNLOAD_WINDOW_SECONDS = 10 * 60
_SHOWN_KEY = "ledgerbridge_recovery_codes_shown"


class RecoveryCodesView(ViewRecoveryCodesView):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's page; the codes just shown may be downloaded from this session."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        if context["can_view_codes"]:
            self.request.session[_SHOWN_KEY] = time.time()
            context["can_download_codes"] = True
        return context


@method_decorator(login_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class RecoveryCodesDownloadView(DownloadRecoveryCodesView):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's text-file download, allowed shortly after the page showed the codes."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        shown_at = request.session.get(_SHOWN_KEY)
        fresh = shown_at is not None and time.time() - float(shown_at) < DOWNLOAD_WINDOW_SECONDS
        authenticator = Authenticator.objects.filter(
            user_id=request.user.pk, type=Authenticator.Type.RECOVERY_CODES
        ).first()
        if not fresh or authenticator is None:
            # allauth's own rule: the codes are not shown (again), a 403 or 404.
            response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
            return response
        self.authenticator = authenticator
        self.unused_codes = authenticator.wrap().get_unused_codes()
        return TemplateView.dispatch(self, request, *args, **kwargs)


class AuthenticateView(AllauthAuthenticateView):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's second login step, told which methods this person has."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        types = set(
            Authenticator.objects.filter(user_id=self.stage.login.user.pk).values_list(
                "type", flat=True
            )
        )
        context.update(
            has_totp=Authenticator.Type.TOTP in types,
            has_recovery_codes=Authenticator.Type.RECOVERY_CODES in types,
            has_security_key=Authenticator.Type.WEBAUTHN in types,
        )
        return context
