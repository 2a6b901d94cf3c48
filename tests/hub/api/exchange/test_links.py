"""``/client-links`` over the API: made by tax ID, accepted by the other side's admin,
revoked, set up by the client; every refusal a specific 4xx that changes nothing
(acceptance B), and no organization's name shown to whoever only typed its tax ID."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from stdnum.ch import uid as ch_uid

from ledgerbridge.hub.exchange.models import ClientLink
from ledgerbridge.hub.identity.models import Organization
from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.api.exchange.helpers import exchange_state, get, patch, post
from tests.hub.factories import admin_of, make_link, make_membership, office_admin, swiss_uid
from tests.hub.helpers import token_client

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.test import Client

    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _ask(office: Membership, client: Membership, **extra: Any) -> dict[str, Any]:
    body = {
        "tax_id": ch_uid.format(client.organization.tax_id),
        "email": client.user.email,
        "direction": "client",
        **extra,
    }
    response = post(token_client(office), "/client-links", body)
    assert response.status_code == 201, response.json()
    answer: dict[str, Any] = response.json()
    return answer


def test_an_office_adds_a_client_by_tax_id_and_the_clients_admin_accepts() -> None:
    # given an accounting office and a company registered on the hub
    office, client = office_admin(), admin_of()

    # when the office asks for the company's tax ID (typed as people write it)
    made = _ask(office, client, categories=["payment_slip", "incoming_invoice"])

    # then the request names neither the company nor its existence to the office
    assert made["status"] == "pending"
    assert (made["side"], made["requested_by_you"], made["other"]) == ("office", True, None)
    assert (made["target_country"], made["target_tax_id"]) == ("CH", client.organization.tax_id)
    assert made["categories"] == ["incoming_invoice", "payment_slip"]
    # and the company sees who asks, and accepts with fewer categories
    seen = get(token_client(client), "/client-links").json()
    assert [(i["id"], i["side"], i["requested_by_you"]) for i in seen["items"]] == [
        (made["id"], "client", False)
    ]
    assert seen["items"][0]["other"] == {
        "id": office.organization.pk,
        "name": office.organization.name,
    }
    accepted = post(
        token_client(client), f"/client-links/{made['id']}/accept", {"categories": ["payment_slip"]}
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "active"
    assert accepted.json()["categories"] == ["payment_slip"]
    # and only now the office sees whose tax ID it was
    listed = get(token_client(office), "/client-links").json()["items"]
    assert listed[0]["other"] == {"id": client.organization.pk, "name": client.organization.name}


def test_a_declined_request_never_names_the_organization_behind_the_tax_id() -> None:
    # given an office's request that the company declines
    office, client = office_admin(), admin_of()
    made = _ask(office, client)
    declined = post(token_client(client), f"/client-links/{made['id']}/revoke")
    assert declined.status_code == 200

    # when the office lists its links
    listed = get(token_client(office), "/client-links").json()["items"]

    # then it sees a revoked request for the tax ID it typed, and no name
    assert [(i["status"], i["other"], i["target_tax_id"]) for i in listed] == [
        ("revoked", None, client.organization.tax_id)
    ]
    assert client.organization.name not in str(listed)


def test_a_company_connects_its_office_and_revokes_the_link() -> None:
    # given a company asking its office, accepted by the office's admin
    office, client = office_admin(), admin_of()
    body = {
        "tax_id": office.organization.tax_id,
        "email": office.user.email,
        "direction": "accounting_office",
    }
    made = post(token_client(client), "/client-links", body).json()
    accepted = post(token_client(office), f"/client-links/{made['id']}/accept")
    assert (accepted.status_code, accepted.json()["side"]) == (200, "office")

    # when the company revokes it
    revoked = post(token_client(client), f"/client-links/{made['id']}/revoke")

    # then it is revoked for both, and the name stays known to both (they were linked)
    assert (revoked.status_code, revoked.json()["status"]) == (200, "revoked")
    assert revoked.json()["other"]["name"] == office.organization.name
    again = post(token_client(client), f"/client-links/{made['id']}/revoke")
    assert (again.status_code, again.json()["code"]) == (409, "link-revoked")


def test_the_client_chooses_categories_and_rules_and_the_office_cannot() -> None:
    # given an active link with every category
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    body = {"categories": ["payment_slip", "other"], "auto_send": ["payment_slip", "credit_note"]}

    # when the client and then the office change what crosses it
    mine = patch(token_client(client), f"/client-links/{link.pk}", body)
    office_api = token_client(office)
    before = exchange_state()
    theirs = patch(office_api, f"/client-links/{link.pk}", {"categories": []})

    # then the client's choice holds (a rule only within the categories); the office's is
    # refused
    assert mine.status_code == 200
    assert (mine.json()["categories"], mine.json()["auto_send"]) == (
        ["payment_slip", "other"],
        ["payment_slip"],
    )
    assert (theirs.status_code, theirs.json()["code"]) == (403, "permission-denied")
    assert exchange_state() == before


def test_listing_links_needs_client_links_manage_or_documents_send() -> None:
    # given an active link, a sender of the exchange role and a member who only views
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    sender = make_membership(organization=client.organization, role=Role.EXCHANGE)
    viewer = make_membership(organization=client.organization, role=Role.EMPLOYEE)

    # when both list the links
    sent = get(token_client(sender), "/client-links")
    viewed = get(token_client(viewer), "/client-links")

    # then the sender sees the link to send over; the viewer is refused
    assert [i["id"] for i in sent.json()["items"]] == [link.pk]
    assert (viewed.status_code, viewed.json()["code"]) == (403, "permission-denied")


# --- acceptance B: each refusal specific, nothing changed -------------------------------

Case = tuple["Client", str, str, dict[str, Any] | None]


def _mismatch(office: Membership, client: Membership) -> Case:
    link = make_link(office, client, accept=False)
    Organization.objects.filter(pk=client.organization.pk).update(tax_id=swiss_uid())
    return token_client(client), "POST", f"/client-links/{link.pk}/accept", None


def _self(office: Membership, client: Membership) -> Case:
    body = {"tax_id": office.organization.tax_id, "email": "a@example.test", "direction": "client"}
    return token_client(office), "POST", "/client-links", body


def _duplicate(office: Membership, client: Membership) -> Case:
    make_link(office, client, accept=False)
    body = {"tax_id": client.organization.tax_id, "email": "b@example.test", "direction": "client"}
    return token_client(office), "POST", "/client-links", body


def _expired(office: Membership, client: Membership) -> Case:
    link = make_link(office, client, accept=False)
    ClientLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return token_client(client), "POST", f"/client-links/{link.pk}/accept", None


def _revoked(office: Membership, client: Membership) -> Case:
    link = make_link(office, client, accept=False)
    post(token_client(office), f"/client-links/{link.pk}/revoke")
    return token_client(client), "POST", f"/client-links/{link.pk}/accept", None


def _not_admin(office: Membership, client: Membership) -> Case:
    link = make_link(office, client, accept=False)
    manager = make_membership(
        organization=client.organization,
        role=Role.ACCOUNTANT,
        permissions=[Permission.CLIENT_LINKS_MANAGE, Permission.DOCUMENTS_VIEW],
    )
    return token_client(manager), "POST", f"/client-links/{link.pk}/accept", None


def _bad_shape(office: Membership, client: Membership) -> Case:
    body = {"tax_id": "CHE-123.456", "email": "c@example.test", "direction": "client"}
    return token_client(office), "POST", "/client-links", body


def _own_request(office: Membership, client: Membership) -> Case:
    link = make_link(office, client, accept=False)
    return token_client(office), "POST", f"/client-links/{link.pk}/accept", None


@pytest.mark.parametrize(
    ("setup", "status", "code"),
    [
        (_mismatch, 409, "tax-id-mismatch"),
        (_self, 422, "link-to-self"),
        (_duplicate, 409, "link-exists"),
        (_expired, 409, "link-request-expired"),
        (_revoked, 409, "link-revoked"),
        (_not_admin, 403, "permission-denied"),
        (_bad_shape, 422, "invalid-tax-id"),
        (_own_request, 409, "link-own-request"),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)).strip("_"),
)
def test_each_refused_link_step_has_its_code_and_changes_nothing(
    setup: Callable[[Membership, Membership], Case], status: int, code: str
) -> None:
    # given an office, a company and the situation of the case
    office, client = office_admin(), admin_of()
    api, method, path, body = setup(office, client)
    before = exchange_state()
    links = ClientLink.objects.count()

    # when the step is asked for through the API
    data = json.dumps(body) if body is not None else ""
    response = api.generic(method, f"/api/v1{path}", data, content_type="application/json")

    # then it is refused with its status and code, a message, and nothing changed
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["message"]
    assert exchange_state() == before
    assert ClientLink.objects.count() == links
