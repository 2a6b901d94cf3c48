"""Organizations: create one (its creator becomes admin), change its settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory, Membership, Organization
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Permission, Role
from ledgerbridge.hub.identity.regional import REGIONS
from ledgerbridge.hub.identity.services._audit import audit_record
from ledgerbridge.hub.identity.services._common import actor_membership
from ledgerbridge.hub.identity.services._plans import clean_plan_key
from ledgerbridge.hub.identity.taxids import clean_tax_id

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import User

_ADDRESS_FIELDS = ("street", "building_number", "postal_code", "town")
_UPDATABLE = ("name", "kind", "country", "tax_id", *_ADDRESS_FIELDS, "regional_format")


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise Invalid(ErrorCode.NAME_REQUIRED, _("The organization needs a name."))
    if len(name) > 200:
        raise Invalid(ErrorCode.NAME_TOO_LONG, _("The name may have at most 200 characters."))
    return name


def _clean_kind(kind: str) -> str:
    if kind not in Organization.Kind.values:
        raise Invalid(
            ErrorCode.INVALID_KIND, _("Unknown kind of organization: %(kind)s") % {"kind": kind}
        )
    return kind


def clean_regional_format(code: str) -> str:
    """A known regional format, or blank (the one of the country)."""
    if code and code not in REGIONS:
        raise Invalid(
            ErrorCode.UNKNOWN_REGIONAL_FORMAT,
            _("Unknown regional format: %(code)s") % {"code": code},
        )
    return code


def _clean_tax_id(country: str, tax_id: str, *, exclude_pk: int | None = None) -> tuple[str, str]:
    country = country.upper()
    compact = clean_tax_id(country, tax_id)
    taken = Organization.objects.filter(country=country, tax_id=compact)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise Conflict(
            ErrorCode.TAX_ID_TAKEN, _("An organization with this tax ID is already registered.")
        )
    return country, compact


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str,
    country: str,
    tax_id: str,
    street: str = "",
    building_number: str = "",
    postal_code: str = "",
    town: str = "",
    plan: str | None = None,
    creator: User,
    ip: str | None,
) -> Organization:
    """Create an organization; ``creator`` becomes its admin.

    ``plan`` is the key of one of the operator's plans; ``None`` or blank: the default.
    """
    name = _clean_name(name)
    kind = _clean_kind(kind)
    plan = clean_plan_key(plan)
    country, compact = _clean_tax_id(country, tax_id)
    organization = Organization.objects.create(
        slug=_unique_slug(name),
        name=name,
        kind=kind,
        country=country,
        tax_id=compact,
        street=street.strip(),
        building_number=building_number.strip(),
        postal_code=postal_code.strip(),
        town=town.strip(),
        plan=plan,
    )
    Membership.objects.create(
        organization=organization,
        user=creator,
        role=Role.ADMIN,
        permissions=sorted(ROLE_PRESETS[Role.ADMIN]),
    )
    audit_record(
        organization=organization,
        actor=creator,
        category=AuditCategory.ORGANIZATION,
        action=AuditAction.CREATED,
        subject_user=creator,
        details={
            "name": name,
            "kind": kind,
            "country": country,
            "tax_id": compact,
            "plan": plan,
        },
        ip=ip,
    )
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User, ip: str | None, **fields: Any
) -> Organization:
    """Change name, kind, address, country, tax ID or regional format (``organization.manage``)."""
    actor_membership(
        actor=actor, organization=organization, permission=Permission.ORGANIZATION_MANAGE
    )
    unknown = set(fields) - set(_UPDATABLE)
    if unknown:
        raise Invalid(
            ErrorCode.UNKNOWN_FIELD,
            _("These fields cannot be changed: %(names)s") % {"names": ", ".join(sorted(unknown))},
        )
    new = {name: fields.get(name, getattr(organization, name)) for name in _UPDATABLE}
    new["name"] = _clean_name(str(new["name"]))
    new["kind"] = _clean_kind(str(new["kind"]))
    new["regional_format"] = clean_regional_format(str(new["regional_format"]))
    if "country" in fields or "tax_id" in fields:
        new["country"], new["tax_id"] = _clean_tax_id(
            str(new["country"]), str(new["tax_id"]), exclude_pk=organization.pk
        )
    for name in _ADDRESS_FIELDS:
        new[name] = str(new[name]).strip()
    changed = {
        name: [getattr(organization, name), value]
        for name, value in new.items()
        if getattr(organization, name) != value
    }
    if not changed:
        return organization
    for name, (_old, value) in changed.items():
        setattr(organization, name, value)
    organization.save(update_fields=list(changed))
    audit_record(
        organization=organization,
        actor=actor,
        category=AuditCategory.ORGANIZATION,
        action=AuditAction.SETTINGS_CHANGED,
        details={"changed": changed},
        ip=ip,
    )
    return organization


@transaction.atomic
def organization_set_require_mfa(
    *, organization: Organization, actor: User, require_mfa: bool, ip: str | None
) -> Organization:
    """Require (or stop requiring) MFA of every member (``organization.manage``)."""
    actor_membership(
        actor=actor, organization=organization, permission=Permission.ORGANIZATION_MANAGE
    )
    if organization.require_mfa == require_mfa:
        return organization
    organization.require_mfa = require_mfa
    organization.save(update_fields=["require_mfa"])
    audit_record(
        organization=organization,
        actor=actor,
        category=AuditCategory.SECURITY,
        action=AuditAction.MFA_REQUIREMENT_CHANGED,
        details={"require_mfa": require_mfa},
        ip=ip,
    )
    return organization
