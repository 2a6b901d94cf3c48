"""Plans: the plan file, each limit and feature enforced (nothing changed), the plan shown."""

from __future__ import annotations

import os
import subprocess
import sys
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse

from ledgerbridge.hub.config import env
from ledgerbridge.hub.core.errors import Conflict, PermissionDenied
from ledgerbridge.hub.documents import services as document_services
from ledgerbridge.hub.documents.models import Document, StoredFile
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import AuditEvent, Membership, Organization
from ledgerbridge.hub.identity.plans import Feature, Plan, PlanError, PlanLimit, parse
from tests.hub.conftest import PHONE
from tests.hub.factories import (
    admin_of,
    blank_pdf,
    ingest,
    make_invitation,
    make_membership,
    make_token_with_secret,
    qrbill_file,
    verified_user,
)
from tests.hub.helpers import (
    client_for,
    counts,
    limited,
    log_in,
    snapshot,
    storage_files,
    use_plans,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

PLAN_FILE = """
default = "free"

[plans.free]
name = "Free"
documents_per_month = 100
storage_mb = 5
client_links = 1
members = 3
features = ["scan_app"]

[plans.pro]
name = "Pro"
"""
NO_FEATURES = Plan("unlimited", "Unlimited", {}, frozenset())


# --- the plan file ---------------------------------------------------------------------


def test_a_plan_file_gives_limits_features_and_the_default() -> None:
    # when
    plans = parse(PLAN_FILE)
    # then
    free, pro = plans
    assert (plans.default.key, free.name, pro.name) == ("free", "Free", "Pro")
    assert free.limits == {
        PlanLimit.DOCUMENTS_PER_MONTH: 100,
        PlanLimit.STORAGE_BYTES: 5 * 1024 * 1024,
        PlanLimit.CLIENT_LINKS: 1,
        PlanLimit.MEMBERS: 3,
    }
    assert free.features == {Feature.SCAN_APP}
    assert (pro.limits, pro.features) == ({}, frozenset(Feature))
    assert plans.effective("gone").key == "free"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plans", "not valid TOML"),
        ("", "no plans: define at least one [plans.KEY] table"),
        ("[plans.a]\n[plans.b]", 'several plans but no default: add default = "KEY"'),
        ('default = "c"\n[plans.a]', "default plan 'c' is not one of the plans"),
        ("[plans.a]\nmembers = 1.5", "plan 'a': members must be a whole number of at least 0"),
        ("[plans.a]\nseats = 1", "plan 'a': unknown setting 'seats'"),
        ('[plans.a]\nfeatures = ["fax"]', "plan 'a': unknown feature 'fax' (known: exchange,"),
        ("[plans.a]\nstorage_mb = 1\nstorage_bytes = 1", "give storage_bytes or storage_mb"),
        ("[plans.A]", "plan 'A': a key is 1-32 lowercase letters"),
        ("limits = 1\n[plans.a]", "unknown setting 'limits'"),
    ],
)
def test_a_bad_plan_file_is_refused_naming_the_problem(text: str, message: str) -> None:
    # when
    with pytest.raises(PlanError) as refused:
        parse(text)
    # then
    assert message in str(refused.value)


def test_without_a_plan_file_there_is_one_unlimited_plan() -> None:
    # when
    plans = env.plans(env.read({}))
    # then
    [plan] = plans
    assert (plan.key, plan.limits, plan.features) == ("unlimited", {}, frozenset(Feature))


def test_the_quota_setting_and_a_plan_file_together_are_refused(tmp_path: Path) -> None:
    # given
    path = tmp_path / "plans.toml"
    path.write_text(PLAN_FILE)
    config = env.read({"LEDGERBRIDGE_PLANS": str(path), "LEDGERBRIDGE_ORG_QUOTA_BYTES": "9"})
    # when
    with pytest.raises(PlanError) as refused:
        env.plans(config)
    # then
    assert "LEDGERBRIDGE_ORG_QUOTA_BYTES and LEDGERBRIDGE_PLANS are both set" in str(refused.value)


def test_the_hub_does_not_start_with_a_bad_plan_file(tmp_path: Path) -> None:
    # given
    path = tmp_path / "plans.toml"
    path.write_text("[plans.free]\nmembers = -2\n")
    environ = {
        **os.environ,
        "LEDGERBRIDGE_PLANS": str(path),
        "LEDGERBRIDGE_DATA_DIR": str(tmp_path),
    }
    # when
    result = subprocess.run(
        [sys.executable, "-m", "ledgerbridge.cli", "check"],
        capture_output=True, text=True, check=False, env=environ,
    )  # fmt: skip
    # then
    assert result.returncode != 0
    assert (
        f"ImproperlyConfigured: LEDGERBRIDGE_PLANS: {path}: plan 'free': members must be a "
        "whole number of at least 0, not -2" in result.stderr
    )


# --- limits ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_documents_per_month_are_refused_over_the_limit_changing_nothing(
    media: Path, settings: Any
) -> None:
    # given
    use_plans(settings, limited(documents_per_month=1))
    admin = admin_of()
    ingest(admin, qrbill_file("s1_bill01_w900.png")[0])
    before = counts(), storage_files(media), AuditEvent.objects.count()
    # when
    with pytest.raises(Conflict) as refused:
        ingest(admin, qrbill_file("s1_bill02_w900.png")[0])
    # then
    assert (refused.value.code, refused.value.status) == ("plan-limit-reached", 409)
    assert str(refused.value.message) == (
        "Your plan allows 1 documents per month; this month has 1."
    )
    assert refused.value.details == {"limit": "documents_per_month", "allowed": 1, "current": 1}
    assert (counts(), storage_files(media), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_documents_of_last_month_do_not_count(media: Path, settings: Any) -> None:
    # given
    use_plans(settings, limited(documents_per_month=1))
    admin = admin_of()
    [old] = ingest(admin, qrbill_file("s1_bill01_w900.png")[0]).documents
    Document.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2020))
    # when
    result = ingest(admin, qrbill_file("s1_bill02_w900.png")[0])
    # then
    assert result.created


@pytest.mark.django_db
def test_the_api_answers_the_documents_limit_with_409_and_its_details(
    media: Path, settings: Any
) -> None:
    # given
    use_plans(settings, limited(documents_per_month=0))
    admin = admin_of()
    _token, raw = make_token_with_secret(admin, permissions=("documents.upload",))
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    # when
    response = client.post(
        "/api/v1/documents", {"file": _upload(qrbill_file()[0])}, format="multipart"
    )
    # then
    assert response.status_code == 409
    assert response.json() == {
        "code": "plan-limit-reached",
        "message": "Your plan allows 0 documents per month; this month has 0.",
        "details": {"limit": "documents_per_month", "allowed": 0, "current": 0},
    }
    assert counts() == (0, 0)


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bill.png", data, content_type="image/png")


@pytest.mark.django_db
def test_the_storage_limit_names_the_figures(media: Path, settings: Any) -> None:
    # given
    use_plans(settings, limited(storage_bytes=1000))
    admin = admin_of()
    # when
    with pytest.raises(Conflict) as refused:
        ingest(admin, qrbill_file()[0])
    # then
    assert refused.value.details["limit"] == "storage_bytes"
    assert str(refused.value.message) == (
        "Your plan allows 1000\xa0bytes of storage; 0\xa0bytes are used, and this file does "
        "not fit. Nothing was stored."
    )
    assert (counts(), storage_files(media)) == ((0, 0), [])


@pytest.mark.django_db
def test_an_invitation_over_the_members_limit_is_refused_counting_pending_ones(
    settings: Any,
) -> None:
    # given: two seats, one admin and one pending invitation
    use_plans(settings, limited(members=2))
    admin = admin_of()
    make_invitation(admin, "first@example.test")
    before = snapshot()
    # when
    with pytest.raises(Conflict) as refused:
        make_invitation(admin, "second@example.test")
    # then
    assert refused.value.code == "plan-limit-reached"
    assert str(refused.value.message) == (
        "Your plan allows 2 members; there are 2, counting pending invitations."
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_accepting_is_refused_when_the_members_are_full(settings: Any) -> None:
    # given: invited under a roomy plan, then a member joined another way
    admin = admin_of()
    _invitation, token = make_invitation(admin, "late@example.test")
    make_membership(organization=admin.organization)
    use_plans(settings, limited(members=2))
    late = verified_user("late@example.test")
    before = snapshot()
    # when
    with pytest.raises(Conflict) as refused:
        services.invitation_accept(raw_token=token, user=late, ip=None)
    # then
    assert refused.value.details == {"limit": "members", "allowed": 2, "current": 2}
    assert snapshot() == before


def test_plan_require_counts_only_when_the_plan_limits(settings: Any) -> None:
    # given
    counted: list[int] = []

    def count() -> int:
        counted.append(1)
        return 4

    organization = Organization(plan="unlimited")
    # when: no limit, then a limit of 5 that 4 + 1 fits
    services.plan_require(organization=organization, limit=PlanLimit.CLIENT_LINKS, current=count)
    use_plans(settings, limited(client_links=5))
    services.plan_require(organization=organization, limit=PlanLimit.CLIENT_LINKS, current=count)
    # then
    assert counted == [1]
    with pytest.raises(Conflict) as refused:
        services.plan_require(
            organization=organization, limit=PlanLimit.CLIENT_LINKS, current=5, adding=1
        )
    assert str(refused.value.message) == "Your plan allows 5 client links; there are 5."


# --- features ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_the_api_feature_no_token_is_made_and_tokens_are_refused(settings: Any) -> None:
    # given
    admin = admin_of()
    _token, raw = make_token_with_secret(admin)
    use_plans(settings, NO_FEATURES)
    before = snapshot()
    # when
    with pytest.raises(PermissionDenied) as refused:
        make_token_with_secret(admin)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/documents")
    # then
    assert (refused.value.code, refused.value.details) == (
        "plan-feature-disabled",
        {"feature": "api"},
    )
    assert str(refused.value.message) == "Your plan does not include this feature: API access."
    assert response.status_code == 403
    assert response.json()["code"] == "plan-feature-disabled"
    assert snapshot() == before


@pytest.mark.django_db
def test_without_the_scan_app_scans_are_refused(media: Path, settings: Any) -> None:
    # given
    use_plans(settings, NO_FEATURES)
    admin = admin_of()
    # when
    with pytest.raises(PermissionDenied) as refused:
        ingest(admin, qrbill_file()[0], source=Document.Source.SCAN)
    response = client_for(admin).post("/scan/preview", {"qr": "SPC"})
    # then
    assert refused.value.details == {"feature": "scan_app"}
    assert (response.status_code, response.json()["code"]) == (403, "plan-feature-disabled")
    assert counts() == (0, 0)


@pytest.mark.django_db
def test_without_the_inbox_feature_a_mail_is_refused_whole(media: Path, settings: Any) -> None:
    # given
    admin = admin_of()
    inbox = document_services.mail_inbox_ensure(organization=admin.organization)
    use_plans(settings, NO_FEATURES)
    message = EmailMessage()
    message["To"], message["Subject"] = inbox.address, "bill"
    message.add_attachment(blank_pdf(), maintype="application", subtype="pdf", filename="a.pdf")
    # when
    with pytest.raises(PermissionDenied) as refused:
        document_services.mail_receive(inbox=inbox, raw=message.as_bytes())
    # then
    assert refused.value.code == "plan-feature-disabled"
    assert (StoredFile.objects.count(), storage_files(media)) == (0, [])


# --- the plan of an organization --------------------------------------------------------


@pytest.mark.django_db
def test_a_plan_no_longer_configured_falls_back_to_the_default(settings: Any) -> None:
    # given
    use_plans(settings, *parse(PLAN_FILE), default="free")
    organization = admin_of().organization
    Organization.objects.filter(pk=organization.pk).update(plan="gold")
    organization.refresh_from_db()
    # when
    plan = services.plan_of(organization)
    # then
    assert (organization.plan, plan.key) == ("gold", "free")


@pytest.mark.django_db
def test_registration_offers_the_plans_only_when_there_are_several(settings: Any) -> None:
    # given
    user = verified_user()
    client = Client()
    client.force_login(user)
    single = client.get("/organizations/new").content.decode()
    use_plans(settings, *parse(PLAN_FILE), default="free")
    # when
    several = client.get("/organizations/new").content.decode()
    response = client.post(
        "/organizations/new",
        {"name": "Plan AG", "kind": "company", "country": "CH", "tax_id": "CHE-109.322.551",
         "plan": "pro"},
    )  # fmt: skip
    # then
    assert 'name="plan"' not in single
    assert '<option value="pro">Pro</option>' in several
    assert response.status_code == 302
    organization = Organization.objects.get(name="Plan AG")
    assert organization.plan == "pro"
    created = AuditEvent.objects.get(organization=organization, action="created")
    assert created.details["plan"] == "pro"


@pytest.mark.django_db
def test_the_settings_page_shows_the_plan_with_its_use(media: Path, settings: Any) -> None:
    # given
    use_plans(settings, *parse(PLAN_FILE), default="free")
    admin = admin_of()
    ingest(admin, qrbill_file()[0])
    # when
    page = client_for(admin).get("/settings").content.decode()
    # then
    assert '<span class="badge role">Free</span>' in page
    documents = '<dt>Documents this month</dt><dd><span class="mono">1</span> / '
    assert documents + '<span class="mono">100</span>' in page
    assert '<dt>Members</dt><dd><span class="mono">1</span> / <span class="mono">3</span>' in page
    links = '<dt>Client links</dt><dd><span class="mono">0</span> / <span class="mono">1</span>'
    assert links in page
    assert "<s>API access</s>" in page


@pytest.mark.django_db
def test_plan_set_is_audited_and_refuses_an_unknown_plan(settings: Any) -> None:
    # given
    use_plans(settings, *parse(PLAN_FILE), default="free")
    organization = admin_of().organization
    # when
    services.plan_set(organization=organization, plan="pro", actor=None, ip=None)
    with pytest.raises(Exception) as refused:  # noqa: PT011  # the code is checked below
        services.plan_set(organization=organization, plan="gold", actor=None, ip=None)
    # then
    organization.refresh_from_db()
    assert organization.plan == "pro"
    event = AuditEvent.objects.filter(organization=organization).order_by("-seq").first()
    assert event is not None
    assert (event.category, event.action, event.details) == (
        "organization",
        "plan_changed",
        {"plan": "pro", "previous_plan": "free"},
    )
    assert getattr(refused.value, "code", None) == "unknown-plan"
    assert Membership.objects.filter(organization=organization).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_plan_on_the_settings_page_fits_a_phone(
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
    settings: Any,
    media: Path,
) -> None:
    # given: a limited plan, two of three seats taken, a document this month, in German
    use_plans(settings, *parse(PLAN_FILE), default="free")
    admin = admin_of(email="ada@example.com", language="de")
    make_membership(organization=admin.organization)
    ingest(admin, qrbill_file()[0])
    page = browser_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "ada@example.com")
    # when
    page.goto(reverse("web:organization_settings") + "#plan")
    shot(page, "settings-plan-phone-de")
    # then
    text = page.locator("#plan").inner_text()
    assert "Dokumente in diesem Monat\n1 / 100" in text
    assert "Mitglieder\n2 / 3" in text
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
