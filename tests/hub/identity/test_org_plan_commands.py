"""Operator commands: ``org create``, ``org list``, ``plan set``, ``plan list``."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError

from ledgerbridge.hub.identity.models import AuditEvent, Membership, Organization, User
from ledgerbridge.hub.identity.plans import parse
from tests.hub.factories import admin_of, make_membership, make_organization, verified_user
from tests.hub.helpers import snapshot, use_plans

pytestmark = pytest.mark.django_db

PLANS = '[plans.free]\nname = "Free"\nmembers = 3\n[plans.pro]\nname = "Pro"\n'
CREATE = [
    "org", "create", "--name", "Kowalski Sp. z o.o.", "--tax-id", "PL 526-000-12-46",
    "--country", "pl", "--kind", "company", "--admin-email", "Anna@Example.test",
]  # fmt: skip


def test_org_create_makes_the_organization_and_prints_the_admins_password_once(
    capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    # given
    use_plans(settings, *parse('default = "free"\n' + PLANS), default="free")
    # when
    call_command(*CREATE, "--plan", "pro")
    out = capsys.readouterr().out
    # then
    organization = Organization.objects.get()
    assert (organization.name, organization.country, organization.tax_id) == (
        "Kowalski Sp. z o.o.",
        "PL",
        "5260001246",
    )
    assert (organization.kind, organization.plan) == ("company", "pro")
    found = re.search(r"^Admin: anna@example\.test / (\S+)$", out, re.MULTILINE)
    assert found is not None
    admin = User.objects.get(email="anna@example.test")
    assert admin.check_password(found.group(1))
    assert not admin.is_staff
    assert EmailAddress.objects.get(user=admin).verified
    assert Membership.objects.get(organization=organization).role == "admin"
    assert out.startswith(
        f"Created organization {organization.pk} kowalski-sp-z-oo: Kowalski Sp. z o.o. "
        "(526-000-12-46), plan pro.\n"
    )
    event = AuditEvent.objects.get(organization=organization)
    assert (event.category, event.action, event.details["plan"]) == (
        "organization",
        "created",
        "pro",
    )


def test_org_create_makes_an_existing_user_admin_without_touching_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given
    user = verified_user("anna@example.test")
    # when
    call_command(*CREATE)
    # then
    out = capsys.readouterr().out
    assert "Admin: anna@example.test (existing account, password unchanged)" in out
    assert Membership.objects.get(user=user).organization.plan == "unlimited"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--tax-id", "PL 123"), "invalid-tax-id"),
        (("--country", "XX"), "unsupported-country"),
        (("--plan", "gold"), "unknown-plan: Unknown plan gold; the plans are: unlimited."),
        (("--name", "  "), "name-required"),
    ],
)
def test_org_create_refuses_bad_input_and_creates_nothing(
    change: tuple[str, str], message: str
) -> None:
    # given
    args = list(CREATE)
    if change[0] in args:
        args[args.index(change[0]) + 1] = change[1]
    else:
        args.extend(change)
    before = snapshot()
    # when
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(*args)
    # then
    assert snapshot() == before


def test_org_create_refuses_a_taken_tax_id() -> None:
    # given
    make_organization(country="PL", tax_id="5260001246")
    before = snapshot()
    # when
    with pytest.raises(CommandError) as refused:
        call_command(*CREATE)
    # then
    assert str(refused.value) == (
        "tax-id-taken: An organization with this tax ID is already registered."
    )
    assert snapshot() == before


def test_org_list_prints_every_organization_in_a_table(
    capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    # given
    first = admin_of(make_organization(name="Acme AG", slug="acme", country="CH")).organization
    make_membership(organization=first)
    Organization.objects.filter(pk=first.pk).update(plan="gold")
    # when
    call_command("org", "list")
    # then
    header, row = capsys.readouterr().out.splitlines()
    assert header.split() == ["id", "slug", "name", "kind", "country", "tax", "ID", "plan",
                              "members", "created"]  # fmt: skip
    cells = re.split(r"\s{2,}", row)
    assert cells == [
        str(first.pk), "acme", "Acme AG", "company", "CH", first.tax_id_display,
        "gold -> unlimited", "2", first.created_at.date().isoformat(),
    ]  # fmt: skip


def test_plan_set_changes_the_plan_by_id_slug_or_tax_id(
    capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    # given
    use_plans(settings, *parse('default = "free"\n' + PLANS), default="free")
    organization = make_organization(slug="acme")
    # when
    call_command("plan", "set", "--org", str(organization.pk), "pro")
    call_command("plan", "set", "--org", "acme", "free")
    call_command("plan", "set", "--org", organization.tax_id_display, "free")
    # then
    assert capsys.readouterr().out.splitlines() == [
        "acme: plan free -> pro.",
        "acme: plan pro -> free.",
        "acme is already on plan free.",
    ]
    actions = list(
        AuditEvent.objects.filter(organization=organization).values_list("action", flat=True)
    )
    assert actions.count("plan_changed") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nope", "pro"], "no organization with id, slug or tax ID 'nope'"),
        (["--org", "acme", "gold"], "unknown-plan: Unknown plan gold; the plans are: free, pro."),
    ],
)
def test_plan_set_refuses_unknown_plans_and_organizations(
    args: list[str], message: str, settings: Any
) -> None:
    # given
    use_plans(settings, *parse('default = "free"\n' + PLANS), default="free")
    make_organization(slug="acme")
    before = snapshot()
    # when
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("plan", "set", *args)
    # then
    assert snapshot() == before


def test_plan_list_prints_the_configured_plans(
    capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    # given
    use_plans(settings, *parse('default = "free"\n' + PLANS), default="free")
    # when
    call_command("plan", "list")
    # then
    assert capsys.readouterr().out.splitlines() == [
        "free (default)\tFree\tmembers=3\tapi,email_inbox,exchange,integrations,scan_app",
        "pro\tPro\tno limits\tapi,email_inbox,exchange,integrations,scan_app",
    ]


def test_the_console_script_exits_non_zero_on_an_unknown_organization(tmp_path: Any) -> None:
    # given
    environ = {"PATH": "/usr/bin:/bin", "LEDGERBRIDGE_DATA_DIR": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "ledgerbridge.cli", "migrate", "-v", "0"], check=True, env=environ
    )
    # when
    result = subprocess.run(
        [sys.executable, "-m", "ledgerbridge.cli", "plan", "set", "--org", "nope", "pro"],
        capture_output=True, text=True, check=False, env=environ,
    )  # fmt: skip
    # then
    assert result.returncode == 1
    assert result.stderr == "CommandError: no organization with id, slug or tax ID 'nope'\n"
