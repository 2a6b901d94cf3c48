"""``ledgerbridge createadmin --email E --password P [--org TAXID_OR_SLUG]``.

Creates a verified operator account; with ``--org`` it also becomes an admin of that
organization. For operators who set up a hub without the demo data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ledgerbridge.hub.core.errors import NotFound, ServiceError
from ledgerbridge.hub.identity import selectors, services

if TYPE_CHECKING:
    from argparse import ArgumentParser


class Command(BaseCommand):
    help = "Create a verified admin user (optionally admin of an organization)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--org", help="tax ID or slug of an organization to administer")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                user = services.user_create_verified(
                    email=options["email"], password=options["password"], is_staff=True
                )
                if options.get("org"):
                    organization = selectors.organization_find(key=options["org"])
                    services.membership_add_admin(organization=organization, user=user)
        except NotFound:
            raise CommandError(f"no organization with tax ID or slug {options['org']!r}") from None
        except ServiceError as err:
            raise CommandError(f"{err.code}: {err.message}") from None
        where = f" of {options['org']}" if options.get("org") else ""
        self.stdout.write(f"Created admin {user.email}{where}.")
