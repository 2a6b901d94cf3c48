"""The exchange setup wizard: three ways in, the organization, exchange users, the summary."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ledgerbridge.hub.exchange import services
from ledgerbridge.hub.identity.models import Invitation
from ledgerbridge.hub.identity.permissions import Permission, Role
from ledgerbridge.hub.web.middleware import SESSION_KEY
from tests.hub.factories import admin_of, make_link, make_membership, office_admin
from tests.hub.helpers import client_for, identity_state

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_the_start_offers_the_three_ways_in() -> None:
    # when a visitor opens the wizard
    response = Client().get(reverse("web:setup_start"))
    # then
    page = _text(response)
    for title in ("I already have an account", "I need to register", "I was invited"):
        assert title in page
    assert (
        response.context["have_account"]
        == "/accounts/login/?next=%2Fsetup%2Fexchange%2Forganization"
    )
    assert (
        response.context["register"] == "/accounts/signup/?next=%2Fsetup%2Fexchange%2Forganization"
    )
    assert "Exchange user role" in page


def test_a_pasted_link_leads_to_the_request() -> None:
    # given an office's request
    office = office_admin()
    link = services.client_link_create(
        organization=office.organization, tax_id="CHE-116.281.710", email="a@b.test",
        direction="client", actor=office.user, ip=None,
    )  # fmt: skip
    token = services.client_link_token(link.pk)
    # when the whole link is pasted
    response = Client().post(
        reverse("web:setup_invited"), {"link": f"https://hub.example/links/join/{token}?x=1"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:link_join", kwargs={"link_token": token})


def test_something_else_pasted_is_refused() -> None:
    # when
    response = Client().post(reverse("web:setup_invited"), {"link": "https://example.com/"})
    # then
    assert response.status_code == 422
    assert "it contains “/links/join/”" in response.context["form"].errors["link"][0]


def test_choosing_the_organization_continues_with_the_request_form() -> None:
    # given an office's admin
    office = office_admin()
    client = client_for(office)
    # when they choose the office
    response = client.post(
        reverse("web:setup_organization"), {"organization": office.organization_id}
    )
    # then it is the current one and the next step is "add a client", back to the summary
    assert response.status_code == 302
    assert response["Location"] == (
        "/links/new?direction=client&next=%2Fsetup%2Fexchange%2Fsummary"
    )
    assert client.session[SESSION_KEY] == office.organization_id


def test_choosing_a_foreign_organization_is_refused() -> None:
    # given a user and another organization
    office, stranger = office_admin(), admin_of()
    client = client_for(office)
    # when they post the other one
    response = client.post(
        reverse("web:setup_organization"), {"organization": stranger.organization_id}, follow=True
    )
    # then
    assert "Choose one of your organizations." in _text(response)
    assert client.session.get(SESSION_KEY) != stranger.organization_id


def test_the_wizard_invites_an_exchange_user() -> None:
    # given a company admin
    company = admin_of()
    # when they invite a user for the exchange
    response = client_for(company).post(
        reverse("web:setup_users"),
        {"first_name": "Eli", "last_name": "Sender", "email": "eli@company.test"},
    )
    # then the invitation carries the exchange role and its rights, and the summary lists it
    invitation = Invitation.objects.get(email="eli@company.test")
    assert response.status_code == 302
    assert invitation.role == Role.EXCHANGE
    assert sorted(invitation.permissions) == [
        Permission.DOCUMENTS_SEND.value,
        Permission.DOCUMENTS_VIEW.value,
    ]
    summary = _text(client_for(company).get(reverse("web:setup_summary")))
    assert "eli@company.test" in summary


def test_inviting_twice_shows_the_message_and_changes_nothing() -> None:
    # given an exchange user already invited
    company = admin_of()
    data = {"email": "eli@company.test"}
    client_for(company).post(reverse("web:setup_users"), data)
    before = identity_state()
    # when invited again
    response = client_for(company).post(reverse("web:setup_users"), data)
    # then
    assert response.status_code == 422
    assert response.context["form"].errors["email"] == ["This person has already been invited."]
    assert identity_state() == before


def test_the_summary_shows_the_organization_and_its_links() -> None:
    # given an active link
    office, client = office_admin(), admin_of()
    make_link(office, client, categories=["incoming_invoice"])
    # when the client opens the summary
    response = client_for(client).get(reverse("web:setup_summary"))
    # then
    page = _text(response)
    assert client.organization.tax_id_display in page
    assert office.organization.name in page
    assert "Active" in page
    assert "Incoming invoices" in page


def test_the_home_page_offers_the_wizard_only_without_links() -> None:
    # given a company without links and one with a link
    office, client = office_admin(), admin_of()
    lonely = admin_of()
    make_link(office, client)
    employee = make_membership(organization=lonely.organization)
    # when each opens the home page
    alone = _text(client_for(lonely).get(reverse("web:home")))
    linked = _text(client_for(client).get(reverse("web:home")))
    plain = _text(client_for(employee).get(reverse("web:home")))
    # then only the admin without links is offered the wizard
    wizard = reverse("web:setup_start")
    assert wizard in alone
    assert wizard not in linked
    assert wizard not in plain
