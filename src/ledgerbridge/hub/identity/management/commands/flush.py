"""``flush``, able to empty the append-only audit table.

Emptying the whole database is the one legitimate way an audit event disappears (test
teardown of transactional tests, an operator resetting a development database). SQLite
flushes with ``DELETE`` and PostgreSQL with ``TRUNCATE``, both refused by the triggers, so
the triggers are lifted for the flush and put back right after, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from ledgerbridge.hub.identity import append_only


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor not in append_only.TRIGGERS or not _has_audit_table(connection):
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias):
            # One transaction: if the flush fails, the triggers come back with the rollback.
            append_only.uninstall(connection)
            super().handle(**options)
            append_only.install(connection)


def _has_audit_table(connection: Any) -> bool:
    return "identity_auditevent" in connection.introspection.table_names()
