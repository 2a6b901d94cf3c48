"""Django app config of :mod:`ledgerbridge.hub.exchange`."""

from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "ledgerbridge.hub.exchange"
    label = "exchange"

    def ready(self) -> None:
        # The documents app announces each document it has read; the exchange sends it on
        # by the links' rules in that same transaction (documents never imports exchange).
        from ledgerbridge.hub.documents.counterparts import register_linked_tax_ids
        from ledgerbridge.hub.exchange.selectors import linked_tax_identities
        from ledgerbridge.hub.exchange.services import register_document_hooks

        register_document_hooks()
        # An e-invoice of a linked organization is addressed to this one too (its office).
        register_linked_tax_ids(linked_tax_identities)
