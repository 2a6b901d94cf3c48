"""Django app config of :mod:`ledgerbridge.hub.api`."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ledgerbridge.hub.api"
    label = "api"
