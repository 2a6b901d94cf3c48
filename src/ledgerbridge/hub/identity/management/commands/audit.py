"""``ledgerbridge audit verify``: recompute every audit hash chain and name the first break.

Prints ``OK: N events in M chains`` and exits 0, or names the first broken event of each
broken chain and exits 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from ledgerbridge.hub.core.errors import NotFound
from ledgerbridge.hub.identity import selectors
from ledgerbridge.hub.identity.models import AuditEvent
from ledgerbridge.hub.identity.services import audit_verify

if TYPE_CHECKING:
    from argparse import ArgumentParser


class Command(BaseCommand):
    help = "Audit log tools: 'verify' checks every hash chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute every chain, name the first broken link")
        verify.add_argument("--org", help="only this organization (tax ID or slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = None
        if options.get("org"):
            try:
                organization = selectors.organization_find(key=options["org"])
            except NotFound:
                raise CommandError(f"no organization {options['org']!r}") from None
        broken = audit_verify(organization=organization)
        events = AuditEvent.objects.all()
        if organization is not None:
            events = events.filter(organization=organization)
        total = events.count()
        chains = events.values("organization_id").distinct().count()
        if broken:
            for link in broken:
                self.stderr.write(f"BROKEN: {link.describe()}")
            raise CommandError(
                f"{len(broken)} of {chains} chains broken ({total} events)", returncode=1
            )
        self.stdout.write(f"OK: {total} events in {chains} chains")
