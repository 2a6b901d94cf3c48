"""Client links: made for a tax ID, accepted only by that organization's admin, revocable."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.exchange.models import ClientLink, LinkDirection, LinkStatus
from ledgerbridge.hub.identity.models import AuditEvent, Organization
from ledgerbridge.hub.identity.permissions import Role
from ledgerbridge.hub.identity.plans import Plan
from tests.hub.factories import (
    CORPUS,
    admin_of,
    ingest,
    make_link,
    make_membership,
    make_organization,
    office_admin,
    verified_user,
)
from tests.hub.helpers import limited, use_plans

pytestmark = pytest.mark.django_db


def _state() -> dict[str, Any]:
    return {
        "links": sorted(ClientLink.objects.values_list("id", "status", "office_id", "client_id")),
        "audit": sorted(AuditEvent.objects.values_list("organization_id", "seq", "hash")),
    }


def _refused(code: ErrorCode, call: Any) -> ServiceError:
    before = _state()
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code
    assert _state() == before
    return caught.value


def _actions(organization: Organization) -> list[str]:
    return list(
        AuditEvent.objects.filter(organization=organization, category="exchange")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_an_office_adds_a_client_that_exists_and_its_admin_accepts() -> None:
    # given
    office, client = office_admin(), admin_of()
    # when
    link = make_link(office, client, accept=False)
    # then: the client's admins got the request; nothing is active yet
    assert link.status == LinkStatus.PENDING
    assert link.client == client.organization
    assert [m.to for m in mail.outbox] == [[client.user.email]]
    assert selectors.incoming_link_requests(organization=client.organization).get() == link
    # when
    services.client_link_accept(
        link=link, organization=client.organization, actor=client.user, ip=None
    )
    # then
    link.refresh_from_db()
    assert link.status == LinkStatus.ACTIVE
    assert link.accepted_by == client.user
    assert _actions(office.organization) == ["link_requested", "link_accepted"]
    assert _actions(client.organization) == ["link_accepted"]


def test_a_client_not_on_the_hub_gets_an_invitation_to_register_with_its_tax_id() -> None:
    # given
    office = office_admin()
    # when
    link = services.client_link_create(
        organization=office.organization, tax_id="CHE-116.281.710", email="boss@newco.test",
        direction=LinkDirection.CLIENT, actor=office.user, ip=None,
    )  # fmt: skip
    # then
    assert (link.target_country, link.target_tax_id, link.client) == ("CH", "CHE116281710", None)
    (message,) = mail.outbox
    assert message.to == ["boss@newco.test"]
    assert services.link_join_url(link) in message.body
    assert "CHE116281710" in message.body
    assert selectors.client_link_from_token(raw_token=services.client_link_token(link.pk)) == link


def test_the_organization_registered_later_sees_the_request_and_accepts_it() -> None:
    # given: the request was made before the client registered
    office = office_admin()
    link = services.client_link_create(
        organization=office.organization, tax_id="CHE-116.281.710", email="boss@newco.test",
        direction=LinkDirection.CLIENT, actor=office.user, ip=None,
    )  # fmt: skip
    client = admin_of(make_organization(tax_id="CHE116281710"))
    # when
    assert selectors.incoming_link_requests(organization=client.organization).get() == link
    services.client_link_accept(
        link=link, organization=client.organization, actor=client.user, ip=None
    )
    # then
    link.refresh_from_db()
    assert (link.status, link.client) == (LinkStatus.ACTIVE, client.organization)


def test_a_company_connects_its_accounting_office() -> None:
    # given
    office, client = office_admin(), admin_of()
    # when
    link = services.client_link_create(
        organization=client.organization, tax_id=office.organization.tax_id,
        email=office.user.email, direction=LinkDirection.ACCOUNTING_OFFICE,
        categories=["incoming_invoice"], actor=client.user, ip=None,
    )  # fmt: skip
    services.client_link_accept(
        link=link, organization=office.organization, actor=office.user, ip=None
    )
    # then
    link.refresh_from_db()
    assert (link.office, link.client, link.status) == (
        office.organization, client.organization, LinkStatus.ACTIVE,
    )  # fmt: skip
    assert link.categories == ["incoming_invoice"]


def test_accepting_with_another_tax_id_is_refused() -> None:
    # given: a request for one tax ID, opened through its e-mail by another organization
    office = office_admin()
    link = services.client_link_create(
        organization=office.organization, tax_id="CHE-116.281.710", email="boss@newco.test",
        direction=LinkDirection.CLIENT, actor=office.user, ip=None,
    )  # fmt: skip
    other = admin_of()
    # when / then
    _refused(
        ErrorCode.TAX_ID_MISMATCH,
        lambda: services.client_link_accept(
            link=link, organization=other.organization, actor=other.user, ip=None
        ),
    )


def test_a_link_to_ones_own_tax_id_is_refused() -> None:
    office = office_admin()
    _refused(
        ErrorCode.LINK_TO_SELF,
        lambda: services.client_link_create(
            organization=office.organization,
            tax_id=office.organization.tax_id,
            email="a@b.test",
            direction=LinkDirection.CLIENT,
            actor=office.user,
            ip=None,
        ),
    )


def test_a_second_link_between_the_same_two_is_refused_from_either_side() -> None:
    # given
    office, client = office_admin(), admin_of()
    make_link(office, client, accept=False)
    # when / then
    _refused(ErrorCode.LINK_EXISTS, lambda: make_link(office, client, accept=False))
    _refused(
        ErrorCode.LINK_EXISTS,
        lambda: services.client_link_create(
            organization=client.organization,
            tax_id=office.organization.tax_id,
            email="x@y.test",
            direction=LinkDirection.ACCOUNTING_OFFICE,
            actor=client.user,
            ip=None,
        ),
    )


def test_an_expired_request_cannot_be_accepted() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    ClientLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # when / then
    _refused(
        ErrorCode.LINK_REQUEST_EXPIRED,
        lambda: services.client_link_accept(
            link=link, organization=client.organization, actor=client.user, ip=None
        ),
    )


def test_a_revoked_request_cannot_be_accepted() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    services.client_link_revoke(
        link=link, organization=office.organization, actor=office.user, ip=None
    )
    # when / then
    _refused(
        ErrorCode.LINK_REVOKED,
        lambda: services.client_link_accept(
            link=link, organization=client.organization, actor=client.user, ip=None
        ),
    )


def test_only_an_admin_accepts() -> None:
    # given: a member who manages client links but is no admin
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    member = make_membership(
        organization=client.organization, user=verified_user(), role=Role.EMPLOYEE,
        permissions=["client_links.manage", "documents.view"],
    )  # fmt: skip
    # when / then
    _refused(
        ErrorCode.PERMISSION_DENIED,
        lambda: services.client_link_accept(
            link=link, organization=client.organization, actor=member.user, ip=None
        ),
    )


def test_the_side_that_asked_cannot_accept_its_own_request() -> None:
    office, client = office_admin(), admin_of()
    link = make_link(office, client, accept=False)
    _refused(
        ErrorCode.LINK_OWN_REQUEST,
        lambda: services.client_link_accept(
            link=link, organization=office.organization, actor=office.user, ip=None
        ),
    )


@pytest.mark.parametrize("tax_id", ["CHE-116.281.711", "12345", "", "DE12"])
def test_a_tax_id_in_the_wrong_shape_is_refused(tax_id: str) -> None:
    office = office_admin()
    _refused(
        ErrorCode.INVALID_TAX_ID,
        lambda: services.client_link_create(
            organization=office.organization,
            tax_id=tax_id,
            email="a@b.test",
            direction=LinkDirection.CLIENT,
            actor=office.user,
            ip=None,
        ),
    )


def test_a_company_cannot_add_clients() -> None:
    company = admin_of()
    _refused(
        ErrorCode.WRONG_ORGANIZATION_KIND,
        lambda: services.client_link_create(
            organization=company.organization,
            tax_id="CHE-116.281.710",
            email="a@b.test",
            direction=LinkDirection.CLIENT,
            actor=company.user,
            ip=None,
        ),
    )


def test_either_side_revokes_and_both_change_logs_say_so() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    # when
    services.client_link_revoke(
        link=link, organization=client.organization, actor=client.user, ip=None
    )
    # then
    link.refresh_from_db()
    assert (link.status, link.revoked_by_organization) == (
        LinkStatus.REVOKED, client.organization,
    )  # fmt: skip
    assert _actions(office.organization)[-1] == "link_revoked"
    assert _actions(client.organization)[-1] == "link_revoked"
    # and a new link between the two can be made afterwards
    assert make_link(office, client).status == LinkStatus.ACTIVE


def test_a_foreign_link_is_not_found() -> None:
    office, client, stranger = office_admin(), admin_of(), admin_of()
    link = make_link(office, client)
    with pytest.raises(ServiceError) as caught:
        selectors.client_link_get(organization=stranger.organization, link_id=link.pk)
    assert caught.value.code == ErrorCode.NOT_FOUND


def test_the_plans_client_link_limit_is_enforced_and_changes_nothing(settings: Any) -> None:
    # given: a plan with room for one link
    use_plans(settings, limited(client_links=1))
    office = office_admin()
    make_link(office, admin_of())
    # when / then
    error = _refused(ErrorCode.PLAN_LIMIT_REACHED, lambda: make_link(office, admin_of()))
    assert error.details["limit"] == "client_links"


def test_a_plan_without_the_exchange_refuses_links(settings: Any) -> None:
    use_plans(settings, Plan("unlimited", "Unlimited", {}, features=frozenset()))
    office = office_admin()
    _refused(ErrorCode.PLAN_FEATURE_DISABLED, lambda: make_link(office, admin_of()))


def test_an_office_storing_its_clients_invoice_gets_no_warning() -> None:
    # given: a KSeF invoice to the Polish company with NIP 1111111111, and an office
    data = (CORPUS / "ksef/official-mf/FA_3_Przyklad_08.xml").read_bytes()
    office = office_admin()
    client = admin_of(make_organization(country="PL", tax_id="1111111111"))
    before = ingest(office, data, filename="before.xml").documents[0]
    # when the office is linked to that company
    make_link(office, client)
    after = ingest(office, data + b"\n", filename="after.xml").documents[0]
    # then: before the link it was addressed to nobody here, after it to the client
    codes = [finding["code"] for finding in before.findings]
    assert (before.kind, "not-addressed-to-organization" in codes) == ("other", True)
    assert after.kind == "incoming_invoice"
    assert "not-addressed-to-organization" not in [f["code"] for f in after.findings]
