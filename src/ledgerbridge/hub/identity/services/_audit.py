"""The audit log: append an event to its organization's hash chain, verify every chain.

Each event's ``hash`` is the HMAC-SHA256 of a canonical JSON of its content and of the hash
of the event before it in the same chain (one chain per organization, plus a global one for
events without an organization). Appends to one chain are serialised, so ``seq`` counts
1, 2, 3 … without gaps; a changed, removed or re-ordered event breaks the chain there.

The HMAC key is derived (HKDF-SHA256, its own info label) from ``SECRET_KEY``, which is
not in the database: someone who can only write to the database cannot recompute a
rewritten chain. Cutting a chain's newest events leaves a valid shorter chain, so
``audit_verify`` also compares each chain with signed checkpoints of its head, kept
outside the database (see ``_audit_checkpoints``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ledgerbridge.hub.identity.models import AuditAction, AuditCategory, AuditEvent, Organization

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from django.db.models import Model

    from ledgerbridge.hub.identity.models import User

__all__ = [
    "CHAIN_KEY_INFO",
    "BreakReason",
    "BrokenLink",
    "ChainHead",
    "audit_key",
    "audit_record",
    "audit_verify",
    "event_hash",
    "event_payload",
]

# HKDF info labels: one key per purpose, none of them usable as another or as SECRET_KEY.
CHAIN_KEY_INFO = b"ledgerbridge audit chain v1"

# pg_advisory_xact_lock key that serialises the global chain (no organization row to lock).
_GLOBAL_CHAIN_LOCK = 0x1ED6E5B71D6E


class BreakReason(StrEnum):
    """Why ``audit verify`` stopped trusting a chain at an event."""

    SEQ_GAP = "seq-gap"
    PREV_HASH_MISMATCH = "prev-hash-mismatch"
    HASH_MISMATCH = "hash-mismatch"
    # The chain ends before the seq a checkpoint saw: its newest events were removed.
    CUT_BEFORE_CHECKPOINT = "cut-before-checkpoint"
    # The event at a checkpoint's seq has another hash than the checkpoint saw.
    CHECKPOINT_MISMATCH = "checkpoint-mismatch"


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first event of a chain that does not match what the chain promises.

    ``event_id`` is ``None`` when the event is missing (a chain cut before a checkpoint).
    """

    event_id: int | None
    seq: int
    organization_id: int | None
    reason: BreakReason

    def describe(self) -> str:
        chain = f"organization {self.organization_id}" if self.organization_id else "global"
        if self.event_id is None:
            return f"no event at seq {self.seq} ({chain} chain): {self.reason}"
        return f"event {self.event_id} (seq {self.seq}, {chain} chain): {self.reason}"


@dataclass(frozen=True, slots=True)
class ChainHead:
    """A point of a chain: its ``seq`` and ``hash`` (the newest event, or a checkpoint's)."""

    organization_id: int | None
    seq: int
    hash: str


def _hkdf_sha256(secret: bytes, info: bytes) -> bytes:
    """RFC 5869 HKDF with SHA-256, empty salt, 32 bytes of output (one block)."""
    prk = hmac.new(b"\0" * hashlib.sha256().digest_size, secret, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def audit_key(info: bytes = CHAIN_KEY_INFO) -> bytes:
    """The key for ``info``'s purpose, derived from ``SECRET_KEY`` (changing it breaks chains)."""
    return _hkdf_sha256(settings.SECRET_KEY.encode(), info)


def event_payload(
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
) -> bytes:
    """The canonical JSON of one event, the bytes its hash is computed over.

    >>> hashlib.sha256(event_payload(
    ...     organization_id=1, seq=1, created_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     actor_id=None, subject_user_id=None, category="user", action="created",
    ...     details={}, ip=None, prev_hash="")).hexdigest()[:12]
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
    return canonical.encode()


def event_hash(payload: bytes, *, key: bytes) -> str:
    """HMAC-SHA256 (hex) of an event's payload with the chain key.

    >>> event_hash(b'{"seq":1}', key=b"k" * 32)[:12]
    'bbbc9b98a3e6'
    """
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def stored_event_payload(event: AuditEvent) -> bytes:
    """``event_payload`` of a stored (or about to be stored) event."""
    return event_payload(
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
    event.hash = event_hash(stored_event_payload(event), key=audit_key())
    event.save(force_insert=True)
    return event


def _chain_events(organization: Organization | None) -> Iterator[AuditEvent]:
    events = AuditEvent.objects.order_by("organization_id", "seq")
    if organization is not None:
        events = events.filter(organization=organization)
    return events.iterator(chunk_size=2000)


@dataclass(slots=True)
class _Walk:
    """What the walk over every chain found: the first break and the head of each chain."""

    key: bytes
    wanted: dict[int | None, dict[int, str]]  # chain -> checkpoint seq -> hash
    broken: dict[int | None, BrokenLink]
    heads: dict[int | None, ChainHead]

    def check(self, event: AuditEvent) -> BreakReason | None:
        head = self.heads.get(event.organization_id)
        expected_seq, prev_hash = (head.seq + 1, head.hash) if head else (1, "")
        if event.seq != expected_seq:
            return BreakReason.SEQ_GAP
        if event.prev_hash != prev_hash:
            return BreakReason.PREV_HASH_MISMATCH
        if not hmac.compare_digest(
            event_hash(stored_event_payload(event), key=self.key), event.hash
        ):
            return BreakReason.HASH_MISMATCH
        seen = self.wanted.get(event.organization_id, {}).get(event.seq)
        if seen is not None and seen != event.hash:
            return BreakReason.CHECKPOINT_MISMATCH
        return None

    def cuts(self) -> Iterator[BrokenLink]:
        """Chains that end before a checkpoint's seq (or are gone altogether)."""
        for chain, seen in self.wanted.items():
            head = self.heads.get(chain)
            last = head.seq if head else 0
            if chain not in self.broken and (beyond := [s for s in seen if s > last]):
                yield BrokenLink(None, min(beyond), chain, BreakReason.CUT_BEFORE_CHECKPOINT)


def audit_walk(
    *, organization: Organization | None = None, checkpoints: Iterable[ChainHead] = ()
) -> tuple[list[BrokenLink], dict[int | None, ChainHead]]:
    """Recompute every chain (or only ``organization``'s) and compare it with ``checkpoints``.

    Returns the first broken link of each broken chain, and the newest event of each chain
    that is intact.
    """
    walk = _Walk(key=audit_key(), wanted={}, broken={}, heads={})
    for point in checkpoints:
        if organization is None or point.organization_id == organization.pk:
            walk.wanted.setdefault(point.organization_id, {})[point.seq] = point.hash
    for event in _chain_events(organization):
        chain = event.organization_id
        if chain in walk.broken:
            continue
        if reason := walk.check(event):
            walk.broken[chain] = BrokenLink(event.pk, event.seq, chain, reason)
            continue
        walk.heads[chain] = ChainHead(chain, event.seq, event.hash)
    broken = [*walk.broken.values(), *walk.cuts()]
    return broken, {c: h for c, h in walk.heads.items() if c not in walk.broken}


def audit_verify(
    *, organization: Organization | None = None, checkpoints: Iterable[ChainHead] = ()
) -> list[BrokenLink]:
    """Recompute every chain (or only ``organization``'s); the first broken link of each.

    ``checkpoints`` are heads seen earlier: a chain must still reach each one's ``seq``
    with the same ``hash``. An empty list means every chain is intact.
    """
    return audit_walk(organization=organization, checkpoints=checkpoints)[0]
