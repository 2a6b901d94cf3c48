"""Database triggers that make the audit table append-only, below the ORM.

``AuditEvent.save()``/``delete()`` already refuse changes, but anything talking SQL to the
database directly would not ask them. These triggers refuse ``UPDATE`` and ``DELETE`` on
``identity_auditevent`` on SQLite and PostgreSQL, and ``TRUNCATE`` on PostgreSQL (SQLite
has none); the migrations install them. Only the ``flush`` command lifts them, inside its
own transaction (test teardown, resetting a development database).

>>> sorted(TRIGGERS)
['postgresql', 'sqlite']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["TRIGGERS", "install", "uninstall"]

MESSAGE = "audit events are append-only"

TRIGGERS: dict[str, tuple[list[str], list[str]]] = {
    "sqlite": (
        [
            "CREATE TRIGGER identity_auditevent_no_update BEFORE UPDATE ON identity_auditevent "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
            "CREATE TRIGGER identity_auditevent_no_delete BEFORE DELETE ON identity_auditevent "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        ],
        [
            "DROP TRIGGER IF EXISTS identity_auditevent_no_update",
            "DROP TRIGGER IF EXISTS identity_auditevent_no_delete",
        ],
    ),
    "postgresql": (
        [
            "CREATE OR REPLACE FUNCTION identity_auditevent_refuse() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$",
            "CREATE TRIGGER identity_auditevent_append_only BEFORE UPDATE OR DELETE "
            "ON identity_auditevent FOR EACH ROW EXECUTE FUNCTION identity_auditevent_refuse()",
            # Row triggers do not see TRUNCATE: it needs a statement trigger of its own.
            "CREATE TRIGGER identity_auditevent_no_truncate BEFORE TRUNCATE "
            "ON identity_auditevent FOR EACH STATEMENT "
            "EXECUTE FUNCTION identity_auditevent_refuse()",
        ],
        [
            "DROP TRIGGER IF EXISTS identity_auditevent_no_truncate ON identity_auditevent",
            "DROP TRIGGER IF EXISTS identity_auditevent_append_only ON identity_auditevent",
            "DROP FUNCTION IF EXISTS identity_auditevent_refuse()",
        ],
    ),
}


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (on an unknown database vendor: nothing, the ORM guard stays)."""
    if connection.vendor in TRIGGERS:
        _run(connection, TRIGGERS[connection.vendor][0])


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor in TRIGGERS:
        _run(connection, TRIGGERS[connection.vendor][1])
