"""The URL root: health probes, accounts (allauth), the API and the web UI."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from ledgerbridge.hub.api.root import api
from ledgerbridge.hub.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("ledgerbridge.hub.web.urls")),
]
