"""The client links pages: list, new requests, accept, decline and revoke, settings, assign.

Each action is tried with good input and with bad input; bad input gets a specific 4xx
with the service's message on the form, and nothing changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from ledgerbridge.hub.exchange.models import ClientAssignment, ClientLink, LinkStatus
from ledgerbridge.hub.identity.models import Organization
from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.factories import (
    admin_of,
    make_link,
    make_membership,
    make_organization,
    new_uid,
    office_admin,
    swiss_uid,
)
from tests.hub.helpers import client_for, identity_state

pytestmark = pytest.mark.django_db


def _state() -> dict[str, Any]:
    return {
        **identity_state(),
        "links": sorted(
            ClientLink.objects.values_list(
                "id", "status", "office_id", "client_id", "categories", "auto_send"
            )
        ),
        "assignments": sorted(ClientAssignment.objects.values_list("client_id", "user_id")),
    }


def _text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_the_list_shows_an_incoming_request_on_top_with_accept_and_decline() -> None:
    # given an office that asked the client company to link
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    # when the client's admin opens the list
    response = client_for(client).get(reverse("web:link_list"))
    # then the request is offered to be accepted or declined, naming the office
    page = _text(response)
    assert response.status_code == 200
    assert [row.link.pk for row in response.context["incoming"]] == [link.pk]
    assert "1 request waits for your answer" in page
    assert office.organization.name in page
    assert reverse("web:link_accept", args=[link.pk]) in page
    assert reverse("web:link_revoke", args=[link.pk]) in page


def test_accept_is_not_offered_to_a_member_who_is_no_administrator() -> None:
    # given a client's member who manages client links but not users
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    manager = make_membership(
        organization=client.organization,
        role=Role.EMPLOYEE,
        permissions=[Permission.CLIENT_LINKS_MANAGE.value],
    )
    # when they open the list
    page = _text(client_for(manager).get(reverse("web:link_list")))
    # then they may decline but not accept
    assert reverse("web:link_accept", args=[link.pk]) not in page
    assert reverse("web:link_revoke", args=[link.pk]) in page
    assert "Only an administrator of the organization can accept a link." in page


def test_the_office_sees_its_request_by_the_tax_id_until_the_client_accepts() -> None:
    # given an office that asked a registered company
    office, client = office_admin(), admin_of()
    make_link(office, client, accept=False)
    # when the office opens the list
    pending = _text(client_for(office).get(reverse("web:link_list")))
    # then the other side is the tax ID typed, never the name of whoever carries it
    assert client.organization.name not in pending
    assert client.organization.tax_id_display in pending
    assert "Waiting for acceptance" in pending


def test_the_nav_counts_open_requests_for_those_who_manage_links() -> None:
    # given two offices that asked the same client
    client = admin_of()
    make_link(office_admin(), client, accept=False)
    make_link(office_admin(), client, accept=False)
    # when the client's admin opens any page
    page = client_for(client).get(reverse("web:home")).content.decode()
    # then the nav shows the count next to "Client links"
    assert '<span class="count-badge" title="Open requests">2</span>' in page


def test_an_office_adds_a_client_by_tax_id_and_email() -> None:
    # given an office admin
    office = office_admin()
    uid = new_uid()
    # when they send the form
    response = client_for(office).post(
        reverse("web:link_create"),
        {
            "direction": "client",
            "country": "CH",
            "tax_id": uid,
            "email": "boss@newco.test",
            "language": "de",
            "categories": ["incoming_invoice", "purchase_receipt"],
        },
    )
    # then the request exists and went out by e-mail in the chosen language
    assert response.status_code == 302
    assert response["Location"] == reverse("web:link_list")
    link = ClientLink.objects.get(organization=office.organization)
    assert (link.direction, link.client, link.status) == ("client", None, LinkStatus.PENDING)
    assert link.categories == ["incoming_invoice", "purchase_receipt"]
    assert link.language == "de"
    assert [m.to for m in mail.outbox] == [["boss@newco.test"]]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tax_id": "CHE-123"}, "tax_id", None),
        ({"categories": []}, "categories", "Choose at least one category."),
        ({"email": "not-an-address"}, "email", None),
        ({"categories": ["salary"]}, "categories", None),
    ],
)
def test_a_bad_request_form_shows_the_error_and_changes_nothing(
    changes: dict[str, Any], field: str, message: str | None
) -> None:
    # given an office admin and the form with one bad value
    office = office_admin()
    data = {
        "direction": "client",
        "country": "CH",
        "tax_id": new_uid(),
        "email": "boss@newco.test",
        "language": "en",
        "categories": ["incoming_invoice"],
        **changes,
    }
    before = _state()
    # when it is sent
    response = client_for(office).post(reverse("web:link_create"), data)
    # then the form comes back with the error on the field, and nothing changed
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    if message is not None:
        assert errors[field] == [message]
    assert _state() == before


def test_a_link_to_the_own_tax_id_is_refused_on_the_tax_id_field() -> None:
    # given an office admin
    office = office_admin()
    before = _state()
    # when they name their own organization
    response = client_for(office).post(
        reverse("web:link_create"),
        {
            "direction": "client",
            "country": "CH",
            "tax_id": office.organization.tax_id,
            "email": "me@office.test",
            "language": "en",
            "categories": ["incoming_invoice"],
        },
    )
    # then the service's message is on the tax ID field
    assert response.status_code == 422
    assert response.context["form"].errors["tax_id"] == ["This is your own organization's tax ID."]
    assert _state() == before


def test_a_company_cannot_add_a_client() -> None:
    # given a company's admin who forges the office direction
    company = admin_of()
    before = _state()
    # when they post the office's form
    response = client_for(company).post(
        reverse("web:link_create"),
        {
            "direction": "client",
            "country": "CH",
            "tax_id": new_uid(),
            "email": "x@y.test",
            "language": "en",
            "categories": ["incoming_invoice"],
        },
    )
    # then the page falls back to the company's own direction and nothing is created
    assert response.status_code == 422
    assert response.context["direction"] == "accounting_office"
    assert _state() == before


def test_a_client_accepts_and_narrows_the_categories() -> None:
    # given an office's request to a client for every category
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    # when the client's admin accepts sharing only incoming invoices
    response = client_for(client).post(
        reverse("web:link_accept", args=[link.pk]), {"categories": ["incoming_invoice"]}
    )
    # then the link is active with that one category
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.status, link.categories) == (LinkStatus.ACTIVE, ["incoming_invoice"])


def test_a_member_who_is_no_administrator_cannot_accept() -> None:
    # given a request and a member who manages links but is no admin
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    manager = make_membership(
        organization=client.organization,
        role=Role.EMPLOYEE,
        permissions=[Permission.CLIENT_LINKS_MANAGE.value],
    )
    before = _state()
    # when they post the acceptance anyway
    response = client_for(manager).post(
        reverse("web:link_accept", args=[link.pk]), {"categories": ["incoming_invoice"]}
    )
    # then it is refused with the service's message and nothing changed
    assert response.status_code == 403
    assert response.context["form"].non_field_errors() == [
        "Only an administrator of the organization can accept a link."
    ]
    assert _state() == before


def test_the_side_that_asked_cannot_accept_its_own_request() -> None:
    # given an office's pending request
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    before = _state()
    # when the office posts the acceptance
    response = client_for(office).post(reverse("web:link_accept", args=[link.pk]))
    # then 409 with the message, nothing changed
    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        "Your organization sent this request; the other side has to accept it."
    ]
    assert _state() == before


def test_revoking_asks_first_and_says_what_it_means() -> None:
    # given an active link
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    url = reverse("web:link_revoke", args=[link.pk])
    # when the client opens the revoke page, then confirms
    question = _text(client_for(client).get(url))
    response = client_for(client).post(url)
    # then the question said what happens, and the link is revoked
    assert "no document crosses it" in question
    assert "stays readable to the accounting office, read-only" in question
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.status, link.revoked_by_organization) == (
        LinkStatus.REVOKED,
        client.organization,
    )


def test_declining_an_incoming_request_closes_it() -> None:
    # given an office's pending request
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    url = reverse("web:link_revoke", args=[link.pk])
    # when the client declines
    title = client_for(client).get(url).context["title"]
    client_for(client).post(url)
    # then
    link.refresh_from_db()
    assert title == "Decline the request"
    assert link.status == LinkStatus.REVOKED


def test_revoking_twice_says_so_and_changes_nothing() -> None:
    # given a revoked link
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    client_for(client).post(reverse("web:link_revoke", args=[link.pk]))
    before = _state()
    # when it is revoked again
    response = client_for(office).post(reverse("web:link_revoke", args=[link.pk]), follow=True)
    # then the message says so
    assert "This link was revoked already." in _text(response)
    assert _state() == before


def test_the_client_edits_the_categories_and_the_rules_that_send_by_themselves() -> None:
    # given an active link
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    # when the client saves new settings
    response = client_for(client).post(
        reverse("web:link_settings", args=[link.pk]),
        {
            "categories": ["incoming_invoice", "purchase_receipt", "bank_statement"],
            "auto_send": ["incoming_invoice", "purchase_receipt"],
        },
    )
    # then
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.categories == ["incoming_invoice", "purchase_receipt", "bank_statement"]
    assert link.auto_send == ["incoming_invoice", "purchase_receipt"]


def test_the_office_cannot_change_what_the_client_shares() -> None:
    # given an active link
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    before = _state()
    # when the office posts settings
    response = client_for(office).post(
        reverse("web:link_settings", args=[link.pk]), {"categories": ["other"]}
    )
    # then refused with the message, nothing changed
    assert response.status_code == 403
    assert "Only the client company chooses what crosses the link." in _text(response)
    assert _state() == before


def test_settings_without_a_category_are_refused() -> None:
    # given an active link
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    before = _state()
    # when the client unticks every category
    response = client_for(client).post(reverse("web:link_settings", args=[link.pk]), {})
    # then
    assert response.status_code == 422
    assert response.context["settings_form"].errors["categories"] == [
        "Choose at least one category."
    ]
    assert _state() == before


def test_the_office_admin_gives_an_accountant_a_client_and_takes_it_away() -> None:
    # given an active link and an accountant of the office
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    accountant = make_membership(organization=office.organization, role=Role.ACCOUNTANT)
    url = reverse("web:link_assign", args=[link.pk])
    page = _text(client_for(office).get(reverse("web:link_detail", args=[link.pk])))
    # when the admin gives the client, then takes it away
    client_for(office).post(url, {"membership": accountant.pk, "assigned": "1"})
    given = list(ClientAssignment.objects.values_list("client_id", "user_id"))
    client_for(office).post(url, {"membership": accountant.pk, "assigned": "0"})
    # then
    assert "Accountants who work on this client" in page
    assert given == [(client.organization.pk, accountant.user_id)]
    assert not ClientAssignment.objects.exists()


def test_assigning_a_member_of_another_organization_is_404() -> None:
    # given an active link and a member of some other organization
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    stranger = make_membership()
    before = _state()
    # when the office admin posts that member
    response = client_for(office).post(
        reverse("web:link_assign", args=[link.pk]),
        {"membership": stranger.pk, "assigned": "1"},
    )
    # then
    assert response.status_code == 404
    assert _state() == before


def test_a_link_of_other_organizations_is_404() -> None:
    # given a link between two organizations and an outsider office
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    outsider = office_admin()
    # when the outsider opens and posts to it
    answers = [
        client_for(outsider).get(reverse("web:link_detail", args=[link.pk])).status_code,
        client_for(outsider).post(reverse("web:link_accept", args=[link.pk])).status_code,
        client_for(outsider).post(reverse("web:link_revoke", args=[link.pk])).status_code,
    ]
    # then
    assert answers == [404, 404, 404]
    link.refresh_from_db()
    assert link.status == LinkStatus.ACTIVE


def test_an_organization_of_both_kinds_may_start_either_direction() -> None:
    # given an organization that is office and company
    both = admin_of(make_organization(kind=Organization.Kind.BOTH, tax_id=swiss_uid()))
    # when its admin opens the list
    response = client_for(both).get(reverse("web:link_list"))
    # then both forms are offered
    assert response.context["directions"] == ["accounting_office", "client"]
    assert "Connect my accounting office" in _text(response)
    assert "Add a client" in _text(response)
