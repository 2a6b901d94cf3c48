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
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from ledgerbridge.hub.identity.models import AuditEvent, Organization

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ledgerbridge.hub.identity.models import User

__all__ = ["BrokenLink", "audit_record", "audit_verify", "event_hash"]

# pg_advisory_xact_lock key that serialises the global chain (no organization row to lock).
_GLOBAL_CHAIN_LOCK = 0x1ED6E5B71D6E


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first event of a chain that does not match what the chain promises."""

    event_id: int
    seq: int
    organization_id: int | None
    reason: str  # hash-mismatch | prev-hash-mismatch | seq-gap

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
    if organization is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_GLOBAL_CHAIN_LOCK])
    else:
        list(Organization.objects.select_for_update().filter(pk=organization.pk).values("pk"))


@transaction.atomic
def audit_record(
    *,
    organization: Organization | None,
    actor: User | None,
    category: str,
    action: str,
    subject_user: User | None = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain of ``organization`` (``None``: the global chain).

    ``details`` must be JSON data; never put passwords, codes or tokens in it.
    """
    _lock_chain(organization)
    last = (
        AuditEvent.objects.filter(organization=organization)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, "")
    # Store exactly what the database gives back, so verification recomputes the same hash.
    clean_details = json.loads(json.dumps(details or {}, sort_keys=True, default=str))
    clean_ip = AuditEvent._meta.get_field("ip").get_prep_value(ip or None)
    event = AuditEvent(
        organization=organization,
        seq=seq,
        actor=actor,
        subject_user=subject_user,
        category=category,
        action=action,
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
        reason = None
        if event.seq != expected_seq:
            reason = "seq-gap"
        elif event.prev_hash != prev_hash:
            reason = "prev-hash-mismatch"
        elif _stored_hash(event) != event.hash:
            reason = "hash-mismatch"
        if reason:
            broken.append(BrokenLink(event.pk, event.seq, event.organization_id, reason))
            chain_broken = True
            continue
        expected_seq, prev_hash = event.seq + 1, event.hash
    return broken
