"""Management commands: bootstrap, createadmin, token create/list/revoke."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken, Membership, Organization, User
from ledgerbridge.hub.identity.permissions import Permission
from tests.hub.factories import admin_of, make_membership, make_organization, make_token
from tests.hub.helpers import snapshot

pytestmark = pytest.mark.django_db


def test_bootstrap_creates_demo_data_once(capsys: pytest.CaptureFixture[str]) -> None:
    # when
    call_command("bootstrap")
    first = capsys.readouterr().out
    call_command("bootstrap")
    second = capsys.readouterr().out
    # then
    found = re.search(r"Demo admin: admin@demo\.ledgerbridge\.local / (\S+)", first)
    assert found is not None
    admin = User.objects.get(email="admin@demo.ledgerbridge.local")
    assert admin.check_password(found.group(1))
    assert EmailAddress.objects.filter(user=admin, verified=True, primary=True).count() == 1
    organization = Organization.objects.get()
    assert (organization.country, organization.tax_id_display) == ("CH", "CHE-116.281.710")
    assert Membership.objects.get(user=admin).has_permission(Permission.USERS_MANAGE)
    assert second.count("\n") == 1
    assert "Demo admin" not in second
    assert User.objects.count() == 1


def test_createadmin_makes_a_verified_admin_of_an_organization(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given
    organization = make_organization(slug="acme")
    # when
    call_command(
        "createadmin",
        "--email",
        "Ops@Example.test",
        "--password",
        "long enough pass 42",
        "--org",
        organization.tax_id_display,
    )
    # then
    user = User.objects.get(email="ops@example.test")
    assert user.check_password("long enough pass 42")
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.get(user=user, organization=organization).role == "admin"
    assert "Created admin ops@example.test" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--password", "123"], "weak-password"),
        (["--password", "long enough pass 42", "--org", "nope"], "no organization"),
    ],
)
def test_createadmin_refuses_bad_input_and_creates_nothing(args: list[str], message: str) -> None:
    # given
    before = snapshot()
    # when
    with pytest.raises(CommandError, match=message):
        call_command("createadmin", "--email", "ops@example.test", *args)
    # then
    assert snapshot() == before


def test_token_create_prints_a_working_token_once(capsys: pytest.CaptureFixture[str]) -> None:
    # given
    member = make_membership(role="accountant")
    key = member.organization.slug
    # when
    call_command(
        "token",
        "create",
        "--user",
        member.user.email,
        "--org",
        key,
        "--permissions",
        "documents.view,documents.upload",
        "--name",
        "scanner",
    )
    # then
    raw = capsys.readouterr().out.strip()
    grant = services.api_token_authenticate(raw)
    assert grant is not None
    assert grant.permissions == {Permission.DOCUMENTS_VIEW, Permission.DOCUMENTS_UPLOAD}
    assert grant.token.name == "scanner"


def test_token_create_refuses_more_than_the_user_has() -> None:
    # given
    member = make_membership(role="employee")
    before = snapshot()
    # when
    with pytest.raises(CommandError, match="token-permissions-exceed-user"):
        call_command(
            "token",
            "create",
            "--user",
            member.user.email,
            "--org",
            member.organization.tax_id,
            "--permissions",
            "users.manage",
        )
    # then
    assert snapshot() == before


def test_token_list_and_revoke(capsys: pytest.CaptureFixture[str]) -> None:
    # given
    admin = admin_of()
    token = make_token(admin, name="erp")
    # when
    call_command("token", "list", "--org", admin.organization.slug)
    listed = capsys.readouterr().out
    call_command("token", "revoke", str(token.pk))
    revoked = capsys.readouterr().out
    # then
    assert f"{token.pk}\tlb_{token.prefix}_…\tactive\t{admin.user.email}\terp" in listed
    assert f"revoked token {token.pk}" in revoked
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
