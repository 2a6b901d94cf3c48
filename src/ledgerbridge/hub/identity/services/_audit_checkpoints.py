"""Signed checkpoints of each audit chain's head, kept outside the database.

A keyed chain cannot be rewritten without the key, but its newest events can still be
cut off: what is left is a valid, shorter chain. So the head of every intact chain
(organization, seq, hash, time) is written, signed with its own key derived from
``SECRET_KEY``, to ``LEDGERBRIDGE_AUDIT_CHECKPOINT_DIR`` (``<data dir>/audit-checkpoints``
by default): one append-only JSON-lines file per chain. ``audit verify`` and ``audit
checkpoint`` compare every chain with the newest checkpoint of each (and with the lines
of a file the operator exported earlier), then append the new heads of intact chains.

>>> point = Checkpoint(organization_id=7, seq=3, hash="ab", time="2026-01-01T00:00:00+00:00")
>>> signed = point.signed(b"k" * 32)
>>> Checkpoint.from_json(signed.to_json(), key=b"k" * 32) == signed
True
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from ledgerbridge.hub.identity.services._audit import ChainHead, audit_key, audit_walk

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledgerbridge.hub.identity.models import Organization
    from ledgerbridge.hub.identity.services._audit import BrokenLink

__all__ = [
    "CHECKPOINT_KEY_INFO",
    "Checkpoint",
    "CheckpointError",
    "audit_checkpoint",
    "audit_checkpoints_read",
    "audit_checkpoints_stored",
]

CHECKPOINT_KEY_INFO = b"ledgerbridge audit checkpoint v1"


class CheckpointError(ValueError):
    """A checkpoint line that is not JSON of a checkpoint, or whose signature is wrong."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A chain's head at a time, with the HMAC-SHA256 signature of those four values."""

    organization_id: int | None
    seq: int
    hash: str
    time: str
    signature: str = ""

    def _body(self) -> bytes:
        body = {"organization": self.organization_id, "seq": self.seq, "hash": self.hash}
        body["time"] = self.time
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def signed(self, key: bytes) -> Checkpoint:
        return replace(self, signature=hmac.new(key, self._body(), "sha256").hexdigest())

    def to_json(self) -> str:
        body: dict[str, Any] = json.loads(self._body())
        return json.dumps({**body, "signature": self.signature}, sort_keys=True)

    @classmethod
    def from_json(cls, line: str, *, key: bytes) -> Checkpoint:
        try:
            data = json.loads(line)
            organization_id, seq = data["organization"], data["seq"]
            point = cls(organization_id, seq, str(data["hash"]), str(data["time"]))
            signature = str(data["signature"])
        except (ValueError, KeyError, TypeError) as err:
            raise CheckpointError(f"not a checkpoint: {err}") from None
        valid_ids = isinstance(seq, int) and isinstance(organization_id, int | None)
        if not valid_ids or not hmac.compare_digest(point.signed(key).signature, signature):
            raise CheckpointError("the checkpoint's signature does not match")
        return replace(point, signature=signature)

    def head(self) -> ChainHead:
        return ChainHead(self.organization_id, self.seq, self.hash)


def _directory() -> Path:
    return Path(settings.LEDGERBRIDGE_AUDIT_CHECKPOINT_DIR)


def _chain_file(organization_id: int | None) -> Path:
    name = "global" if organization_id is None else f"organization-{organization_id}"
    return _directory() / f"{name}.jsonl"


def audit_checkpoints_read(path: Path) -> list[Checkpoint]:
    """Every checkpoint in a JSON-lines file (an export, or one chain's file), checked."""
    key = audit_key(CHECKPOINT_KEY_INFO)
    points = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                points.append(Checkpoint.from_json(line, key=key))
            except CheckpointError as err:
                raise CheckpointError(f"{path}:{number}: {err}") from None
    return points


def audit_checkpoints_stored() -> list[Checkpoint]:
    """The newest checkpoint of each chain in the checkpoint directory."""
    if not _directory().is_dir():
        return []
    newest = []
    for path in sorted(_directory().glob("*.jsonl")):
        if points := audit_checkpoints_read(path):
            newest.append(max(points, key=lambda point: point.seq))
    return newest


def _append(point: Checkpoint) -> None:
    path = _chain_file(point.organization_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_APPEND: each line lands whole at the end, also with two writers at once.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as file:
        file.write(point.to_json() + "\n")


def audit_checkpoint(
    *, organization: Organization | None = None, against: Iterable[Checkpoint] = ()
) -> list[BrokenLink]:
    """Verify every chain against the stored checkpoints and ``against``; checkpoint the rest.

    Returns the first broken link of each broken chain (nothing is written for those);
    each intact chain whose head moved since its newest checkpoint gets a new one.
    """
    stored = audit_checkpoints_stored()
    newest = {point.organization_id: point.seq for point in stored}
    points = [point.head() for point in (*stored, *against)]
    broken, heads = audit_walk(organization=organization, checkpoints=points)
    key = audit_key(CHECKPOINT_KEY_INFO)
    time = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    for chain, head in heads.items():
        if newest.get(chain) != head.seq:
            _append(Checkpoint(chain, head.seq, head.hash, time).signed(key))
    return broken
