"""Member management pages: list, detail, permissions, lock, unlock, remove."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Membership
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Role
from tests.hub.factories import admin_of, make_membership, make_memberships
from tests.hub.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("web:member_detail", "get"),
        ("web:member_permissions", "post"),
        ("web:member_lock", "post"),
        ("web:member_unlock", "post"),
        ("web:member_delete", "post"),
    ],
)
def test_member_pages_answer_404_for_a_member_of_another_organization(
    name: str, method: str
) -> None:
    # given
    admin = admin_of()
    foreign = make_membership()
    url = reverse(name, kwargs={"membership_id": foreign.pk})
    # when
    response = getattr(client_for(admin), method)(url)
    # then
    assert response.status_code == 404
    assert Membership.objects.get(pk=foreign.pk).status == Membership.Status.ACTIVE


@pytest.mark.parametrize(
    "name",
    ["web:member_detail", "web:member_lock", "web:member_unlock", "web:member_delete"],
)
def test_member_pages_need_users_manage(name: str) -> None:
    # given
    accountant = make_membership(role=Role.ACCOUNTANT)
    colleague = make_membership(organization=accountant.organization)
    # when
    response = client_for(accountant).get(reverse(name, kwargs={"membership_id": colleague.pk}))
    # then
    assert response.status_code == 403


def test_member_list_needs_users_manage() -> None:
    # when
    response = client_for(make_membership()).get(reverse("web:member_list"))
    # then
    assert response.status_code == 403


def test_member_list_shows_members_and_pending_invitations_with_their_status() -> None:
    # given
    admin = admin_of(first_name="Ada", last_name="Admin")
    make_membership(
        organization=admin.organization, status=Membership.Status.LOCKED, user__last_name="Zed"
    )
    services.invitation_create(
        organization=admin.organization, actor=admin.user, email="new@example.test", ip=None
    )
    # when
    response = client_for(admin).get(reverse("web:member_list"))
    # then
    rows = response.context["page"].object_list
    assert [(r["email"], r["status"]) for r in rows] == [
        ("new@example.test", "invited"),
        (admin.user.email, "active"),
        (rows[2]["email"], "locked"),
    ]


def test_member_list_searches_and_filters_by_status() -> None:
    # given
    admin = admin_of()
    make_membership(organization=admin.organization, user__email="zora@firma.test")
    make_membership(organization=admin.organization, user__email="max@firma.test")
    client = client_for(admin)
    # when
    found = client.get(reverse("web:member_list"), {"q": "zora"}).context["page"]
    invited = client.get(reverse("web:member_list"), {"status": "invited"}).context["page"]
    # then
    assert [r["email"] for r in found.object_list] == ["zora@firma.test"]
    assert list(invited.object_list) == []


def test_member_list_pages_by_10_by_default_and_by_the_chosen_size() -> None:
    # given
    admin = admin_of()
    make_memberships(11, organization=admin.organization)
    client = client_for(admin)
    # when
    default = client.get(reverse("web:member_list")).context["page"]
    larger = client.get(reverse("web:member_list"), {"per_page": 25}).context["page"]
    second = client.get(reverse("web:member_list"), {"page": 2}).context["page"]
    # then
    assert (len(default.object_list), default.paginator.num_pages) == (10, 2)
    assert (len(larger.object_list), larger.paginator.num_pages) == (12, 1)
    assert len(second.object_list) == 2


def test_member_list_answers_an_htmx_search_with_the_table_only() -> None:
    # given
    admin = admin_of()
    # when
    response = client_for(admin).get(
        reverse("web:member_list"),
        {"q": admin.user.email},
        headers={"HX-Request": "true", "HX-Target": "member-table"},
    )
    # then
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card flush" id="member-table">')
    assert admin.user.email in body
    assert "<html" not in body


def test_member_detail_shows_the_members_change_log() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    services.membership_lock(membership=member, actor=admin.user, ip="203.0.113.5")
    # when
    response = client_for(admin).get(
        reverse("web:member_detail", kwargs={"membership_id": member.pk})
    )
    # then
    assert response.status_code == 200
    assert [r["event"].action for r in response.context["log_rows"]] == ["locked"]
    assert "203.0.113.5" in response.content.decode()


def test_permissions_are_saved_from_the_editor() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    data = {"role": "accountant", "permissions": ["documents.view", "audit.view"]}
    # when
    response = client_for(admin).post(
        reverse("web:member_permissions", kwargs={"membership_id": member.pk}), data
    )
    # then
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.permissions) == ("accountant", ["documents.view", "audit.view"])


def test_demoting_the_last_admin_shows_the_error_and_changes_nothing() -> None:
    # given
    admin = admin_of()
    data = {"role": "employee", "permissions": ["documents.view"]}
    # when
    response = client_for(admin).post(
        reverse("web:member_permissions", kwargs={"membership_id": admin.pk}), data
    )
    # then
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "The organization needs at least one active administrator."
    ]
    admin.refresh_from_db()
    assert set(admin.permissions) == set(ROLE_PRESETS[Role.ADMIN])


def test_an_unknown_permission_is_a_form_error_and_changes_nothing() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    before = list(member.permissions)
    # when
    response = client_for(admin).post(
        reverse("web:member_permissions", kwargs={"membership_id": member.pk}),
        {"role": "employee", "permissions": ["documents.delete_everything"]},
    )
    # then
    assert response.status_code == 422
    assert "permissions" in response.context["form"].errors
    member.refresh_from_db()
    assert member.permissions == before


def test_lock_asks_for_confirmation_then_locks() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    client = client_for(admin)
    url = reverse("web:member_lock", kwargs={"membership_id": member.pk})
    # when
    question = client.get(url)
    done = client.post(url)
    # then
    assert question.status_code == 200
    assert Membership.objects.get(pk=member.pk).status == Membership.Status.LOCKED
    assert done.status_code == 302
    unlock = client.post(reverse("web:member_unlock", kwargs={"membership_id": member.pk}))
    assert unlock.status_code == 302
    assert Membership.objects.get(pk=member.pk).status == Membership.Status.ACTIVE


def test_locking_oneself_is_refused_with_a_message() -> None:
    # given
    admin = admin_of()
    client = client_for(admin)
    # when
    response = client.post(
        reverse("web:member_lock", kwargs={"membership_id": admin.pk}), follow=True
    )
    # then
    assert "You cannot lock yourself." in [str(m) for m in response.context["messages"]]
    assert Membership.objects.get(pk=admin.pk).status == Membership.Status.ACTIVE


def test_delete_removes_the_member() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    # when
    response = client_for(admin).post(
        reverse("web:member_delete", kwargs={"membership_id": member.pk})
    )
    # then
    assert response["Location"] == reverse("web:member_list")
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_locked_member_loses_access_at_once() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    member_client = client_for(member)
    assert member_client.get(reverse("web:home")).status_code == 200
    # when
    client_for(admin).post(reverse("web:member_lock", kwargs={"membership_id": member.pk}))
    # then
    assert member_client.get(reverse("web:home")).status_code == 403
