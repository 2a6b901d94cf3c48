"""App config of the accounts package; connects the allauth signals that have no adapter hook."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ledgerbridge.hub.web.accounts"
    # "account" is allauth's label; ours must not collide with it.
    label = "lb_accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from ledgerbridge.hub.web.accounts import receivers  # needs the app registry

        receivers.connect()
