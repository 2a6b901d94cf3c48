"""An invitee without an account: sign up from the link, verify by code, come back, join."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Membership
from tests.hub.factories import admin_of
from tests.hub.helpers import code_from_mail

pytestmark = pytest.mark.django_db


def test_invitee_signs_up_verifies_by_code_and_is_brought_back_to_accept() -> None:
    # given
    cache.clear()  # allauth's rate limits count in the shared cache
    admin = admin_of()
    _invitation, raw = services.invitation_create(
        organization=admin.organization, actor=admin.user, email="fresh@example.test", ip=None
    )
    landing = reverse("web:invitation_landing", kwargs={"token": raw})
    client = Client()
    signup_url = client.get(landing).context["signup_url"]
    assert client.get(signup_url).context["form"]["email"].value() == "fresh@example.test"
    # when
    mail.outbox.clear()
    signup = client.post(
        signup_url,
        {
            "email": "fresh@example.test",
            "first_name": "Fresh",
            "last_name": "Person",
            "password1": "a-Long-and-unusual-pass-42",
            "password2": "a-Long-and-unusual-pass-42",
            "accept_terms": "on",
        },
    )
    verified = client.post(signup["Location"], {"code": code_from_mail("fresh@example.test")})
    # then
    assert verified.status_code == 302
    assert verified["Location"] == landing
    client.post(landing)
    joined = Membership.objects.get(
        organization=admin.organization, user__email="fresh@example.test"
    )
    assert joined.is_active
