"""Plans at work: an organization's plan, the checks every limited action calls, the change.

The checks raise and change nothing; the caller runs them inside the transaction that
would write, after locking what it counts (see each caller), so two concurrent requests
cannot both pass under a limit:

- :func:`plan_require` — a counted limit: ``Conflict`` (409) ``plan-limit-reached`` whose
  message names the limit and the figures, ``details = {"limit", "allowed", "current"}``.
  ``current`` may be a callable, so an unlimited plan never pays for the count.
- :func:`plan_require_feature` — a feature: ``PermissionDenied`` (403)
  ``plan-feature-disabled`` naming the feature, ``details = {"feature"}``.

An organization whose stored plan the operator has since removed from the plan file gets
the default plan (:func:`plan_of`), until ``ledgerbridge plan set`` gives it another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid, PermissionDenied
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory, Organization
from ledgerbridge.hub.identity.plans import Feature, Plan, PlanLimit, Plans
from ledgerbridge.hub.identity.services._audit import audit_record

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.utils.functional import Promise

    from ledgerbridge.hub.identity.models import User

__all__ = [
    "FEATURE_LABELS",
    "LIMIT_LABELS",
    "clean_plan_key",
    "plan_catalogue",
    "plan_figure",
    "plan_of",
    "plan_require",
    "plan_require_feature",
    "plan_set",
]

FEATURE_LABELS: dict[Feature, Promise] = {
    Feature.EXCHANGE: _("Exchange with accounting offices"),
    Feature.API: _("API access"),
    Feature.SCAN_APP: _("Scan app"),
    Feature.EMAIL_INBOX: _("E-mail inbox"),
    Feature.INTEGRATIONS: _("Integrations"),
}
LIMIT_LABELS: dict[PlanLimit, Promise] = {
    PlanLimit.DOCUMENTS_PER_MONTH: _("Documents this month"),
    PlanLimit.STORAGE_BYTES: _("Storage"),
    PlanLimit.CLIENT_LINKS: _("Client links"),
    PlanLimit.MEMBERS: _("Members"),
}
# "Your plan allows {allowed} {what}; {current}." — one sentence per limit, so each
# language words it properly.
_REFUSALS: dict[PlanLimit, Promise] = {
    PlanLimit.DOCUMENTS_PER_MONTH: _(
        "Your plan allows %(allowed)s documents per month; this month has %(current)s."
    ),
    PlanLimit.STORAGE_BYTES: _(
        "Your plan allows %(allowed)s of storage; %(current)s are used, and this file "
        "does not fit. Nothing was stored."
    ),
    PlanLimit.CLIENT_LINKS: _("Your plan allows %(allowed)s client links; there are %(current)s."),
    PlanLimit.MEMBERS: _(
        "Your plan allows %(allowed)s members; there are %(current)s, counting pending invitations."
    ),
}


def plan_catalogue() -> Plans:
    """The operator's plans (``LEDGERBRIDGE_PLANS``, read once at start)."""
    plans: Plans = settings.LEDGERBRIDGE_PLANS
    return plans


def plan_of(organization: Organization) -> Plan:
    """The organization's plan; the default plan when its stored key is no longer defined."""
    return plan_catalogue().effective(organization.plan)


def plan_figure(limit: PlanLimit, value: int) -> str:
    """A limit's figure as people read it: bytes as ``5.0 GB``, counts as they are."""
    return str(filesizeformat(value)) if limit == PlanLimit.STORAGE_BYTES else str(value)


def plan_require(
    *,
    organization: Organization,
    limit: PlanLimit,
    current: int | Callable[[], int],
    adding: int = 1,
) -> None:
    """Refuse with ``plan-limit-reached`` unless ``current + adding`` fits the plan's limit.

    ``current`` is what the organization has now (or a callable counting it, called only
    when the plan limits it); ``adding`` what the action would add.
    """
    allowed = plan_of(organization).limit(limit)
    if allowed is None:
        return
    count = current() if callable(current) else current
    if count + adding <= allowed:
        return
    raise Conflict(
        ErrorCode.PLAN_LIMIT_REACHED,
        _REFUSALS[limit]
        % {"allowed": plan_figure(limit, allowed), "current": plan_figure(limit, count)},
        limit=limit.value,
        allowed=allowed,
        current=count,
    )


def plan_require_feature(*, organization: Organization, feature: Feature) -> None:
    """Refuse with ``plan-feature-disabled`` unless the organization's plan includes it."""
    if plan_of(organization).has(feature):
        return
    raise PermissionDenied(
        ErrorCode.PLAN_FEATURE_DISABLED,
        _("Your plan does not include this feature: %(feature)s.")
        % {"feature": FEATURE_LABELS[feature]},
        feature=feature.value,
    )


def clean_plan_key(key: str | None) -> str:
    """A configured plan's key; ``None`` or blank gives the default plan."""
    plans = plan_catalogue()
    if not key:
        return plans.default_key
    if key not in plans:
        raise Invalid(
            ErrorCode.UNKNOWN_PLAN,
            _("Unknown plan %(plan)s; the plans are: %(known)s.")
            % {"plan": key, "known": ", ".join(plan.key for plan in plans)},
        )
    return key


@transaction.atomic
def plan_set(
    *, organization: Organization, plan: str, actor: User | None, ip: str | None
) -> Organization:
    """Put the organization on another plan (an operator's act: the CLI); audited.

    Limits already exceeded under the new plan take nothing away; they only refuse what
    would add more.
    """
    key = clean_plan_key(plan)
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if locked.plan == key:
        return locked
    old = locked.plan
    locked.plan = key
    locked.save(update_fields=["plan"])
    audit_record(
        organization=locked,
        actor=actor,
        category=AuditCategory.ORGANIZATION,
        action=AuditAction.PLAN_CHANGED,
        details={"plan": key, "previous_plan": old},
        ip=ip,
    )
    organization.plan = key
    return locked
