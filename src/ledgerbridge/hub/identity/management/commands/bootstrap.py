"""``ledgerbridge bootstrap``: on the very first start, a demo organization and its admin.

``ledgerbridge serve`` runs this on every start. When no user exists yet it creates a Swiss
demo company (with a valid UID) and an admin with a generated password, whose e-mail counts
as verified, and prints the login; on later starts it prints one line and changes nothing.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Organization, User

DEMO_ADMIN_EMAIL = "admin@demo.ledgerbridge.local"
DEMO_ORGANIZATION = {
    "name": "Demo AG",
    "kind": Organization.Kind.BOTH,
    "country": "CH",
    "tax_id": "CHE-116.281.710",
    "street": "Bahnhofstrasse",
    "building_number": "1",
    "postal_code": "8001",
    "town": "Zürich",
}


class Command(BaseCommand):
    help = "Create the demo organization and admin on first start (no user yet)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            if User.objects.exists():
                self.stdout.write(
                    f"ledgerbridge: {User.objects.count()} users, "
                    f"{Organization.objects.count()} organizations; no demo data needed."
                )
                return
            password = secrets.token_urlsafe(12)
            admin = services.user_create_verified(
                email=DEMO_ADMIN_EMAIL, password=password, first_name="Demo",
                last_name="Admin", is_staff=True,
            )  # fmt: skip
            organization = services.organization_create(**DEMO_ORGANIZATION, creator=admin, ip=None)
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "=" * 64,
                    f"Demo organization: {organization.name} ({organization.tax_id_display})",
                    f"Demo admin: {DEMO_ADMIN_EMAIL} / {password}",
                    "This password is shown only now; change it after the first login.",
                    "=" * 64,
                    "",
                ]
            )
        )
