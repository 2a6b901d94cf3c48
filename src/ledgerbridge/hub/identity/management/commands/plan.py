"""``ledgerbridge plan list|set``: the operator's plans, and which one an organization has.

``plan set --org X PLAN`` (X: id, slug or tax ID) puts the organization on another plan,
audited as ``plan_changed``; an unknown plan or organization exits with an error.
``plan list`` prints the configured plans with their limits and features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from ledgerbridge.hub.core.errors import NotFound, ServiceError
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.models import Organization
from ledgerbridge.hub.identity.plans import PlanLimit

if TYPE_CHECKING:
    from argparse import ArgumentParser


def find_organization(key: str) -> Organization:
    """An organization by id, slug or tax ID; ``CommandError`` when there is none."""
    key = key.strip()
    if key.isdigit() and (found := Organization.objects.filter(pk=int(key)).first()):
        return found
    try:
        return selectors.organization_find(key=key)
    except NotFound:
        raise CommandError(f"no organization with id, slug or tax ID {key!r}") from None


class Command(BaseCommand):
    help = "Plans: list the configured plans, set an organization's plan."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        put = sub.add_parser("set", help="put an organization on a plan")
        put.add_argument("--org", required=True, help="id, slug or tax ID of the organization")
        put.add_argument("plan", help="key of a configured plan")
        sub.add_parser("list", help="list the configured plans")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ServiceError as err:
            raise CommandError(f"{err.code}: {err.message}") from None

    def _set(self, options: dict[str, Any]) -> None:
        organization = find_organization(options["org"])
        old = organization.plan
        changed = services.plan_set(
            organization=organization, plan=options["plan"], actor=None, ip=None
        )
        if old == changed.plan:
            self.stdout.write(f"{changed.slug} is already on plan {changed.plan}.")
        else:
            self.stdout.write(f"{changed.slug}: plan {old} -> {changed.plan}.")

    def _list(self, options: dict[str, Any]) -> None:
        plans = services.plan_catalogue()
        for plan in plans:
            limits = ", ".join(
                f"{limit.value}={plan.limit(limit)}"
                for limit in PlanLimit
                if plan.limit(limit) is not None
            )
            default = " (default)" if plan.key == plans.default_key else ""
            self.stdout.write(
                f"{plan.key}{default}\t{plan.name}\t{limits or 'no limits'}"
                f"\t{','.join(sorted(plan.features)) or 'no features'}"
            )
