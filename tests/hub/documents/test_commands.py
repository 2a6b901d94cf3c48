"""``ledgerbridge upload`` and ``ledgerbridge inbox address`` from the shell."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import QRBILL_GENERATED, admin_of, blank_pdf, make_membership
from tests.hub.helpers import counts

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("upload", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_upload_prints_one_line_per_document_and_finds_repeats() -> None:
    # given
    admin = admin_of()
    bill = str(QRBILL_GENERATED / "s1_bill01_w900.png")
    photo = str(QRBILL_GENERATED / "s1_bill01_w1200.png")
    # when
    first, _ = _run(bill, photo, "--org", admin.organization.slug, "--user", admin.user.email)
    again, _ = _run(bill, "--org", admin.organization.tax_id)
    # then
    one, two = (
        Document.objects.get(file__original_name=n)
        for n in ("s1_bill01_w900.png", "s1_bill01_w1200.png")
    )
    assert first.splitlines() == [
        f"created\t#{one.pk}\tpayment_slip\tpending\ts1_bill01_w900.png\tJürg Brönnimann"
        "\t250.87 EUR",
        f"created\t#{two.pk}\tpayment_slip\tpending\ts1_bill01_w1200.png\tJürg Brönnimann"
        f"\t250.87 EUR\tduplicate of #{one.pk}",
    ]
    assert again.splitlines()[0].startswith(f"found\t#{one.pk}\t")
    assert (one.source, one.created_by) == ("upload", admin.user)


def test_upload_reports_refused_files_and_exits_with_an_error(tmp_path: Path) -> None:
    # given
    admin = admin_of()
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(blank_pdf())
    err = StringIO()
    # when
    with pytest.raises(CommandError) as failed:
        call_command(
            "upload",
            str(empty),
            str(letter),
            "--org",
            admin.organization.slug,
            stdout=StringIO(),
            stderr=err,
        )
    # then
    assert str(failed.value) == "2 of 2 file(s) refused"
    assert [line.split("\t")[2] for line in err.getvalue().splitlines()] == [
        "file-empty",
        "no-document-found",
    ]
    assert counts() == (0, 0)


def test_upload_keeps_unreadable_files_as_other_when_asked(tmp_path: Path) -> None:
    # given
    admin = admin_of()
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(blank_pdf())
    # when
    out, _ = _run(str(letter), "--org", admin.organization.slug, "--keep-unreadable")
    # then
    assert out.split("\t")[2:4] == ["other", "received"]


def test_upload_refuses_a_user_who_may_not_upload() -> None:
    # given
    admin = admin_of()
    viewer = make_membership(
        organization=admin.organization, role=Role.EMPLOYEE, permissions=["documents.view"]
    )
    # when
    with pytest.raises(CommandError) as failed:
        _run(
            str(QRBILL_GENERATED / "s1_bill01_w900.png"),
            "--org",
            admin.organization.slug,
            "--user",
            viewer.user.email,
        )
    # then
    assert "may not upload" in str(failed.value)
    assert counts() == (0, 0)


def test_upload_refuses_an_unknown_organization() -> None:
    # when / then
    with pytest.raises(CommandError, match="no organization"):
        _run(str(QRBILL_GENERATED / "s1_bill01_w900.png"), "--org", "nobody")


def test_inbox_address_is_created_once_and_names_the_organization(settings: object) -> None:
    # given
    admin = admin_of()
    out = StringIO()
    # when
    call_command("inbox", "address", "--org", admin.organization.slug, stdout=out)
    call_command("inbox", "address", "--org", admin.organization.slug, stdout=out)
    # then
    first, second = out.getvalue().split()
    assert first == second
    assert first.startswith(f"{admin.organization.slug}-")
    assert first.endswith("@inbox.localhost")
