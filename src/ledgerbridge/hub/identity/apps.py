"""Django app config of :mod:`ledgerbridge.hub.identity`."""

from __future__ import annotations

from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "ledgerbridge.hub.identity"
    label = "identity"
