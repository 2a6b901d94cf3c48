"""Django app config of :mod:`ledgerbridge.hub.documents`."""

from __future__ import annotations

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ledgerbridge.hub.documents"
    label = "documents"
