"""An invitee follows the link: sign up (or log in) and join, with nothing else to click.

The landing page keeps the invitation in the session; the sign-up form is pre-filled with
the names the admin typed and the invited address, which cannot be changed; the e-mailed
code (or the login of an existing account) makes the person a member and lands them in
the organization, and the link is used up.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ledgerbridge.hub.identity.models import Invitation, Membership, User
from ledgerbridge.hub.web.middleware import SESSION_KEY
from tests.hub.factories import PASSWORD, admin_of, make_invitation, verified_user
from tests.hub.helpers import code_from_mail

pytestmark = pytest.mark.django_db

_NEW_PASSWORD = "a-Long-and-unusual-pass-42"


def _sign_up(client: Client, email: str) -> str:
    """Post the sign-up form (first name left as pre-filled); return where it leads."""
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "first_name": "Anna",
            "last_name": "Muster",
            "password1": _NEW_PASSWORD,
            "password2": _NEW_PASSWORD,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def test_signup_from_the_link_is_prefilled_with_the_invited_names_and_address() -> None:
    # given
    admin = admin_of()
    _invitation, raw = make_invitation(
        admin, "anna@example.test", salutation="ms", first_name="Anna", last_name="Muster"
    )
    client = Client()
    landing = client.get(reverse("web:invitation_landing", kwargs={"token": raw}))
    # when
    form = client.get(landing.context["next_url"]).context["form"]
    # then
    assert landing.context["next_url"] == reverse("account_signup")
    assert form["email"].value() == "anna@example.test"
    assert form["first_name"].value() == "Anna"
    assert form["last_name"].value() == "Muster"
    assert form.fields["email"].disabled is True


def test_invitee_joins_on_verification_without_another_click() -> None:
    # given
    cache.clear()  # allauth's rate limits count in the shared cache
    admin = admin_of()
    invitation, raw = make_invitation(admin, "fresh@example.test")
    client = Client()
    client.get(reverse("web:invitation_landing", kwargs={"token": raw}))
    mail.outbox.clear()
    verify_url = _sign_up(client, "fresh@example.test")
    # when
    verified = client.post(verify_url, {"code": code_from_mail("fresh@example.test")})
    # then
    assert verified.status_code == 302
    assert verified["Location"] == reverse("web:home")
    joined = Membership.objects.get(
        organization=admin.organization, user__email="fresh@example.test"
    )
    assert joined.is_active
    assert client.session[SESSION_KEY] == admin.organization_id
    invitation.refresh_from_db()
    assert invitation.accepted_by == joined.user


def test_the_invited_address_cannot_be_swapped_at_signup() -> None:
    # given
    cache.clear()
    admin = admin_of()
    _invitation, raw = make_invitation(admin, "invited@example.test")
    client = Client()
    client.get(reverse("web:invitation_landing", kwargs={"token": raw}))
    # when
    _sign_up(client, "somebody.else@example.test")
    # then
    assert list(
        User.objects.filter(email__endswith="@example.test")
        .exclude(pk=admin.user_id)
        .values_list("email", flat=True)
    ) == ["invited@example.test"]


def test_existing_account_joins_on_login_through_the_link() -> None:
    # given
    cache.clear()
    admin = admin_of()
    invitation, raw = make_invitation(admin, "known@example.test")
    known = verified_user(email="known@example.test")
    client = Client()
    landing = client.get(reverse("web:invitation_landing", kwargs={"token": raw}))
    # when
    response = client.post(
        landing.context["next_url"], {"login": "known@example.test", "password": PASSWORD}
    )
    # then
    assert landing.context["next_url"] == reverse("account_login")
    assert response["Location"] == reverse("web:home")
    assert Membership.objects.get(organization=admin.organization, user=known).is_active
    invitation.refresh_from_db()
    assert invitation.accepted_by == known


def test_the_invitation_is_consumed_once() -> None:
    # given: the invitee joined through the link, logs out and logs in again
    cache.clear()
    admin = admin_of()
    _invitation, raw = make_invitation(admin, "once@example.test")
    known = verified_user(email="once@example.test")
    client = Client()
    client.get(reverse("web:invitation_landing", kwargs={"token": raw}))
    client.post(reverse("account_login"), {"login": "once@example.test", "password": PASSWORD})
    client.post(reverse("account_logout"))
    # when
    again = client.post(
        reverse("account_login"), {"login": "once@example.test", "password": PASSWORD}
    )
    # then
    assert again.status_code == 302
    assert Membership.objects.filter(user=known).count() == 1
    assert Invitation.objects.get(email="once@example.test").accepted_by == known
