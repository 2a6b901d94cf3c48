"""The organization-wide change log: filters, pages, CSV export and single entries."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import admin_of, make_membership, make_token
from tests.hub.helpers import client_for

pytestmark = pytest.mark.django_db


def test_change_log_needs_audit_view() -> None:
    # given
    client = client_for(make_membership(role=Role.EMPLOYEE))
    # when
    listing = client.get(reverse("web:audit_list"))
    export = client.get(reverse("web:audit_export"))
    # then
    assert (listing.status_code, export.status_code) == (403, 403)


def test_change_log_shows_only_the_own_organizations_events_filtered() -> None:
    # given
    admin = admin_of()
    member = make_membership(organization=admin.organization)
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
    employee = make_membership(role=Role.EMPLOYEE)
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
