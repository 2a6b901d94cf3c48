"""The dashboard, the organization switcher, onboarding, settings and the lock middleware."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ledgerbridge.hub.identity.models import AuditEvent, Membership, Organization
from ledgerbridge.hub.identity.permissions import Role
from ledgerbridge.hub.web.middleware import SESSION_KEY
from tests.hub.factories import admin_of, make_membership, make_organization, verified_user
from tests.hub.helpers import client_for

pytestmark = pytest.mark.django_db


def test_home_shows_the_current_organization_to_a_member() -> None:
    # given
    membership = make_membership(organization__name="Alpen Treuhand AG")
    # when
    response = client_for(membership).get(reverse("web:home"))
    # then
    assert response.status_code == 200
    assert "Alpen Treuhand AG" in response.content.decode()
    assert response.context["organization"] == membership.organization


def test_home_sends_anonymous_visitors_to_the_login_page() -> None:
    # when
    response = Client().get(reverse("web:home"))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_sends_a_user_without_organization_to_onboarding() -> None:
    # given
    client = Client()
    client.force_login(verified_user())
    # when
    response = client.get(reverse("web:home"))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:organization_create")


def test_switch_changes_the_current_organization_to_one_of_ones_own() -> None:
    # given
    first = make_membership(organization__name="A first")
    second = make_membership(user=first.user, organization__name="B second")
    client = client_for(first)
    # when
    response = client.post(
        reverse("web:organization_switch"), {"organization": second.organization_id}
    )
    # then
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == second.organization_id
    assert client.get(reverse("web:home")).context["organization"] == second.organization


def test_switch_to_a_foreign_organization_changes_nothing() -> None:
    # given
    mine = make_membership()
    foreign = make_organization()
    client = client_for(mine)
    # when
    client.post(reverse("web:organization_switch"), {"organization": foreign.pk})
    # then
    assert SESSION_KEY not in client.session
    assert client.get(reverse("web:home")).context["organization"] == mine.organization


def test_switch_refuses_get() -> None:
    # given
    client = client_for(make_membership())
    # when
    response = client.get(reverse("web:organization_switch"))
    # then
    assert response.status_code == 405


def test_a_locked_member_is_refused_on_the_very_next_request() -> None:
    # given
    membership = make_membership()
    client = client_for(membership)
    assert client.get(reverse("web:home")).status_code == 200
    # when
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.LOCKED)
    response = client.get(reverse("web:home"))
    # then
    assert response.status_code == 403
    assert "Access locked" in response.content.decode()


def test_a_locked_member_still_reaches_another_active_organization() -> None:
    # given
    locked = make_membership(status=Membership.Status.LOCKED, organization__name="A locked")
    other = make_membership(user=locked.user, organization__name="B open")
    client = client_for(locked)
    session = client.session
    session[SESSION_KEY] = locked.organization_id
    session.save()
    assert client.get(reverse("web:home")).status_code == 403
    # when
    client.post(reverse("web:organization_switch"), {"organization": other.organization_id})
    response = client.get(reverse("web:home"))
    # then
    assert response.status_code == 200
    assert response.context["organization"] == other.organization


def test_onboarding_creates_the_organization_and_makes_the_user_its_admin() -> None:
    # given
    user = verified_user()
    client = Client()
    client.force_login(user)
    data = {
        "name": "Neue Firma GmbH",
        "kind": "company",
        "country": "CH",
        "tax_id": "CHE-116.281.710",
        "street": "Weg",
        "building_number": "3",
        "postal_code": "3000",
        "town": "Bern",
    }
    # when
    response = client.post(reverse("web:organization_create"), data)
    # then
    assert response.status_code == 302
    organization = Organization.objects.get(name="Neue Firma GmbH")
    assert organization.tax_id == "CHE116281710"
    membership = Membership.objects.get(organization=organization, user=user)
    assert membership.role == Role.ADMIN
    assert client.session[SESSION_KEY] == organization.pk


def test_onboarding_shows_the_expected_shape_for_a_wrong_tax_id_and_creates_nothing() -> None:
    # given
    client = Client()
    client.force_login(verified_user())
    data = {"name": "Falsch AG", "kind": "company", "country": "CH", "tax_id": "CHE-116.281.711"}
    # when
    response = client.post(reverse("web:organization_create"), data)
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["tax_id"] == ["A Swiss UID looks like CHE-123.456.789."]
    assert not Organization.objects.filter(name="Falsch AG").exists()


def test_onboarding_refuses_a_tax_id_already_registered() -> None:
    # given
    existing = make_organization(country="CH", tax_id="CHE116281710")
    client = Client()
    client.force_login(verified_user())
    data = {"name": "Copy AG", "kind": "company", "country": "CH", "tax_id": "CHE-116.281.710"}
    # when
    response = client.post(reverse("web:organization_create"), data)
    # then
    assert "tax_id" in response.context["form"].errors
    assert list(Organization.objects.values_list("pk", flat=True)) == [existing.pk]


def test_settings_need_organization_manage() -> None:
    # given
    client = client_for(make_membership(role=Role.ACCOUNTANT))
    # when
    response = client.get(reverse("web:organization_settings"))
    # then
    assert response.status_code == 403


def test_settings_save_name_address_and_the_mfa_requirement() -> None:
    # given
    admin = admin_of()
    client = client_for(admin)
    data = {
        "name": "Renamed AG",
        "street": "Neugasse",
        "building_number": "9",
        "postal_code": "9000",
        "town": "St. Gallen",
        "require_mfa": "on",
    }
    # when
    response = client.post(reverse("web:organization_settings"), data)
    # then
    assert response.status_code == 302
    organization = Organization.objects.get(pk=admin.organization_id)
    assert (organization.name, organization.town, organization.require_mfa) == (
        "Renamed AG",
        "St. Gallen",
        True,
    )
    actions = set(
        AuditEvent.objects.filter(organization=organization).values_list("action", flat=True)
    )
    assert {"settings_changed", "mfa_requirement_changed"} <= actions


def test_settings_with_an_empty_name_show_an_error_and_change_nothing() -> None:
    # given
    admin = admin_of()
    before = Organization.objects.get(pk=admin.organization_id)
    client = client_for(admin)
    # when
    response = client.post(reverse("web:organization_settings"), {"name": "", "require_mfa": "on"})
    # then
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    after = Organization.objects.get(pk=admin.organization_id)
    assert (after.name, after.require_mfa) == (before.name, before.require_mfa)
