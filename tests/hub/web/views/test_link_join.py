"""Joining from a client link request's e-mail: register with the tax ID fixed, then accept.

A visitor registers the organization together with the account; its country and tax ID
are the link's whatever the browser posts. A tax ID someone registered meanwhile gets a
message that says what to do and names nobody. Logged in, an administrator of the
organization with the link's tax ID accepts; another tax ID gets the mismatch message.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ledgerbridge.hub.exchange import services
from ledgerbridge.hub.exchange.models import ClientLink, LinkDirection, LinkStatus
from ledgerbridge.hub.identity.models import Membership, Organization
from ledgerbridge.hub.identity.permissions import Role
from ledgerbridge.hub.web.middleware import SESSION_KEY
from tests.hub.factories import PASSWORD, admin_of, make_organization, new_uid, office_admin
from tests.hub.helpers import client_for, code_from_mail, identity_state, link_path_from_mail

pytestmark = pytest.mark.django_db

_PASSWORD = "a-Long-and-unusual-pass-42"
TAKEN = (
    "An organization with this tax ID is already registered. Ask an administrator of that "
    "organization to sign in and accept the request under Client links, or to invite you."
)


def _request_to_new_client(email: str = "boss@newco.test") -> tuple[Any, ClientLink, str]:
    """An office's request for a tax ID nobody carries; the office and the e-mail's path."""
    office = office_admin()
    link = services.client_link_create(
        organization=office.organization, tax_id=new_uid(), email=email,
        direction=LinkDirection.CLIENT, actor=office.user, ip=None,
    )  # fmt: skip
    return office, link, link_path_from_mail(email, "/links/join/")


def _signup(client: Client, **changes: str) -> Any:
    data = {
        "email": "boss@newco.test", "first_name": "Bea", "last_name": "Boss",
        "password1": _PASSWORD, "password2": _PASSWORD, "accept_terms": "on",
        "name": "Newco AG", "kind": "company", "street": "Hauptgasse", "building_number": "3",
        "postal_code": "3000", "town": "Bern", **changes,
    }  # fmt: skip
    return client.post(reverse("account_signup"), data)


def _text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_the_visitor_registers_the_organization_with_the_tax_id_fixed_and_accepts() -> None:
    # given an office's request e-mailed to a company not on the hub
    cache.clear()
    office, link, path = _request_to_new_client()
    client = Client()
    welcome = client.get(path)
    form = client.get(reverse("account_signup")).context["form"]
    mail.outbox.clear()
    # when the visitor registers (posting another tax ID and country), verifies, accepts
    signed_up = _signup(client, tax_id="CHE-109.322.551", country="DE")
    verified = client.post(signed_up["Location"], {"code": code_from_mail("boss@newco.test")})
    accept_step = client.get(verified["Location"])
    accepted = client.post(
        verified["Location"], {"action": "accept", "categories": ["incoming_invoice"]}
    )
    # then the organization carries the link's tax ID, its creator is admin, the link active
    assert welcome.status_code == 200
    assert office.organization.name in _text(welcome)
    assert (
        form.initial["tax_id"]
        == Organization(country="CH", tax_id=link.target_tax_id).tax_id_display
    )
    assert (form.fields["tax_id"].disabled, form.fields["country"].disabled) == (True, True)
    assert [value for value, _label in form.fields["kind"].choices] == ["company", "both"]
    assert form.initial["email"] == "boss@newco.test"
    assert verified["Location"] == path
    newco = Organization.objects.get(name="Newco AG")
    assert (newco.country, newco.tax_id, newco.kind, newco.town) == (
        "CH", link.target_tax_id, "company", "Bern",
    )  # fmt: skip
    assert Membership.objects.get(organization=newco).role == Role.ADMIN
    assert accept_step.context["can_accept"] is True
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("web:setup_summary")
    link.refresh_from_db()
    assert (link.status, link.client, link.categories) == (
        LinkStatus.ACTIVE, newco, ["incoming_invoice"],
    )  # fmt: skip
    assert client.session[SESSION_KEY] == newco.pk


def test_a_tax_id_registered_meanwhile_says_what_to_do_and_names_nobody() -> None:
    # given a request, and someone who registered that tax ID since
    cache.clear()
    _office, link, path = _request_to_new_client()
    client = Client()
    client.get(path)
    other = admin_of(make_organization(name="Secret Holding AG", tax_id=link.target_tax_id))
    before = identity_state()
    # when the visitor opens the link again, and tries to register anyway
    welcome = client.get(path)
    signed_up = _signup(client)
    # then both say what to do, without the other organization's name or members
    assert TAKEN in _text(welcome)
    assert signed_up.status_code == 200
    assert signed_up.context["form"].errors["tax_id"] == [TAKEN]
    for page in (welcome, signed_up):
        assert "Secret Holding" not in _text(page)
        assert other.user.email not in _text(page)
    assert identity_state() == before


def test_an_existing_account_logs_in_and_lands_on_the_accept_step() -> None:
    # given a request for a tax ID that an organization already carries
    cache.clear()
    office = office_admin()
    company = admin_of()
    link = services.client_link_create(
        organization=office.organization, tax_id=company.organization.tax_id,
        email="other@elsewhere.test", direction=LinkDirection.CLIENT, actor=office.user, ip=None,
    )  # fmt: skip
    token = services.client_link_token(link.pk)
    url = reverse("web:link_join", kwargs={"link_token": token})
    client = Client()
    client.get(url)
    # when its admin logs in from there
    response = client.post(
        reverse("account_login"), {"login": company.user.email, "password": PASSWORD}
    )
    # then they land on the request
    assert response.status_code == 302, response.content.decode()[:300]
    assert response["Location"] == url


def test_logged_in_with_another_tax_id_gets_the_mismatch_message() -> None:
    # given a request for a tax ID, and a company with another one
    _office, link, path = _request_to_new_client()
    company = admin_of()
    before = identity_state()
    # when its admin opens and posts the acceptance
    page = client_for(company).get(path)
    posted = client_for(company).post(path, {"action": "accept", "categories": ["other"]})
    # then the mismatch message, 409 for the post, and nothing changed
    assert "This link was made for another tax ID." in _text(page)
    assert posted.status_code == 409
    link.refresh_from_db()
    assert link.status == LinkStatus.PENDING
    assert identity_state() == before


def test_logged_in_without_the_organization_registers_it_with_the_links_tax_id() -> None:
    # given a request for a tax ID nobody carries and a logged-in user of another company
    _office, link, path = _request_to_new_client()
    company = admin_of()
    client = client_for(company)
    # when they register the organization from the request
    created = client.post(path, {"action": "register", "name": "Newco AG", "kind": "both"})
    page = client.get(path)
    # then it carries the link's tax ID and they may accept for it
    newco = Organization.objects.get(name="Newco AG")
    assert created.status_code == 302
    assert (newco.country, newco.tax_id, newco.kind) == ("CH", link.target_tax_id, "both")
    assert page.context["matching"].organization == newco
    assert page.context["can_accept"] is True


def test_a_kind_that_does_not_fit_the_request_is_refused() -> None:
    # given a request from an office (the new organization must be a company)
    _office, _link, path = _request_to_new_client()
    client = client_for(admin_of())
    before = identity_state()
    # when the user registers an accounting office
    response = client.post(
        path, {"action": "register", "name": "Newco AG", "kind": "accounting_office"}
    )
    # then
    assert response.status_code == 422
    assert "kind" in response.context["register"].errors
    assert identity_state() == before


def test_an_unknown_link_is_404() -> None:
    # when
    response = Client().get(reverse("web:link_join", kwargs={"link_token": "0" * 64}))
    # then
    assert response.status_code == 404
    assert "This link is not valid" in _text(response)


@pytest.mark.parametrize(
    ("state", "title"),
    [
        ("revoked", "This request is closed"),
        ("active", "This request has already been accepted"),
        ("expired", "This request has expired"),
    ],
)
def test_a_closed_request_says_why(state: str, title: str) -> None:
    # given a request in that state
    _office, link, path = _request_to_new_client()
    if state == "expired":
        ClientLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        ClientLink.objects.filter(pk=link.pk).update(status=state)
    # when the link is opened
    response = Client().get(path)
    # then
    assert response.status_code == 410
    assert title in _text(response)
