"""Acceptance D: bad input gets a specific answer and changes nothing else.

Every case takes a snapshot of the identity tables (row counts, the state of memberships,
invitations and tokens, every audit chain) before the bad request and compares it after:
a refusal must not leave half a change behind. Where a refusal is itself worth
recording (a failed login), the test names the one audit event it expects.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ledgerbridge.hub.core.errors import Conflict, Invalid, NotFound, PermissionDenied, ServiceError
from ledgerbridge.hub.identity import append_only, services
from ledgerbridge.hub.identity.models import (
    AuditEvent,
    Invitation,
)
from tests.hub.factories import PASSWORD, tenant, verified_user
from tests.hub.helpers import code_from_mail, identity_state, totp_at

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.test import Client

pytestmark = [pytest.mark.django_db]


def _refused(call: Callable[[], object], error: type[ServiceError], code: str) -> ServiceError:
    """Run ``call``, expecting ``error`` with ``code``; assert that nothing changed."""
    before = identity_state()
    with pytest.raises(error) as caught:
        call()
    assert caught.value.code == code
    assert identity_state() == before
    return caught.value


# --- tax IDs ---------------------------------------------------------------------------

BAD_TAX_IDS = [
    # (country, a wrong number, the shape the message must name)
    ("CH", "CHE-116.281.711", "CHE-123.456.789"),  # check digit
    ("CH", "CHE-116.281", "CHE-123.456.789"),  # too short
    ("PL", "123-456-32-19", "123-456-32-18"),
    ("PL", "12345", "123-456-32-18"),
    ("DE", "DE136695977", "DE123456789"),
    ("DE", "DE13669597", "DE123456789"),
    ("AT", "ATU13585628", "ATU12345678"),
    ("AT", "AT13585627", "ATU12345678"),  # the U is missing
    ("BE", "BE0403019262", "BE0123456789"),
    ("BE", "BE04030192", "BE0123456789"),
    ("FR", "FR40303265046", "FR12345678901"),
    ("FR", "FRXX303265045", "FR12345678901"),
    ("IT", "IT00743110158", "IT12345678901"),
    ("IT", "IT0074311015", "IT12345678901"),
    ("GB", "GB980780685", "GB123456789"),
    ("GB", "GB98078068", "GB123456789"),
]


@pytest.mark.parametrize(("country", "tax_id", "shape"), BAD_TAX_IDS)
def test_invalid_tax_id_names_the_expected_shape_and_creates_nothing(
    country: str, tax_id: str, shape: str
) -> None:
    # given a verified user who wants to create an organization
    user = verified_user("founder@example.com")

    # when the tax ID is wrong for the country
    error = _refused(
        lambda: services.organization_create(
            name="Bad Number GmbH",
            kind="company",
            country=country,
            tax_id=tax_id,
            creator=user,
            ip=None,
        ),
        Invalid,
        "invalid-tax-id",
    )

    # then the message shows the expected shape
    assert shape in str(error)


@pytest.mark.parametrize(("country", "tax_id", "shape"), BAD_TAX_IDS[::2])
def test_api_refuses_an_invalid_tax_id_with_its_code(
    client: Client, country: str, tax_id: str, shape: str
) -> None:
    # given an organization's admin calling the API with a token
    alpha = tenant("alpha")
    before = identity_state()

    # when they change the tax ID to a wrong one
    response = client.patch(
        "/api/v1/organization",
        {"country": country, "tax_id": tax_id},
        content_type="application/json",
        headers={"Authorization": f"Bearer {alpha.admin_token}"},
    )

    # then the answer is 422 invalid-tax-id naming the shape, and nothing changed
    assert response.status_code == 422
    assert response.json()["code"] == "invalid-tax-id"
    assert shape in response.json()["message"]
    assert identity_state() == before


def test_taken_tax_id_in_another_spelling_is_a_conflict() -> None:
    # given an organization registered with a Swiss UID
    first = tenant("alpha")
    written_differently = first.organization.tax_id.replace("CHE", "che ").lower()

    # when someone registers the same number spelled differently
    intruder = verified_user("copycat@example.com")
    error = _refused(
        lambda: services.organization_create(
            name="Copycat AG",
            kind="company",
            country="CH",
            tax_id=written_differently,
            creator=intruder,
            ip=None,
        ),
        Conflict,
        "tax-id-taken",
    )

    # then the answer says so
    assert "already registered" in str(error)


def test_web_onboarding_shows_the_tax_id_shape_and_creates_nothing(client: Client) -> None:
    # given a logged-in user without an organization
    user = verified_user("onboarding@example.com")
    client.force_login(user)
    before = identity_state()

    # when they submit the onboarding form with a wrong Polish NIP
    response = client.post(
        reverse("web:organization_create"),
        {"name": "Zla Firma", "kind": "company", "country": "PL", "tax_id": "123-456-32-19"},
    )

    # then the form comes back with the expected shape and nothing was created
    assert response.status_code == 200
    assert "123-456-32-18" in response.content.decode()
    assert identity_state() == before


# --- duplicate e-mails -----------------------------------------------------------------


def test_registration_with_a_taken_email_creates_no_second_account(client: Client) -> None:
    # given an existing account
    verified_user("taken@example.com")
    before = identity_state()
    mail.outbox.clear()

    # when somebody signs up with the same address (in other capitals)
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Taken@Example.com",
            "first_name": "Second",
            "last_name": "Person",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
        },
    )

    # then the page does not reveal that the account exists (it looks like a normal sign-up),
    # the owner is told by e-mail, and no account was created
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert identity_state() == before
    assert [m.to for m in mail.outbox] == [["taken@example.com"]]
    assert "already" in str(mail.outbox[0].body).lower()


def test_inviting_a_member_again_is_a_conflict() -> None:
    # given an organization with a member
    alpha = tenant("alpha")

    # when the admin invites the member's address (in capitals) again
    _refused(
        lambda: services.invitation_create(
            organization=alpha.organization,
            actor=alpha.admin,
            email=alpha.member.email.upper(),
            ip=None,
        ),
        Conflict,
        "already-member",
    )


def test_invite_form_names_a_member_already_there(client: Client) -> None:
    # given an admin logged in to the portal
    alpha = tenant("alpha")
    client.force_login(alpha.admin)
    before = identity_state()
    mail.outbox.clear()

    # when they invite the address of an existing member through the form
    response = client.post(
        reverse("web:invitation_create"),
        {"email": alpha.member.email, "role": "employee", "salutation": ""},
    )

    # then the form comes back (422) saying so, nothing changed and no e-mail went out
    assert response.status_code == 422
    assert "already a member" in response.content.decode()
    assert identity_state() == before
    assert mail.outbox == []


def test_api_invitation_of_a_pending_invitee_is_a_conflict(client: Client) -> None:
    # given an admin calling the API and a pending invitation
    alpha = tenant("alpha")
    before = identity_state()

    # when the same address is invited again
    response = client.post(
        "/api/v1/invitations",
        {"email": alpha.invitation.email},
        content_type="application/json",
        headers={"Authorization": f"Bearer {alpha.admin_token}"},
    )

    # then the answer is 409 invitation-pending and nothing changed
    assert (response.status_code, response.json()["code"]) == (409, "invitation-pending")
    assert identity_state() == before


def test_inviting_a_pending_invitee_again_is_a_conflict() -> None:
    # given an organization with a pending invitation
    alpha = tenant("alpha")

    # when the admin invites the same address again
    _refused(
        lambda: services.invitation_create(
            organization=alpha.organization,
            actor=alpha.admin,
            email=alpha.invitation.email,
            ip=None,
        ),
        Conflict,
        "invitation-pending",
    )


# --- invitation links ------------------------------------------------------------------


def _expire(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def _revoke(invitation: Invitation) -> None:
    admin = invitation.created_by
    assert admin is not None
    services.invitation_revoke(invitation=invitation, actor=admin, ip=None)


INVITATION_STATES: list[tuple[str, Callable[[Invitation], object], type[ServiceError], str]] = [
    ("expired", _expire, Conflict, "invitation-expired"),
    ("revoked", _revoke, Conflict, "invitation-revoked"),
]


@pytest.mark.parametrize(
    ("state", "make", "error", "code"), INVITATION_STATES, ids=[s[0] for s in INVITATION_STATES]
)
def test_closed_invitation_link_is_refused_with_its_reason(
    state: str, make: Callable[[Invitation], object], error: type[ServiceError], code: str
) -> None:
    # given an invitation that is no longer open, and its invitee with an account
    alpha = tenant("alpha")
    make(alpha.invitation)
    invitee = verified_user(alpha.invitation.email)

    # when the invitee follows the link
    # then the refusal names the reason and nothing changes
    _refused(
        lambda: services.invitation_accept(raw_token=alpha.invitation_token, user=invitee, ip=None),
        error,
        code,
    )


def test_used_invitation_link_cannot_be_used_again() -> None:
    # given an invitation that was accepted
    alpha = tenant("alpha")
    invitee = verified_user(alpha.invitation.email)
    services.invitation_accept(raw_token=alpha.invitation_token, user=invitee, ip=None)

    # when the link is used a second time (by anyone)
    # then it is refused as used
    _refused(
        lambda: services.invitation_accept(raw_token=alpha.invitation_token, user=invitee, ip=None),
        Conflict,
        "invitation-used",
    )


def test_link_replaced_by_a_resend_no_longer_works() -> None:
    # given an invitation that was sent again (with a new link)
    alpha = tenant("alpha")
    services.invitation_resend(invitation=alpha.invitation, actor=alpha.admin, ip=None)
    invitee = verified_user(alpha.invitation.email)

    # when the invitee uses the first link
    # then it is unknown
    _refused(
        lambda: services.invitation_accept(raw_token=alpha.invitation_token, user=invitee, ip=None),
        NotFound,
        "invitation-not-found",
    )


def test_invitation_for_another_address_is_refused() -> None:
    # given an invitation and a user with a different verified address
    alpha = tenant("alpha")
    stranger = verified_user("stranger@example.com")

    # when the stranger uses the link
    # then it is refused and the stranger does not become a member
    _refused(
        lambda: services.invitation_accept(
            raw_token=alpha.invitation_token, user=stranger, ip=None
        ),
        PermissionDenied,
        "invitation-email-mismatch",
    )


@pytest.mark.parametrize(
    ("state", "make", "reason"),
    [
        ("expired", _expire, "expired"),
        ("revoked", _revoke, "revoked"),
    ],
)
def test_invitation_page_names_the_reason_of_a_closed_link(
    client: Client, state: str, make: Callable[[Invitation], object], reason: str
) -> None:
    # given a closed invitation and its invitee, logged in
    alpha = tenant("alpha")
    make(alpha.invitation)
    client.force_login(verified_user(alpha.invitation.email))
    before = identity_state()

    # when the invitee opens and submits the link
    shown = client.get(f"/invite/{alpha.invitation_token}")
    posted = client.post(f"/invite/{alpha.invitation_token}")

    # then both answers name the reason and nothing changed
    assert reason in shown.content.decode().lower()
    assert posted.status_code in {200, 400, 409, 410}
    assert reason in posted.content.decode().lower()
    assert identity_state() == before


# --- verification codes and TOTP --------------------------------------------------------


def _sign_up(client: Client, email: str) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "first_name": "Nora",
            "last_name": "Newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_wrong_verification_code_is_refused(client: Client) -> None:
    # given somebody who just signed up
    _sign_up(client, "nora@example.com")
    right = code_from_mail("nora@example.com")
    wrong = "ZZZZ-ZZZZ" if right != "ZZZZ-ZZZZ" else "YYYY-YYYY"
    before = identity_state()

    # when they type a wrong code
    response = client.post("/accounts/confirm-email/", {"code": wrong})

    # then the form says the code is wrong and the address stays unverified
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert identity_state() == before
    assert EmailAddress.objects.get(email="nora@example.com").verified is False


def test_verification_code_cannot_be_used_twice(client: Client) -> None:
    # given somebody who verified their address with the code, then logged out
    _sign_up(client, "nora@example.com")
    code = code_from_mail("nora@example.com")
    assert client.post("/accounts/confirm-email/", {"code": code}).status_code == 302
    client.logout()
    before = identity_state()

    # when the same code is sent again (another browser, or after logging out)
    response = client.post("/accounts/confirm-email/", {"code": code})

    # then it does not log anybody in and changes nothing
    assert response.status_code in {302, 404}
    assert "_auth_user_id" not in client.session
    assert identity_state() == before


def test_wrong_totp_code_is_refused(client: Client) -> None:
    # given a user with an authenticator app who entered the right password
    user = verified_user("totp@example.com")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    before = identity_state()
    now = timezone.now().timestamp()
    right = {totp_at(secret, now + delta) for delta in (-30, 0, 30)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in right)

    # when they type a wrong code
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    # then they are not logged in, the form says why, and only a failure was recorded
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert "_auth_user_id" not in client.session
    after = identity_state()
    new_events = AuditEvent.objects.exclude(
        hash__in=[row[2] for row in before["audit"]]
    ).values_list("action", flat=True)
    assert set(new_events) <= {"login_failed", "mfa_failed"}
    assert {**after, "audit": []} == {**before, "audit": []}


# --- the audit chain -------------------------------------------------------------------


def test_tampered_audit_event_is_named_by_audit_verify() -> None:
    # given an organization with a few audit events, one of which is edited behind the ORM
    alpha = tenant("alpha")
    events = list(AuditEvent.objects.filter(organization=alpha.organization).order_by("seq"))
    assert len(events) >= 3
    victim = events[1]
    append_only.uninstall(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE identity_auditevent SET action = %s WHERE id = %s",
                ["nothing_happened", victim.pk],
            )
    finally:
        append_only.install(connection)
    before = identity_state()

    # when the operator runs `audit verify`
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", stdout=out, stderr=err)

    # then it fails (exit status 1) and names exactly the tampered event; nothing changed
    assert failed.value.returncode == 1
    report = out.getvalue() + err.getvalue()
    assert re.search(rf"\bevent {victim.pk}\b", report), report
    assert "hash-mismatch" in report
    assert identity_state() == before
    broken = services.audit_verify()
    assert [(b.event_id, b.reason) for b in broken] == [(victim.pk, "hash-mismatch")]


def test_untouched_chains_verify() -> None:
    # given two organizations with their histories
    tenant("alpha")
    tenant("beta")

    # when the operator runs `audit verify`
    out = StringIO()
    call_command("audit", "verify", stdout=out)

    # then every chain is intact
    assert out.getvalue().startswith("OK:")
    assert services.audit_verify() == []
