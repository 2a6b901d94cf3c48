"""Invitations: create (e-mail in the invitee's language), resend, revoke, accept."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from ledgerbridge.hub.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.models import AuditEvent, Invitation, Membership
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import (
    admin_of,
    make_membership,
    make_organization,
    make_user,
    verified_user,
)
from tests.hub.helpers import snapshot

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from typing import TypeAlias

    CaptureOnCommit: TypeAlias = Callable[..., AbstractContextManager[list[Callable[[], object]]]]


pytestmark = pytest.mark.django_db


def _invite(
    admin: Membership, email: str = "new@example.test", **kw: Any
) -> tuple[Invitation, str]:
    return services.invitation_create(
        organization=admin.organization,
        actor=admin.user,
        email=email,
        salutation=kw.pop("salutation", "ms"),
        first_name="Anna",
        last_name="Muster",
        ip="192.0.2.5",
        **kw,
    )


def test_invitation_stores_only_the_hash_and_mails_the_link(
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    # given
    admin = admin_of()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = _invite(admin)
    # then
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert (invitation.role, invitation.permissions) == (
        "employee",
        ["documents.view", "documents.upload"],
    )
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert invitation.sent_count == 1
    (message,) = mail.outbox
    assert message.to == ["new@example.test"]
    assert message.subject == f"You are invited to join {admin.organization.name} on ledgerbridge"
    assert f"http://127.0.0.1:8000/invite/{raw}" in message.body
    assert message.body.startswith("Dear Ms Muster,")
    html, mimetype = message.alternatives[0]  # type: ignore[attr-defined]  # EmailMultiAlternatives
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000/invite/{raw}"' in str(html)
    event = AuditEvent.objects.get(action="invited")
    assert event.details["email"] == "new@example.test"


def test_invitation_mail_is_in_the_existing_accounts_language(
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    # given
    admin = admin_of()
    make_user(email="klaus@example.test", language="de")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, email="Klaus@Example.test")
    # then
    (message,) = mail.outbox
    assert message.to == ["klaus@example.test"]
    assert message.extra_headers["Content-Language"] == "de"
    assert Invitation.objects.get().language == "de"


def test_inviter_choice_of_language_wins(
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    # given
    admin = admin_of()
    make_user(email="klaus@example.test", language="de")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, email="klaus@example.test", language="fr")
    # then
    assert Invitation.objects.get().language == "fr"
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "fr"


@pytest.mark.parametrize(
    ("kwargs", "error", "code"),
    [
        ({"email": "not-an-address"}, Invalid, "invalid-email"),
        ({"email": "a@b@example.test"}, Invalid, "invalid-email"),
        ({"role": "emperor"}, Invalid, "unknown-role"),
        ({"permissions": ["nope"]}, Invalid, "unknown-permission"),
        ({"salutation": "dr"}, Invalid, "invalid-salutation"),
    ],
)
def test_bad_invitation_input_is_refused(
    kwargs: dict[str, Any], error: type[Exception], code: str
) -> None:
    # given
    admin = admin_of()
    before = snapshot()
    # when
    with pytest.raises(error) as caught:
        _invite(admin, **kwargs)
    # then
    assert getattr(caught.value, "code", None) == code
    assert snapshot() == before
    assert mail.outbox == []


def test_inviting_a_member_or_a_pending_address_is_refused() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    _invite(admin, email="pending@example.test")
    before = snapshot()
    # when
    with pytest.raises(Conflict) as member_error:
        _invite(admin, email=member.user.email.upper())
    with pytest.raises(Conflict) as pending_error:
        _invite(admin, email="pending@example.test")
    # then
    assert (member_error.value.code, pending_error.value.code) == (
        "already-member",
        "invitation-pending",
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    "look_alike",
    [
        pytest.param("admin-a@\uff41.test", id="fullwidth-domain"),
        pytest.param('"admin-a"@a.test', id="quoted-local-part"),
        pytest.param("ADMIN-A@A.TEST.", id="case-and-trailing-dot"),
    ],
)
def test_inviting_a_look_alike_of_a_members_address_is_refused(look_alike: str) -> None:
    # given
    admin = admin_of(email="admin-a@a.test")
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        _invite(admin, email=look_alike)
    # then
    assert caught.value.code == "already-member"
    assert snapshot() == before


def test_an_invitation_stores_the_address_in_its_one_spelling() -> None:
    # given
    admin = admin_of()
    # when
    invitation, _raw = _invite(admin, email='"Nina"@M\u00fcller.\uff54est')
    # then
    assert invitation.email == "nina@xn--mller-kva.test"


def test_only_users_managers_invite() -> None:
    # given
    member = make_membership(role=Role.ACCOUNTANT)
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied):
        _invite(member)
    # then
    assert snapshot() == before


def test_accept_makes_a_membership_with_the_invited_rights() -> None:
    # given
    admin = admin_of()
    invitation, raw = _invite(admin, role="accountant", permissions=["documents.view"])
    user = verified_user(email="new@example.test", first_name="", last_name="")
    # when
    membership = services.invitation_accept(raw_token=raw, user=user, ip="192.0.2.7")
    # then
    assert (membership.organization, membership.role, membership.permissions) == (
        admin.organization,
        "accountant",
        ["documents.view"],
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.status == "accepted"
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Anna", "Muster")
    event = AuditEvent.objects.get(action="invitation_accepted")
    assert (event.actor, event.subject_user, event.ip) == (user, user, "192.0.2.7")


def test_accept_twice_says_used_and_changes_nothing() -> None:
    # given
    admin = admin_of()
    _invitation, raw = _invite(admin)
    user = verified_user(email="new@example.test")
    services.invitation_accept(raw_token=raw, user=user, ip=None)
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        services.invitation_accept(raw_token=raw, user=user, ip=None)
    # then
    assert caught.value.code == "invitation-used"
    assert snapshot() == before


def test_expired_invitation_is_refused() -> None:
    # given
    admin = admin_of()
    invitation, raw = _invite(admin)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    user = verified_user(email="new@example.test")
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        services.invitation_accept(raw_token=raw, user=user, ip=None)
    # then
    assert caught.value.code == "invitation-expired"
    assert snapshot() == before


def test_revoked_invitation_is_refused() -> None:
    # given
    admin = admin_of()
    invitation, raw = _invite(admin)
    services.invitation_revoke(invitation=invitation, actor=admin.user, ip=None)
    user = verified_user(email="new@example.test")
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        services.invitation_accept(raw_token=raw, user=user, ip=None)
    with pytest.raises(Conflict) as again:
        services.invitation_revoke(invitation=invitation, actor=admin.user, ip=None)
    # then
    assert (caught.value.code, again.value.code) == ("invitation-revoked", "invitation-revoked")
    assert snapshot() == before


def test_accept_needs_the_invited_address_verified() -> None:
    # given
    admin = admin_of()
    _invitation, raw = _invite(admin)
    stranger = verified_user(email="other@example.test")
    unverified = make_user(email="new@example.test")
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied) as mismatch:
        services.invitation_accept(raw_token=raw, user=stranger, ip=None)
    with pytest.raises(PermissionDenied) as not_verified:
        services.invitation_accept(raw_token=raw, user=unverified, ip=None)
    # then
    assert mismatch.value.code == not_verified.value.code == "invitation-email-mismatch"
    assert snapshot() == before


def test_unknown_token_is_not_found() -> None:
    # given
    user = verified_user()
    # when
    with pytest.raises(NotFound) as caught:
        services.invitation_accept(raw_token="made-up", user=user, ip=None)
    # then
    assert caught.value.code == "invitation-not-found"


def test_resend_kills_the_old_link_and_counts(
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    # given
    admin = admin_of()
    invitation, old = _invite(admin)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        new = services.invitation_resend(invitation=invitation, actor=admin.user, ip=None)
    # then
    assert new != old
    assert invitation.sent_count == 2
    assert [f"/invite/{old}" in m.body for m in mail.outbox] == [True, False]
    assert f"/invite/{new}" in mail.outbox[1].body
    with pytest.raises(NotFound):
        selectors.invitation_from_token(raw_token=old)
    assert selectors.invitation_from_token(raw_token=new) == invitation
    assert AuditEvent.objects.filter(action="invitation_resent").count() == 1


def test_resend_of_an_accepted_invitation_is_refused() -> None:
    # given
    admin = admin_of()
    invitation, raw = _invite(admin)
    services.invitation_accept(raw_token=raw, user=verified_user(email="new@example.test"), ip=None)
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        services.invitation_resend(invitation=invitation, actor=admin.user, ip=None)
    # then
    assert caught.value.code == "invitation-used"
    assert snapshot() == before


def test_already_member_cannot_accept_again() -> None:
    # given
    admin = admin_of()
    user = verified_user(email="new@example.test")
    _invitation, raw = _invite(admin)
    Membership.objects.create(organization=admin.organization, user=user, role="employee")
    before = snapshot()
    # when
    with pytest.raises(Conflict) as caught:
        services.invitation_accept(raw_token=raw, user=user, ip=None)
    # then
    assert caught.value.code == "already-member"
    assert snapshot() == before


def test_invitation_mail_is_translated(
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    # given
    admin = admin_of(organization=make_organization(name="Muster AG"))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, email="hans@example.test", language="de")
    # then
    (message,) = mail.outbox
    assert message.subject == "Sie sind eingeladen, Muster AG auf ledgerbridge beizutreten"
    html, _mimetype = message.alternatives[0]  # type: ignore[attr-defined]  # EmailMultiAlternatives
    assert "Einladung annehmen" in str(html)


@pytest.mark.parametrize(
    ("language", "salutation", "greeting"),
    [
        ("en", "ms", "Dear Ms Muster,"),
        ("de", "ms", "Sehr geehrte Frau Muster,"),
        ("fr", "ms", "Madame Muster,"),
        ("pl", "ms", "Szanowna Pani Muster,"),
        ("en", "mr", "Dear Mr Muster,"),
        ("de", "mr", "Sehr geehrter Herr Muster,"),
        ("fr", "mr", "Monsieur Muster,"),
        ("pl", "mr", "Szanowny Panie Muster,"),
        ("en", "mx", "Dear Mx Anna Muster,"),
        ("de", "", "Guten Tag Anna Muster,"),
    ],
)
def test_invitation_mail_opens_with_the_salutation(
    django_capture_on_commit_callbacks: CaptureOnCommit,
    language: str,
    salutation: str,
    greeting: str,
) -> None:
    # given
    admin = admin_of()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, email="anna@example.test", language=language, salutation=salutation)
    # then
    (message,) = mail.outbox
    assert str(message.body).splitlines()[0] == greeting
    assert isinstance(message, EmailMultiAlternatives)
    html, _mimetype = message.alternatives[0]
    assert f"<p>{greeting}</p>" in str(html)
