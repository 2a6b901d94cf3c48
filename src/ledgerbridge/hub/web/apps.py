"""Django app config of :mod:`ledgerbridge.hub.web`."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ledgerbridge.hub.web"
    label = "web"
