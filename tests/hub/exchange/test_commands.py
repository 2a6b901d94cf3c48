"""``ledgerbridge links list --org X``: the operator's table of an organization's links."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ledgerbridge import cli
from tests.hub.factories import admin_of, make_link, office_admin

pytestmark = pytest.mark.django_db


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("links", *args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def test_links_list_shows_both_directions_by_slug_tax_id_or_id() -> None:
    # given an office with an active link and a pending request
    office = office_admin()
    active_client, asked_client = admin_of(), admin_of()
    active = make_link(office, active_client, categories=["payment_slip"])
    pending = make_link(office, asked_client, accept=False)
    organization = office.organization

    # when the operator lists the office's links three ways, and the client's
    by_slug = _run("list", "--org", organization.slug)
    by_tax_id = _run("list", "--org", organization.tax_id)
    by_id = _run("list", "--org", str(organization.pk))
    client_side = _run("list", "--org", active_client.organization.slug)

    # then one header and one row per link, newest first, the same whichever key
    assert by_slug == by_tax_id == by_id
    header, *rows = by_slug
    assert header.split() == ["id", "direction", "other", "side", "status", "categories",
                              "created", "accepted"]  # fmt: skip
    assert [row.split()[0] for row in rows] == [str(pending.pk), str(active.pk)]
    assert active_client.organization.name in rows[1]
    assert "payment_slip" in rows[1]
    assert "active" in rows[1]
    assert "pending" in rows[0]
    assert asked_client.organization.name in rows[0]
    assert "accounting office (asked us)" in client_side[1]
    assert organization.name in client_side[1]


def test_links_list_of_an_unknown_organization_is_a_clear_error() -> None:
    # when the operator names an organization that does not exist
    with pytest.raises(CommandError) as caught:
        _run("list", "--org", "no-such-org")
    # then the error says so
    assert str(caught.value) == "no organization with slug, tax ID or id 'no-such-org'"


def test_links_is_a_ledgerbridge_subcommand() -> None:
    assert cli._DJANGO_COMMANDS["links"](["list", "--org", "x"]) == ["links", "list", "--org", "x"]
