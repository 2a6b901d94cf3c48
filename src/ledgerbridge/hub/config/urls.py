"""The URL root: health probes, accounts (allauth), the API and the web UI, and the
handlers of the error pages (JSON under ``/api/``, branded pages elsewhere)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from ledgerbridge.hub.api.root import api
from ledgerbridge.hub.config import errors
from ledgerbridge.hub.core import views as core_views
from ledgerbridge.hub.web.accounts import mfa_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Ahead of allauth's own pages at the same paths and names (see web.accounts.mfa_views).
    path(
        "accounts/2fa/authenticate/",
        mfa_views.AuthenticateView.as_view(),
        name="mfa_authenticate",
    ),
    path(
        "accounts/2fa/recovery-codes/",
        mfa_views.RecoveryCodesView.as_view(),
        name="mfa_view_recovery_codes",
    ),
    path(
        "accounts/2fa/recovery-codes/download/",
        mfa_views.RecoveryCodesDownloadView.as_view(),
        name="mfa_download_recovery_codes",
    ),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("ledgerbridge.hub.web.urls")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
