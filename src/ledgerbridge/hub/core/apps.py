"""Django app config of :mod:`ledgerbridge.hub.core`."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ledgerbridge.hub.core"
    label = "core"
