"""``ledgerbridge org create|list``: organizations for operators, from the shell.

``org create --name N --tax-id T --country CC --kind KIND --admin-email E [--plan P]``
creates the organization (tax ID validated, audited) and makes ``E`` its admin: a new
account with a one-time password printed once (as ``bootstrap`` does), or the existing
account of that address, whose password is left alone. ``org list`` prints a table.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.emails import clean_email
from ledgerbridge.hub.identity.models import Organization, User

if TYPE_CHECKING:
    from argparse import ArgumentParser
    from collections.abc import Sequence

COLUMNS = ("id", "slug", "name", "kind", "country", "tax ID", "plan", "members", "created")


def table(rows: Sequence[tuple[str, ...]]) -> str:
    """Rows under ``COLUMNS``, each column as wide as its widest cell, two spaces apart.

    >>> print(table([("1", "acme", "Acme", "company", "CH", "CHE-1", "free", "2", "2026")]))
    id  slug  name  kind     country  tax ID  plan  members  created
    1   acme  Acme  company  CH       CHE-1   free  2        2026
    """
    lines = [COLUMNS, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


class Command(BaseCommand):
    help = "Organizations: create (with its admin), list."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create an organization and its admin")
        create.add_argument("--name", required=True)
        create.add_argument("--tax-id", required=True, help="in any usual spelling")
        create.add_argument("--country", required=True, help="two letters, e.g. CH, PL, DE")
        create.add_argument("--kind", required=True, choices=Organization.Kind.values)
        create.add_argument("--admin-email", required=True)
        create.add_argument("--plan", help="key of a configured plan (default: the default)")
        sub.add_parser("list", help="list every organization")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ServiceError as err:
            raise CommandError(f"{err.code}: {err.message}") from None

    def _create(self, options: dict[str, Any]) -> None:
        email = clean_email(options["admin_email"])
        password = None
        with transaction.atomic():
            admin = User.objects.filter(email__iexact=email).first()
            if admin is None:
                password = secrets.token_urlsafe(12)
                admin = services.user_create_verified(email=email, password=password)
            organization = services.organization_create(
                name=options["name"], kind=options["kind"], country=options["country"],
                tax_id=options["tax_id"], plan=options["plan"], creator=admin, ip=None,
            )  # fmt: skip
        self.stdout.write(
            f"Created organization {organization.pk} {organization.slug}: {organization.name} "
            f"({organization.tax_id_display}), plan {organization.plan}."
        )
        if password is None:
            self.stdout.write(f"Admin: {admin.email} (existing account, password unchanged)")
            return
        self.stdout.write(f"Admin: {admin.email} / {password}")
        self.stdout.write("This password is shown only now; change it after the first login.")

    def _list(self, options: dict[str, Any]) -> None:
        plans = services.plan_catalogue()
        organizations = Organization.objects.annotate(members=Count("memberships")).order_by("id")
        rows = []
        for org in organizations:
            plan = org.plan if org.plan in plans else f"{org.plan} -> {plans.default_key}"
            created = org.created_at.date().isoformat()
            cells = (org.slug, org.name, org.kind, org.country, org.tax_id_display, plan)
            rows.append((str(org.pk), *cells, str(org.members), created))
        self.stdout.write(table(rows))
