"""Organizations: creation (creator becomes admin), settings, the MFA requirement."""

from __future__ import annotations

import pytest

from ledgerbridge.hub.core.errors import Conflict, Invalid, PermissionDenied
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import AuditEvent, Membership, Organization
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Permission, Role
from tests.hub.factories import admin_of, make_membership, make_organization, make_user
from tests.hub.helpers import snapshot

pytestmark = pytest.mark.django_db


def _create(**overrides: object) -> Organization:
    fields: dict[str, object] = {
        "name": "Muster Treuhand AG",
        "kind": Organization.Kind.ACCOUNTING_OFFICE,
        "country": "CH",
        "tax_id": "che 116.281.710",
        "street": "Bahnhofstrasse",
        "building_number": "7",
        "postal_code": "8001",
        "town": "Zürich",
        "ip": "192.0.2.1",
    }
    fields.update(overrides)
    if "creator" not in fields:
        fields["creator"] = make_user()
    return services.organization_create(**fields)  # type: ignore[arg-type]  # test kwargs


def test_create_stores_compact_tax_id_and_makes_creator_admin() -> None:
    # given
    creator = make_user()
    # when
    organization = _create(creator=creator)
    # then
    assert organization.slug == "muster-treuhand-ag"
    assert organization.tax_id == "CHE116281710"
    assert organization.tax_id_display == "CHE-116.281.710"
    membership = Membership.objects.get(organization=organization, user=creator)
    assert membership.role == Role.ADMIN
    assert membership.permission_set == ROLE_PRESETS[Role.ADMIN]
    event = AuditEvent.objects.get(organization=organization)
    assert (event.category, event.action, event.actor, event.ip, event.seq) == (
        "organization",
        "created",
        creator,
        "192.0.2.1",
        1,
    )


def test_slug_is_made_unique() -> None:
    # given
    _create()
    # when
    second = _create(tax_id="DE136695976", country="DE")
    # then
    assert second.slug == "muster-treuhand-ag-2"


def test_same_tax_id_in_same_country_is_refused_and_nothing_changes() -> None:
    # given
    _create()
    creator = make_user()
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        _create(name="Other", tax_id="CHE-116.281.710", creator=creator)
    # then
    assert caught.value.code == "tax-id-taken"
    assert snapshot() == before


def test_invalid_tax_id_is_refused_with_its_shape_and_nothing_changes() -> None:
    # given
    creator = make_user()
    before = snapshot()
    # when
    with pytest.raises(Invalid) as caught:
        _create(tax_id="CHE-116.281.711", creator=creator)
    # then
    assert (caught.value.code, str(caught.value)) == (
        "invalid-tax-id",
        "A Swiss UID looks like CHE-123.456.789.",
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"name": "  "}, "name-required"),
        ({"kind": "bank"}, "invalid-kind"),
        ({"country": "US"}, "unsupported-country"),
    ],
)
def test_bad_fields_are_refused(overrides: dict[str, object], code: str) -> None:
    # given
    creator = make_user()
    before = snapshot()
    # when
    with pytest.raises(Invalid) as caught:
        _create(creator=creator, **overrides)
    # then
    assert caught.value.code == code
    assert snapshot() == before


def test_update_changes_fields_and_audits_the_difference() -> None:
    # given
    admin = admin_of()
    organization = admin.organization
    old_name = organization.name
    # when
    services.organization_update(
        organization=organization, actor=admin.user, ip=None, name="New Name", town="Bern"
    )
    # then
    organization.refresh_from_db()
    assert (organization.name, organization.town) == ("New Name", "Bern")
    event = AuditEvent.objects.get(organization=organization, action="settings_changed")
    assert event.details == {
        "changed": {"name": [old_name, "New Name"], "town": ["Zürich", "Bern"]}
    }


def test_update_tax_id_to_one_taken_is_refused() -> None:
    # given
    other = make_organization()
    admin = admin_of()
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        services.organization_update(
            organization=admin.organization, actor=admin.user, ip=None, tax_id=other.tax_id
        )
    # then
    assert caught.value.code == "tax-id-taken"
    assert snapshot() == before


def test_update_needs_organization_manage() -> None:
    # given
    member = make_membership(role=Role.ACCOUNTANT)
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied) as caught:
        services.organization_update(
            organization=member.organization, actor=member.user, ip=None, name="X"
        )
    # then
    assert caught.value.code == "permission-denied"
    assert snapshot() == before


def test_update_refuses_unknown_fields() -> None:
    # given
    admin = admin_of()
    # when
    with pytest.raises(Invalid) as caught:
        services.organization_update(
            organization=admin.organization, actor=admin.user, ip=None, slug="x"
        )
    # then
    assert caught.value.code == "unknown-field"


def test_require_mfa_is_set_and_audited_as_security() -> None:
    # given
    admin = admin_of()
    # when
    services.organization_set_require_mfa(
        organization=admin.organization, actor=admin.user, require_mfa=True, ip=None
    )
    # then
    admin.organization.refresh_from_db()
    assert admin.organization.require_mfa is True
    event = AuditEvent.objects.get(organization=admin.organization, category="security")
    assert (event.action, event.details) == ("mfa_requirement_changed", {"require_mfa": True})


def test_locked_admin_cannot_change_settings() -> None:
    # given
    admin = admin_of()
    admin.status = Membership.Status.LOCKED
    admin.save()
    # when / then
    with pytest.raises(PermissionDenied):
        services.organization_set_require_mfa(
            organization=admin.organization, actor=admin.user, require_mfa=True, ip=None
        )
    assert Permission.ORGANIZATION_MANAGE in admin.permission_set
