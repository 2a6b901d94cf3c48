"""``ledgerbridge audit verify|checkpoint``: check every audit chain, keep signed heads.

``verify`` recomputes every keyed hash chain and compares it with the newest signed
checkpoint of each chain (and, with ``--against FILE``, with the heads of an earlier
export). It prints ``OK: N events in M chains`` and exits 0, or names the first broken
event (or the cut) of each broken chain and exits 1. Both actions then write a new
checkpoint for each intact chain; ``checkpoint --export`` also prints the newest
checkpoint of every chain as JSON lines for the operator to keep elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from ledgerbridge.hub.core.errors import NotFound
from ledgerbridge.hub.identity import selectors
from ledgerbridge.hub.identity.models import AuditEvent
from ledgerbridge.hub.identity.services import (
    CheckpointError,
    audit_checkpoint,
    audit_checkpoints_read,
    audit_checkpoints_stored,
)

if TYPE_CHECKING:
    from argparse import ArgumentParser

    from ledgerbridge.hub.identity.models import Organization
    from ledgerbridge.hub.identity.services import Checkpoint


class Command(BaseCommand):
    help = (
        "Audit log tools: 'verify' checks every hash chain against its checkpoints, "
        "'checkpoint' keeps signed chain heads."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute every chain, name the first broken link")
        verify.add_argument("--org", help="only this organization (tax ID or slug)")
        verify.add_argument(
            "--against", type=Path, help="also compare with the heads in this exported file"
        )
        checkpoint = sub.add_parser("checkpoint", help="write a signed checkpoint of each head")
        checkpoint.add_argument(
            "--export", action="store_true", help="print the newest checkpoints as JSON lines"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self._organization(options.get("org"))
        against: list[Checkpoint] = []
        try:
            if options.get("against"):
                against = audit_checkpoints_read(options["against"])
            broken = audit_checkpoint(organization=organization, against=against)
        except (CheckpointError, OSError) as err:
            raise CommandError(f"checkpoints unusable: {err}", returncode=1) from None
        events = AuditEvent.objects.all()
        if organization is not None:
            events = events.filter(organization=organization)
        total = events.count()
        chains = events.values("organization_id").distinct().count()
        if options["action"] == "checkpoint" and options.get("export"):
            for point in audit_checkpoints_stored():
                self.stdout.write(point.to_json())
        if broken:
            for link in broken:
                self.stderr.write(f"BROKEN: {link.describe()}")
            raise CommandError(
                f"{len(broken)} of {chains} chains broken ({total} events)", returncode=1
            )
        if options["action"] == "verify":
            self.stdout.write(f"OK: {total} events in {chains} chains")

    def _organization(self, key: str | None) -> Organization | None:
        if not key:
            return None
        try:
            return selectors.organization_find(key=key)
        except NotFound:
            raise CommandError(f"no organization {key!r}") from None
