"""``ledgerbridge token create|list|revoke``: API tokens for machines, from the shell.

``token create --user EMAIL --org TAXID_OR_SLUG --permissions documents.view,documents.upload``
prints the raw token once; only its hash is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from ledgerbridge.hub.core.errors import NotFound, ServiceError
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.models import ApiToken, User

if TYPE_CHECKING:
    from argparse import ArgumentParser

    from ledgerbridge.hub.identity.models import Organization


class Command(BaseCommand):
    help = "API tokens: create (prints the token once), list, revoke."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("--user", required=True, help="e-mail of the token's user")
        create.add_argument("--org", required=True, help="tax ID or slug of the organization")
        create.add_argument(
            "--permissions",
            required=True,
            help="comma-separated, e.g. documents.view,documents.upload",
        )
        create.add_argument("--name", default="command line", help="what the token is for")
        listing = sub.add_parser("list", help="list the tokens of an organization")
        listing.add_argument("--org", required=True, help="tax ID or slug of the organization")
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ServiceError as err:
            raise CommandError(f"{err.code}: {err.message}") from None

    def _organization(self, key: str) -> Organization:
        try:
            return selectors.organization_find(key=key)
        except NotFound:
            raise CommandError(f"no organization with tax ID or slug {key!r}") from None

    def _create(self, options: dict[str, Any]) -> None:
        organization = self._organization(options["org"])
        user = User.objects.filter(email__iexact=options["user"].strip()).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        permissions = [p.strip() for p in options["permissions"].split(",") if p.strip()]
        token, raw = services.api_token_create(
            organization=organization, user=user, name=options["name"],
            permissions=permissions, ip=None,
        )  # fmt: skip
        self.stderr.write(
            f"token {token.pk} for {user.email} in {organization.slug} "
            f"({', '.join(token.permissions)}); it is shown only now:"
        )
        self.stdout.write(raw)

    def _list(self, options: dict[str, Any]) -> None:
        organization = self._organization(options["org"])
        for token in selectors.api_token_list(organization=organization):
            state = "revoked" if token.revoked_at else "active"
            used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "-"
            self.stdout.write(
                f"{token.pk}\tlb_{token.prefix}_…\t{state}\t{token.user.email}\t{token.name}"
                f"\t{','.join(token.permissions)}\tlast used {used}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"no token {options['id']}")
        # The operator acts with the token owner's authority: an owner may revoke their own.
        services.api_token_revoke(token=token, actor=token.user, ip=None)
        self.stdout.write(f"revoked token {token.pk} (lb_{token.prefix}_…)")
