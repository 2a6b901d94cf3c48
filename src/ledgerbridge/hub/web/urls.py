"""URL patterns of the web UI (namespace ``web``)."""

from __future__ import annotations

from django.urls import path

from ledgerbridge.hub.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
