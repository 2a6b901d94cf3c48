"""``ledgerbridge links list --org X``: an organization's client links, for operators.

``X`` is the organization's slug, tax ID or id. One line per link, both directions: the
other side (its name once it exists on the hub, else the tax ID the link was made for),
the status, the categories that cross it, and when it was made and accepted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from ledgerbridge.hub.core.errors import NotFound
from ledgerbridge.hub.exchange import selectors
from ledgerbridge.hub.exchange.models import LinkDirection
from ledgerbridge.hub.identity import selectors as identity_selectors
from ledgerbridge.hub.identity.models import Organization

if TYPE_CHECKING:
    from argparse import ArgumentParser
    from datetime import datetime

    from ledgerbridge.hub.exchange.models import ClientLink

COLUMNS = ("id", "direction", "other side", "status", "categories", "created", "accepted")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "-"


class Command(BaseCommand):
    help = "Client links: list an organization's links and requests, both directions."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="list the links of an organization")
        listing.add_argument("--org", required=True, help="slug, tax ID or id of the organization")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self._organization(options["org"])
        rows = [self._row(link, organization) for link in self._links(organization)]
        widths = [max(len(row[i]) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
        for row in [COLUMNS, *rows]:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        self.stderr.write(f"{len(rows)} link(s) of {organization.name} ({organization.slug})")

    def _organization(self, key: str) -> Organization:
        key = key.strip()
        if key.isdigit():
            found = Organization.objects.filter(pk=int(key)).first()
            if found is not None:
                return found
        try:
            return identity_selectors.organization_find(key=key)
        except NotFound:
            raise CommandError(f"no organization with slug, tax ID or id {key!r}") from None

    def _links(self, organization: Organization) -> list[ClientLink]:
        return list(selectors.client_link_list(organization=organization))

    def _row(self, link: ClientLink, organization: Organization) -> tuple[str, ...]:
        # The operator sees every side; the direction says what the other side is.
        if link.office_id == organization.pk:
            is_office = True
        elif link.client_id == organization.pk:
            is_office = False
        else:  # a request for this organization's tax ID, not yet bound
            is_office = link.direction == LinkDirection.ACCOUNTING_OFFICE
        other = link.client if is_office else link.office
        shown = other.name if other is not None else f"{link.target_country} {link.target_tax_id}"
        direction = "client" if is_office else "accounting office"
        if link.organization_id != organization.pk:
            direction += " (asked us)"
        return (
            str(link.pk), direction, shown, str(link.status), ",".join(link.categories) or "-",
            _when(link.created_at), _when(link.accepted_at),
        )  # fmt: skip
