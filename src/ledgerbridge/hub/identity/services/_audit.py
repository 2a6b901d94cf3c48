"""The audit log: append an event to its organization's hash chain, verify every chain.

Each event's ``hash`` is the SHA-256 of a canonical JSON of its content and of the hash of
the event before it in the same chain (one chain per organization, plus a global one for
events without an organization). Appends to one chain are serialised, so ``seq`` counts
1, 2, 3 … without gaps; a changed, removed or re-ordered event breaks the chain there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from ledgerbridge.hub.identity.models import AuditAction, AuditCategory, AuditEvent, Organization

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.db.models import Model

    from ledgerbridge.hub.identity.models import User

__all__ = ["BreakReason", "BrokenLink", "audit_record", "audit_verify", "event_hash"]

# pg_advisory_xact_lock key that serialises the global chain (no organization row to lock).
_GLOBAL_CHAIN_LOCK = 0x1ED6E5B71D6E


class BreakReason(StrEnum):
    """Why ``audit verify`` stopped trusting a chain at an event."""

    SEQ_GAP = "seq-gap"
    PREV_HASH_MISMATCH = "prev-hash-mismatch"
    HASH_MISMATCH = "hash-mismatch"


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first event of a chain that does not match what the chain promises."""

    event_id: int
    seq: int
    organization_id: int | None
    reason: BreakReason

    def describe(self) -> str:
        chain = f"organization {self.organization_id}" if self.organization_id else "global"
        return f"event {self.event_id} (seq {self.seq}, {chain} chain): {self.reason}"


def event_hash(
    *,
    organization_id: int | None,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    subject_user_id: int | None,
    category: str,
    action: str,
    details: Any,
    ip: str | None,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical JSON of one event.

    >>> event_hash(organization_id=1, seq=1, created_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...            actor_id=None, subject_user_id=None, category="user", action="created",
    ...            details={}, ip=None, prev_hash="")[:12]
    '4a36304031fb'
    """
    payload = {
        "organization": organization_id,
        "seq": seq,
        "time": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "subject": subject_user_id,
        "category": category,
        "action": action,
        "details": details,
        "ip": ip,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored_hash(event: AuditEvent) -> str:
    return event_hash(
        organization_id=event.organization_id,
        seq=event.seq,
        created_at=event.created_at,
        actor_id=event.actor_id,
        subject_user_id=event.subject_user_id,
        category=event.category,
        action=event.action,
        details=event.details,
        ip=event.ip,
        prev_hash=event.prev_hash,
    )


def _lock_chain(organization: Organization | None) -> None:
    """Serialise appends to one chain (SQLite's IMMEDIATE transactions already do)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if organization is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_GLOBAL_CHAIN_LOCK])
        else:
            cursor.execute(_chain_sql().lock, [organization.pk])


@dataclass(frozen=True, slots=True)
class _ChainSql:
    """The SQL every append runs, built once per database (each event pays for it)."""

    lock: str  # the organization row, FOR UPDATE
    last: str  # seq and hash of the chain's last event, organization_id = %s
    last_global: str  # the same for the global chain


_CHAIN_SQL: dict[str, _ChainSql] = {}


def _quoted(model: type[Model], name: str) -> str:
    field: Any = model._meta.get_field(name)  # a concrete field: it has a column
    return connection.ops.quote_name(field.column)


def _chain_sql() -> _ChainSql:
    if (built := _CHAIN_SQL.get(connection.alias)) is not None:
        return built
    events = connection.ops.quote_name(AuditEvent._meta.db_table)
    organizations = connection.ops.quote_name(Organization._meta.db_table)
    seq, hash_, chain = (_quoted(AuditEvent, n) for n in ("seq", "hash", "organization"))
    org_pk = _quoted(Organization, "id")
    # Only names from the models' metadata go into the SQL; values are parameters.
    last = f"SELECT {seq}, {hash_} FROM {events} WHERE {chain}"  # noqa: S608  # names only
    order = f"ORDER BY {seq} DESC LIMIT 1"
    built = _CHAIN_SQL[connection.alias] = _ChainSql(
        lock=f"SELECT 1 FROM {organizations} WHERE {org_pk} = %s FOR UPDATE",  # noqa: S608  # names only
        last=f"{last} = %s {order}",
        last_global=f"{last} IS NULL {order}",
    )
    return built


def _last_link(organization: Organization | None) -> tuple[int, str]:
    """``seq`` and ``hash`` of the chain's last event; ``(0, "")`` for an empty chain."""
    chain = _chain_sql()
    with connection.cursor() as cursor:
        if organization is None:
            cursor.execute(chain.last_global)
        else:
            cursor.execute(chain.last, [organization.pk])
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


# No savepoint of its own: a failed append fails the transaction it is written in anyway
# (every caller lets the error through), and the savepoint pair cost two statements.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    organization: Organization | None,
    actor: User | None,
    category: AuditCategory,
    action: AuditAction,
    subject_user: User | None = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain of ``organization`` (``None``: the global chain).

    ``details`` must be JSON data; never put passwords, codes or tokens in it.
    """
    _lock_chain(organization)
    last_seq, prev_hash = _last_link(organization)
    seq = last_seq + 1
    # Store exactly what the database gives back, so verification recomputes the same hash.
    clean_details = json.loads(json.dumps(details or {}, sort_keys=True, default=str))
    clean_ip = AuditEvent._meta.get_field("ip").get_prep_value(ip or None)
    event = AuditEvent(
        organization=organization,
        seq=seq,
        actor=actor,
        subject_user=subject_user,
        # The plain values: the event hashes and stores the same text it reads back.
        category=str(category),
        action=str(action),
        details=clean_details,
        ip=clean_ip,
        created_at=timezone.now().astimezone(UTC),
        prev_hash=prev_hash,
    )
    event.hash = _stored_hash(event)
    event.save(force_insert=True)
    return event


def _chain_events(organization: Organization | None) -> Iterator[AuditEvent]:
    events = AuditEvent.objects.order_by("organization_id", "seq")
    if organization is not None:
        events = events.filter(organization=organization)
    return events.iterator(chunk_size=2000)


def audit_verify(*, organization: Organization | None = None) -> list[BrokenLink]:
    """Recompute every chain (or only ``organization``'s); the first broken link of each.

    An empty list means every chain is intact.
    """
    broken: list[BrokenLink] = []
    chain: object = object()  # sentinel: no chain seen yet
    expected_seq, prev_hash, chain_broken = 1, "", False
    for event in _chain_events(organization):
        if event.organization_id != chain:
            chain, expected_seq, prev_hash, chain_broken = event.organization_id, 1, "", False
        if chain_broken:
            continue
        reason: BreakReason | None = None
        if event.seq != expected_seq:
            reason = BreakReason.SEQ_GAP
        elif event.prev_hash != prev_hash:
            reason = BreakReason.PREV_HASH_MISMATCH
        elif _stored_hash(event) != event.hash:
            reason = BreakReason.HASH_MISMATCH
        if reason:
            broken.append(BrokenLink(event.pk, event.seq, event.organization_id, reason))
            chain_broken = True
            continue
        expected_seq, prev_hash = event.seq + 1, event.hash
    return broken
