"""The organization-wide change log (filters, pages, CSV) and the API tokens page."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken, AuditAction, AuditCategory
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import admin_of, make_token
from tests.hub.web.helpers import client_for, make_member

if TYPE_CHECKING:
    from collections.abc import Callable

    from ledgerbridge.hub.identity.models import Membership

pytestmark = pytest.mark.django_db


def test_change_log_needs_audit_view() -> None:
    # given
    client = client_for(make_member(role=Role.EMPLOYEE))
    # when
    listing = client.get(reverse("web:audit_list"))
    export = client.get(reverse("web:audit_export"))
    # then
    assert (listing.status_code, export.status_code) == (403, 403)


def test_change_log_shows_only_the_own_organizations_events_filtered() -> None:
    # given
    admin = admin_of()
    member = make_member(organization=admin.organization)
    services.membership_lock(membership=member, actor=admin.user, ip=None)
    make_token(admin)
    other = admin_of()
    services.organization_set_require_mfa(
        organization=other.organization, actor=other.user, require_mfa=True, ip=None
    )
    client = client_for(admin)
    # when
    everything = client.get(reverse("web:audit_list")).context["rows"]
    security = client.get(reverse("web:audit_list"), {"category": "security"}).context["rows"]
    about_member = client.get(reverse("web:audit_list"), {"user": member.user_id}).context["rows"]
    # then
    assert {r["event"].organization_id for r in everything} == {admin.organization_id}
    assert [r["event"].action for r in security] == ["token_created"]
    assert [r["event"].action for r in about_member] == ["locked"]


def test_change_log_rejects_a_reversed_date_range() -> None:
    # when
    response = client_for(admin_of()).get(
        reverse("web:audit_list"), {"since": "2026-05-02", "until": "2026-05-01"}
    )
    # then
    assert response.status_code == 422
    assert response.context["form"].errors["until"] == ["The end date is before the start date."]
    assert response.context["rows"] == []


def test_change_log_pages_by_25() -> None:
    # given
    admin = admin_of()
    for n in range(26):
        services.audit_record(
            organization=admin.organization,
            actor=admin.user,
            category=AuditCategory.USER,
            action=AuditAction.INVITED,
            details={"n": n},
        )
    # when
    first = client_for(admin).get(reverse("web:audit_list")).context["page"]
    # then
    assert first.paginator.count >= 26
    assert len(first.object_list) == 25


def test_csv_export_has_the_filtered_events_and_defuses_formulas() -> None:
    # given
    admin = admin_of()
    services.audit_record(
        organization=admin.organization,
        actor=admin.user,
        category=AuditCategory.USER,
        action=AuditAction.INVITED,
        details={"email": "=HYPERLINK(1)"},
        ip="198.51.100.7",
    )
    # when
    response = client_for(admin).get(reverse("web:audit_export"), {"category": "user"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["seq", "time_utc", "category", "action"]
    assert [(r[2], r[3], r[9]) for r in rows[1:]] == [("user", "invited", "198.51.100.7")]
    assert rows[1][10] == '{"email": "=HYPERLINK(1)"}'


def test_csv_export_refuses_bad_filters() -> None:
    # when
    response = client_for(admin_of()).get(reverse("web:audit_export"), {"since": "yesterday"})
    # then
    assert response.status_code == 422


def test_token_created_is_shown_once_and_stored_hashed() -> None:
    # given
    member = make_member(role=Role.EMPLOYEE)
    client = client_for(member)
    # when
    response = client.post(
        reverse("web:token_list"), {"name": "Scan app", "permissions": ["documents.upload"]}
    )
    # then
    raw = response.context["raw_token"]
    assert raw.startswith("lb_")
    token = ApiToken.objects.get(organization=member.organization)
    assert (token.name, token.permissions) == ("Scan app", ["documents.upload"])
    assert raw not in token.token_hash
    assert raw not in client.get(reverse("web:token_list")).content.decode()


def test_token_with_more_rights_than_the_user_is_a_form_error_and_not_created() -> None:
    # given
    member = make_member(role=Role.APP)
    # when
    response = client_for(member).post(
        reverse("web:token_list"), {"name": "Too much", "permissions": ["users.manage"]}
    )
    # then
    assert response.status_code == 422
    assert "permissions" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_token_without_a_name_is_a_form_error() -> None:
    # when
    response = client_for(make_member()).post(
        reverse("web:token_list"), {"name": "", "permissions": ["documents.view"]}
    )
    # then
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_token_revoke_asks_then_revokes_ones_own_token() -> None:
    # given
    member = make_member()
    token = make_token(member)
    client = client_for(member)
    url = reverse("web:token_revoke", kwargs={"token_id": token.pk})
    # when
    assert client.get(url).status_code == 200
    client.post(url)
    # then
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(
    ("someone_else", "status"),
    [
        # a colleague in the same organization without users.manage
        pytest.param(
            lambda owner: make_member(organization=owner.organization), 403, id="colleague"
        ),
        # an admin of another organization does not even see the token
        pytest.param(lambda owner: admin_of(), 404, id="foreign-admin"),
    ],
)
def test_token_revoke_of_someone_elses_token_is_refused(
    someone_else: Callable[[Membership], Membership], status: int
) -> None:
    # given
    owner = make_member()
    caller = someone_else(owner)
    token = make_token(owner)
    # when
    response = client_for(caller).post(reverse("web:token_revoke", kwargs={"token_id": token.pk}))
    # then
    assert response.status_code == status
    token.refresh_from_db()
    assert token.revoked_at is None


def test_change_log_entry_shows_details_and_hashes() -> None:
    # given
    admin = admin_of()
    event = services.audit_record(
        organization=admin.organization,
        actor=admin.user,
        category=AuditCategory.USER,
        action=AuditAction.INVITED,
        details={"email": "x@example.test"},
    )
    # when
    response = client_for(admin).get(reverse("web:audit_detail", kwargs={"event_id": event.pk}))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert event.hash in body
    assert "x@example.test" in body


def test_change_log_entry_of_another_organization_is_404() -> None:
    # given
    other = admin_of()
    event = services.audit_record(
        organization=other.organization,
        actor=other.user,
        category=AuditCategory.USER,
        action=AuditAction.INVITED,
    )
    # when
    response = client_for(admin_of()).get(
        reverse("web:audit_detail", kwargs={"event_id": event.pk})
    )
    # then
    assert response.status_code == 404


def test_change_log_entry_needs_audit_view() -> None:
    # given
    employee = make_member(role=Role.EMPLOYEE)
    event = services.audit_record(
        organization=employee.organization,
        actor=employee.user,
        category=AuditCategory.USER,
        action=AuditAction.INVITED,
    )
    # when
    response = client_for(employee).get(reverse("web:audit_detail", kwargs={"event_id": event.pk}))
    # then
    assert response.status_code == 403
