"""Acceptance B of issue 4: every generated QR-bill image, through the API, field by field.

Each image of ``qrbill/generated/manifest.json`` (PNG and JPEG photos in several sizes,
rotated, in perspective, blurred, noisy, on an A4 PDF page) is posted to
``POST /api/v1/documents`` with the bearer token of a phone (``app`` role), then pulled
back by accounting software with ``GET /api/v1/payment-slips?status=pending``. Both
answers must carry exactly the manifest's ``expected_fields``; the manifest speaks
SwissQRBill's names, mapped here to the canonical model's (``account`` -> ``iban``,
``house_no`` -> ``building_number``, ``debtor`` -> ``ultimate_debtor`` ...). The expected
due date and invoice number come from the manifest's Swico S1 string, decoded here on its
own rather than by the hub's decoder. Every later image of a bill is another scan of the
same payment and must be flagged as a duplicate of the first; the same file again answers
the existing document. The pass count is printed and written to
``<artifacts>/capture-corpus.txt``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.factories import make_membership, make_organization, qrbill_file, qrbill_manifest
from tests.hub.helpers import counts, qrbill_address, token_client

if TYPE_CHECKING:
    from pathlib import Path

    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

DOCUMENTS = "/api/v1/documents"
SLIPS = "/api/v1/payment-slips"
# Header and trailer are not kept by the model: the reader refuses any code whose header
# is not SPC / 02xx / coding type 1 or whose trailer is not EPD, so a slip implies them.
ENFORCED_BY_READER = {"qr_type": "SPC", "coding_type": "1", "trailer": "EPD"}


def _clients() -> tuple[Client, Client, str]:
    """A phone's token (``app``: upload only) and an accountant's token, one organization;
    and the phone user's e-mail."""
    organization = make_organization()
    phone = make_membership(organization=organization, role=Role.APP)
    accountant = make_membership(organization=organization, role=Role.ACCOUNTANT)
    assert sorted(phone.permissions) == [Permission.DOCUMENTS_UPLOAD]
    return token_client(phone), token_client(accountant), phone.user.email


def _scan(client: Client, entry: dict[str, Any], data: bytes | None = None) -> Response:
    body = entry["path"].read_bytes() if data is None else data
    return client.post(
        f"{DOCUMENTS}?filename={entry['file']}&source=scan",
        data=body,
        content_type="application/octet-stream",
    )


def _pull_all(client: Client) -> list[dict[str, Any]]:
    """Every pending slip, following the cursor (small pages, so the cursor is used)."""
    items: list[dict[str, Any]] = []
    query: dict[str, str] = {"status": "pending", "limit": "50"}
    for _page in range(100):
        answer = client.get(SLIPS, query)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        items.extend(body["items"])
        if body["next_cursor"] is None:
            return items
        query["cursor"] = body["next_cursor"]
    raise AssertionError("the cursor never ended")


def _s1(bill_information: str) -> tuple[str, date | None]:
    """Invoice number (tag 10) and net due date (tag 11 + the 0 % days of tag 40) of a
    Swico S1 string; the generated bills use no escaped slashes.

    >>> _s1("//S1/10/2025-0566/11/251107/40/3:5;0:60")
    ('2025-0566', datetime.date(2026, 1, 6))
    >>> _s1("")
    ('', None)
    """
    if not bill_information:
        return "", None
    parts = bill_information.removeprefix("//S1/").split("/")
    tags = dict(zip(parts[::2], parts[1::2], strict=True))
    issued = tags.get("11")
    net_days = [
        int(days)
        for discount, days in (c.split(":") for c in tags.get("40", "").split(";") if c)
        if Decimal(discount) == 0
    ]
    due = None
    if issued and net_days:
        day = date(2000 + int(issued[:2]), int(issued[2:4]), int(issued[4:6]))
        due = day + timedelta(days=net_days[0])
    return tags.get("10", ""), due


def _expected_data(fields: dict[str, Any]) -> dict[str, Any]:
    """The canonical ``data`` a slip of these manifest fields must have."""
    return {
        "iban": fields["account"],
        "amount": fields["amount"],
        "currency": fields["currency"],
        "reference_type": fields["reference_type"],
        "reference": fields["reference"] or None,
        "message": fields["unstructured_message"] or None,
        "bill_information": fields["bill_information"] or None,
        "creditor": qrbill_address(fields["creditor"]),
        "ultimate_debtor": qrbill_address(fields["debtor"]),
        "alternative_procedures": fields["alternative_schemes"],
    }


def _expected_pulled(fields: dict[str, Any]) -> dict[str, Any]:
    """What the pull API must show for these manifest fields."""
    invoice_number, due = _s1(fields["bill_information"])
    return {
        "iban": fields["account"],
        "creditor_name": fields["creditor"]["name"],
        "creditor": qrbill_address(fields["creditor"]),
        "amount": None if fields["amount"] is None else str(Decimal(fields["amount"])),
        "currency": fields["currency"],
        "reference_type": fields["reference_type"],
        "reference": fields["reference"] or "",
        "message": fields["unstructured_message"] or None,
        "due_date": due.isoformat() if due else None,
        "invoice_number": invoice_number,
    }


def _differences(wanted: dict[str, Any], got: dict[str, Any]) -> list[str]:
    return [f"{k}: want {v!r}, got {got.get(k)!r}" for k, v in wanted.items() if got.get(k) != v]


def _check_answer(entry: dict[str, Any], answer: Response, first: int | None) -> list[str]:
    """What is wrong with the upload answer of one image (empty: nothing)."""
    if answer.status_code != 201:
        return [f"status {answer.status_code}: {answer.content[:200]!r}"]
    documents = answer.json()["documents"]
    if len(documents) != 1:
        return [f"{len(documents)} documents instead of 1"]
    [slip] = documents
    fields = entry["expected_fields"]
    problems = _differences(_expected_data(fields), slip["data"])
    problems += _differences(
        {
            "kind": "payment_slip",
            "status": "pending",
            "source": "scan",
            "format": "swiss-qr-bill",
            "has_errors": False,
            "duplicate_of": first,
        },
        slip,
    )
    problems += _differences(ENFORCED_BY_READER, fields)
    if not fields["version"].startswith("02"):
        problems.append(f"version {fields['version']} is not 02xx")
    return problems


def _check_pulled(
    entry: dict[str, Any], pulled: dict[str, Any] | None, first: int | None, scanner: str
) -> list[str]:
    if pulled is None:
        return ["missing from the pull API"]
    wanted = {
        **_expected_pulled(entry["expected_fields"]),
        "status": "pending",
        "duplicate_of": first,
        "source": "scan",
        "scanned_by": scanner,
    }
    return _differences(wanted, pulled)


def _report(artifacts_dir: Path, passed: int, failures: dict[str, list[str]]) -> str:
    total = passed + len(failures)
    lines = [f"acceptance B (issue 4): {passed}/{total} generated QR-bill images matched"]
    lines += [f"  {name}: {'; '.join(problems)}" for name, problems in sorted(failures.items())]
    text = "\n".join(lines)
    (artifacts_dir / "capture-corpus.txt").write_text(text + "\n", "utf-8")
    return text


def test_every_generated_qrbill_image_yields_its_manifest_fields_and_rescans_are_duplicates(
    capsys: pytest.CaptureFixture[str], artifacts_dir: Path
) -> None:
    # given a phone and an accounting program of one organization, and the whole corpus
    phone, accounting, scanner = _clients()
    entries = qrbill_manifest()
    assert len(entries) == 120
    assert Counter(e["variant"] for e in entries)["a4_pdf"] == 5

    # when the phone uploads every image, and the accounting program pulls the slips
    answers = [(entry, _scan(phone, entry)) for entry in entries]
    pulled = {item["id"]: item for item in _pull_all(accounting)}

    # then each answer and each pulled slip carries exactly the manifest's fields, and
    # every image after the first of a bill is a duplicate of that first slip
    firsts: dict[str, int] = {}
    failures: dict[str, list[str]] = {}
    for entry, answer in answers:
        first = firsts.get(entry["bill_id"])
        problems = _check_answer(entry, answer, first)
        if not problems:
            slip_id = answer.json()["documents"][0]["id"]
            firsts.setdefault(entry["bill_id"], slip_id)
            problems = _check_pulled(entry, pulled.get(slip_id), first, scanner)
        if problems:
            failures[entry["file"]] = problems
    report = _report(artifacts_dir, len(entries) - len(failures), failures)
    with capsys.disabled():
        print("\n" + report)
    assert not failures, report
    assert len(pulled) == len(entries)
    assert sum(item["duplicate_of"] is None for item in pulled.values()) == len(firsts) == 30


def test_the_same_file_twice_answers_the_existing_document_and_changes_nothing() -> None:
    # given a scanned bill, and the ETag of the accounting program's last pull
    phone, accounting, _scanner = _clients()
    data, entry = qrbill_file("s1_bill07_w900.png")
    first = _scan(phone, entry, data)
    pulled = accounting.get(SLIPS, {"status": "pending"})
    before = counts()

    # when the very same file is sent again
    again = _scan(phone, entry, data)

    # then the existing document is answered, nothing is stored, and the next pull is a 304
    assert (first.status_code, again.status_code) == (201, 200)
    assert (again.json()["created"], again.json()["duplicate_file"]) == (False, True)
    assert again.json()["documents"] == first.json()["documents"]
    assert counts() == before == (1, 1)
    refresh = accounting.get(
        SLIPS, {"status": "pending"}, headers={"If-None-Match": pulled["ETag"]}
    )
    assert refresh.status_code == 304
    assert refresh.content == b""


def test_the_same_bill_scanned_again_as_another_photo_is_flagged_as_a_duplicate() -> None:
    # given a bill scanned once, and the ETag of the accounting program's last pull
    phone, accounting, _scanner = _clients()
    clean, clean_entry = qrbill_file("s1_bill12_w1200.png")
    first = _scan(phone, clean_entry, clean).json()["documents"][0]
    photo_entry = next(
        e for e in qrbill_manifest() if e["bill_id"] == "s1_bill12" and e["variant"] != "clean"
    )
    etag = accounting.get(SLIPS, {"status": "pending"})["ETag"]

    # when the same bill arrives again as a different photo (another file)
    answer = _scan(phone, photo_entry)

    # then a new slip is made, flagged as a possible duplicate of the first, everywhere
    assert answer.status_code == 201
    [second] = answer.json()["documents"]
    assert second["id"] != first["id"]
    assert second["file"]["sha256"] != first["file"]["sha256"]
    assert (first["duplicate_of"], second["duplicate_of"]) == (None, first["id"])
    assert second["data"] == first["data"]
    changed = accounting.get(SLIPS, {"status": "pending"}, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert [(s["id"], s["duplicate_of"]) for s in changed.json()["items"]] == [
        (first["id"], None),
        (second["id"], first["id"]),
    ]
    flagged = accounting.get(DOCUMENTS, {"duplicate": "true"}).json()["items"]
    assert [d["id"] for d in flagged] == [second["id"]]
