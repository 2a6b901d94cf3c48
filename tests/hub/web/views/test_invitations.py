"""Inviting people, resending and revoking, and the landing page of the e-mailed link."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Invitation, Membership
from ledgerbridge.hub.identity.permissions import Role
from ledgerbridge.hub.web.middleware import SESSION_KEY
from tests.hub.factories import admin_of, make_invitation, make_membership, verified_user
from tests.hub.helpers import client_for

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

pytestmark = pytest.mark.django_db


def test_invite_form_creates_the_invitation_and_sends_the_mail(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    # given
    admin = admin_of()
    data = {
        "salutation": "ms",
        "first_name": "Anna",
        "last_name": "Muster",
        "email": "anna@example.test",
        "role": "employee",
        "permissions": ["documents.view", "documents.upload"],
    }
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(reverse("web:invitation_create"), data)
    # then
    assert response.status_code == 302
    invitation = Invitation.objects.get(organization=admin.organization)
    assert (invitation.email, invitation.first_name, invitation.role) == (
        "anna@example.test",
        "Anna",
        "employee",
    )
    assert [m.to for m in mail.outbox] == [["anna@example.test"]]


def test_invite_form_prefills_the_employee_preset() -> None:
    # when
    response = client_for(admin_of()).get(reverse("web:invitation_create"))
    # then
    form = response.context["form"]
    assert form["role"].value() == "employee"
    assert sorted(form["permissions"].value()) == ["documents.upload", "documents.view"]


def test_inviting_an_existing_member_is_a_form_error_and_creates_nothing() -> None:
    # given
    admin = admin_of()
    data = {"email": admin.user.email, "role": "employee", "permissions": ["documents.view"]}
    # when
    response = client_for(admin).post(reverse("web:invitation_create"), data)
    # then
    assert response.status_code == 422
    assert response.context["form"].errors["email"] == ["This person is already a member."]
    assert not Invitation.objects.exists()


def test_inviting_with_a_bad_address_is_a_form_error() -> None:
    # when
    response = client_for(admin_of()).post(
        reverse("web:invitation_create"), {"email": "not-an-address", "role": "employee"}
    )
    # then
    assert response.status_code == 422
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_invite_needs_users_manage() -> None:
    # when
    response = client_for(make_membership()).get(reverse("web:invitation_create"))
    # then
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["web:invitation_resend", "web:invitation_revoke"])
def test_foreign_invitations_answer_404(name: str) -> None:
    # given
    foreign, _raw = make_invitation(admin_of(), "anna@example.test")
    # when
    response = client_for(admin_of()).post(reverse(name, kwargs={"invitation_id": foreign.pk}))
    # then
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.revoked_at, foreign.sent_count) == (None, 1)


def test_resend_issues_a_new_link_and_kills_the_old_one() -> None:
    # given
    admin = admin_of()
    invitation, old = make_invitation(admin, "anna@example.test")
    # when
    response = client_for(admin).post(
        reverse("web:invitation_resend", kwargs={"invitation_id": invitation.pk})
    )
    # then
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    landing = Client().get(reverse("web:invitation_landing", kwargs={"token": old}))
    assert landing.status_code == 404


def test_revoke_asks_then_revokes() -> None:
    # given
    admin = admin_of()
    invitation, _raw = make_invitation(admin, "anna@example.test")
    client = client_for(admin)
    url = reverse("web:invitation_revoke", kwargs={"invitation_id": invitation.pk})
    # when
    assert client.get(url).status_code == 200
    client.post(url)
    # then
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_landing_logged_out_says_who_invites_whom_to_what_with_one_way_on() -> None:
    # given
    admin = admin_of(first_name="Vera", last_name="Verwalterin")
    _invitation, raw = make_invitation(
        admin, "new.person@example.test", first_name="Nora", last_name="Neu", role=Role.ACCOUNTANT
    )
    # when
    response = Client().get(reverse("web:invitation_landing", kwargs={"token": raw}))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        f"<strong>Vera Verwalterin</strong> invites you to join "
        f"<strong>{admin.organization.name}</strong> as Accountant." in body
    )
    assert "Nora Neu<br>new.person@example.test" in body
    assert body.count('href="/accounts/signup/"') == 1
    assert 'href="/accounts/login/"' not in body


def test_landing_logged_in_accepts_and_lands_in_the_organization() -> None:
    # given
    admin = admin_of()
    invitation, raw = make_invitation(admin, "joiner@example.test")
    joiner = verified_user(email="joiner@example.test")
    client = Client()
    client.force_login(joiner)
    url = reverse("web:invitation_landing", kwargs={"token": raw})
    # when
    assert client.get(url).status_code == 200
    response = client.post(url)
    # then
    assert response["Location"] == reverse("web:home")
    membership = Membership.objects.get(organization=admin.organization, user=joiner)
    assert membership.role == Role.EMPLOYEE
    assert client.session[SESSION_KEY] == admin.organization_id
    assert client.get(reverse("web:home")).context["organization"] == admin.organization
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_landing_for_another_address_explains_and_changes_nothing() -> None:
    # given
    admin = admin_of()
    _invitation, raw = make_invitation(admin, "someone@example.test")
    client = Client()
    client.force_login(verified_user(email="other@example.test"))
    # when
    response = client.post(reverse("web:invitation_landing", kwargs={"token": raw}))
    # then
    assert response.status_code == 409
    assert response.context["error"].code == "invitation-email-mismatch"
    assert Membership.objects.filter(organization=admin.organization).count() == 1


@pytest.mark.parametrize(
    ("close", "code", "title"),
    [
        ("expire", "invitation-expired", "This invitation has expired"),
        ("revoke", "invitation-revoked", "This invitation has been revoked"),
        ("accept", "invitation-used", "This invitation has already been used"),
    ],
)
def test_landing_of_a_closed_link_names_the_reason_and_changes_nothing(
    close: str, code: str, title: str
) -> None:
    # given
    admin = admin_of()
    invitation, raw = make_invitation(admin, "late@example.test")
    if close == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif close == "revoke":
        services.invitation_revoke(invitation=invitation, actor=admin.user, ip=None)
    else:
        services.invitation_accept(
            raw_token=raw, user=verified_user(email="late@example.test"), ip=None
        )
    members_before = Membership.objects.count()
    client = Client()
    client.force_login(verified_user(email="late2@example.test"))
    # when
    response = client.post(reverse("web:invitation_landing", kwargs={"token": raw}))
    # then
    assert response.status_code == 410
    assert response.context["error"].code == code
    assert title in response.content.decode()
    assert Membership.objects.count() == members_before


def test_landing_of_an_unknown_token_is_404() -> None:
    # when
    response = Client().get(reverse("web:invitation_landing", kwargs={"token": "nope"}))
    # then
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()
