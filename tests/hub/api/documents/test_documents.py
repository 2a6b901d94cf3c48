"""The documents and payment-slips API: uploads, refusals, lists, downloads and the pull API."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.factories import (
    HTML_AS_PDF,
    admin_of,
    blank_pdf,
    bomb_png,
    make_membership,
    plain_qr_png,
    qrbill_file,
    qrbill_manifest,
    receipt_jpeg,
)
from tests.hub.helpers import counts, qrbill_address, session_client, storage_files, token_client

if TYPE_CHECKING:
    from pathlib import Path

    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

URL = "/api/v1/documents"
SLIPS = "/api/v1/payment-slips"


def upload(
    client: Client, data: bytes, *, query: str = "?filename=bill.png", **headers: str
) -> Response:
    return client.post(
        URL + query, data=data, content_type="application/octet-stream", headers=headers
    )


def test_a_multipart_upload_answers_201_with_the_payment_slip() -> None:
    # given
    client = token_client(admin_of())
    data, entry = qrbill_file()
    # when
    response = client.post(URL, {"file": _named(data, "bill.png")})
    # then
    assert response.status_code == 201
    body = response.json()
    [slip] = body["documents"]
    assert (body["created"], body["duplicate_file"]) == (True, False)
    assert (slip["kind"], slip["status"], slip["source"]) == ("payment_slip", "pending", "api")
    assert slip["iban"] == entry["expected_fields"]["account"]
    assert slip["file"]["filename"] == "bill.png"
    assert slip["file"]["content_type"] == "image/png"


def _named(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_a_raw_body_upload_takes_its_name_from_the_query() -> None:
    # given
    client = token_client(admin_of())
    # when
    first = upload(client, qrbill_file()[0], query="?filename=scan.png&source=scan")
    again = upload(client, qrbill_file()[0])
    # then
    assert first.status_code == 201
    assert first.json()["documents"][0]["file"]["filename"] == "scan.png"
    assert first.json()["documents"][0]["source"] == "scan"
    assert again.status_code == 200
    assert again.json()["duplicate_file"] is True
    assert again.json()["documents"][0]["id"] == first.json()["documents"][0]["id"]


def test_the_same_idempotency_key_and_body_answers_200_with_the_same_documents() -> None:
    # given
    client = token_client(admin_of())
    data, _ = qrbill_file()
    first = upload(client, data, **{"Idempotency-Key": "abc"})
    # when
    again = upload(client, data, **{"Idempotency-Key": "abc"})
    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["documents"] == first.json()["documents"]


def test_the_same_idempotency_key_with_another_body_is_409_and_stores_nothing(
    media: Path,
) -> None:
    # given
    client = token_client(admin_of())
    upload(client, qrbill_file("s1_bill01_w900.png")[0], **{"Idempotency-Key": "abc"})
    before = counts(), storage_files(media)
    # when
    response = upload(client, qrbill_file("s1_bill02_w900.png")[0], **{"Idempotency-Key": "abc"})
    # then
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency-key-reused"
    assert (counts(), storage_files(media)) == before


BAD_INPUTS = [
    pytest.param(lambda: b"", 422, "file-empty", id="empty"),
    pytest.param(lambda: HTML_AS_PDF, 415, "unsupported-format", id="html-named-pdf"),
    pytest.param(bomb_png, 422, "limit-image-pixels", id="decompression-bomb"),
    pytest.param(blank_pdf, 422, "no-document-found", id="pdf-without-document"),
    pytest.param(plain_qr_png, 422, "qr-not-a-qr-bill", id="qr-not-a-qr-bill"),
]


@pytest.mark.parametrize(("build", "status", "code"), BAD_INPUTS)
@pytest.mark.parametrize("multipart", [False, True], ids=["raw", "multipart"])
def test_bad_input_gets_a_specific_4xx_and_stores_nothing(
    media: Path, build: Any, status: int, code: str, *, multipart: bool
) -> None:
    # given
    client = token_client(admin_of())
    data = build()
    # when
    if multipart:
        response = client.post(URL, {"file": _named(data, "invoice.pdf")})
    else:
        response = upload(client, data, query="?filename=invoice.pdf")
    # then
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["message"]
    assert (counts(), storage_files(media)) == ((0, 0), [])


@pytest.mark.parametrize("multipart", [False, True], ids=["raw", "multipart"])
def test_an_oversize_upload_is_413_and_stores_nothing(
    media: Path, settings: Any, *, multipart: bool
) -> None:
    # given
    settings.LEDGERBRIDGE_MAX_UPLOAD_BYTES = 2000
    client = token_client(admin_of())
    data = qrbill_file()[0]
    # when
    if multipart:
        response = client.post(URL, {"file": _named(data, "bill.png")})
    else:
        response = upload(client, data)
    # then
    assert (response.status_code, response.json()["code"]) == (413, "file-too-large")
    assert (counts(), storage_files(media)) == ((0, 0), [])


OTHER_FIELD = b'--xyz\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--xyz--\r\n'


@pytest.mark.parametrize(
    ("content_type", "body", "code"),
    [
        pytest.param(
            "multipart/form-data; boundary=xyz",
            b"--xyz\r\nbroken",
            "file-missing",
            id="broken-multipart",
        ),
        pytest.param("multipart/form-data", b"abc", "multipart-invalid", id="no-boundary"),
        pytest.param(
            "multipart/form-data; boundary=xyz", OTHER_FIELD, "file-missing", id="no-file-field"
        ),
    ],
)
def test_a_malformed_multipart_body_is_a_specific_4xx(
    content_type: str, body: bytes, code: str
) -> None:
    # given
    client = token_client(admin_of())
    # when
    response = client.post(URL, data=body, content_type=content_type)
    # then
    assert (response.status_code, response.json()["code"]) == (422, code)
    assert counts() == (0, 0)


def test_a_pdf_without_documents_is_kept_as_other_on_request() -> None:
    # given
    client = token_client(admin_of())
    # when
    response = upload(client, blank_pdf(), query="?filename=letter.pdf&keep_unreadable=true")
    # then
    assert response.status_code == 201
    assert response.json()["documents"][0]["kind"] == "other"


def test_a_receipt_photo_is_kept_as_a_purchase_receipt_of_its_category_on_request() -> None:
    # given
    client = token_client(admin_of())
    query = "?filename=lunch.jpg&keep_unreadable=true&kind=purchase_receipt&category=meals"
    # when
    response = upload(client, receipt_jpeg(), query=query)
    # then
    assert response.status_code == 201
    [document] = response.json()["documents"]
    assert (document["kind"], document["category"], document["file"]["content_type"]) == (
        "purchase_receipt",
        "meals",
        "image/jpeg",
    )


def test_a_purchase_receipt_without_a_category_is_refused() -> None:
    # given
    client = token_client(admin_of())
    query = "?filename=lunch.jpg&keep_unreadable=true&kind=purchase_receipt"
    # when
    response = upload(client, receipt_jpeg(), query=query)
    # then
    assert (response.status_code, response.json()["code"]) == (422, "receipt-category-invalid")
    assert counts() == (0, 0)


def test_uploading_needs_a_token_with_documents_upload() -> None:
    # given
    admin = admin_of()
    viewer = token_client(admin, permissions=[Permission.DOCUMENTS_VIEW])
    # when
    refused = upload(viewer, qrbill_file()[0])
    anonymous = upload(_anonymous(), qrbill_file()[0])
    # then
    assert (refused.status_code, refused.json()["code"]) == (403, "permission-denied")
    assert anonymous.status_code == 401
    assert counts() == (0, 0)


def _anonymous() -> Client:
    from django.test import Client

    return Client()


def _ingested(admin: Membership, name: str = "s1_bill01_w900.png") -> dict[str, Any]:
    response = upload(token_client(admin), qrbill_file(name)[0], query=f"?filename={name}")
    assert response.status_code == 201, response.json()
    document: dict[str, Any] = response.json()["documents"][0]
    return document


def test_the_list_filters_searches_and_pages() -> None:
    # given: a bill, a second photo of it (duplicate), and another bill
    admin = admin_of()
    first = _ingested(admin)
    second = _ingested(admin, "s1_bill01_w1200.png")
    other = _ingested(admin, "s1_bill02_w900.png")
    client = token_client(admin)
    # when
    everything = client.get(URL, {"page_size": 2}).json()
    duplicates = client.get(URL, {"duplicate": "true"}).json()
    found = client.get(URL, {"q": first["reference"]}).json()
    slips = client.get(URL, {"kind": "payment_slip", "status": "pending"}).json()
    # then
    assert (everything["count"], len(everything["items"])) == (3, 2)
    assert [d["id"] for d in duplicates["items"]] == [second["id"]]
    assert duplicates["items"][0]["duplicate_of"] == first["id"]
    assert {d["id"] for d in found["items"]} == {first["id"], second["id"]}
    assert slips["count"] == 3
    assert other["duplicate_of"] is None


def test_a_bad_filter_is_a_422() -> None:
    # given
    client = token_client(admin_of())
    # when
    response = client.get(URL, {"kind": "banana"})
    # then
    assert (response.status_code, response.json()["code"]) == (422, "invalid-request")


def test_the_detail_shows_the_status_history_and_the_file_downloads() -> None:
    # given
    admin = admin_of()
    document = _ingested(admin)
    client = token_client(admin)
    # when
    detail = client.get(f"{URL}/{document['id']}")
    download = client.get(document["file"]["url"])
    # then
    assert detail.status_code == 200
    history = [
        (h["from_status"], h["to_status"], h["actor"], h["token"]) for h in detail.json()["history"]
    ]
    assert history == [("", "pending", admin.user.email, "test")]
    assert download.status_code == 200
    assert download.getvalue() == qrbill_file()[0]
    assert download["Content-Disposition"] == 'attachment; filename="s1_bill01_w900.png"'


def test_foreign_documents_answer_404_like_missing_ones() -> None:
    # given
    document = _ingested(admin_of())
    stranger = token_client(admin_of())
    # when
    answers = [
        stranger.get(f"{URL}/{document['id']}"),
        stranger.get(f"{URL}/{document['id']}/file"),
        stranger.post(
            f"{SLIPS}/{document['id']}/processed",
            {"booking_reference": "X"},
            content_type="application/json",
        ),
        stranger.post(
            f"{SLIPS}/{document['id']}/rejected", {"reason": "X"}, content_type="application/json"
        ),
        stranger.get(f"{URL}/999999"),
    ]
    # then
    assert [r.status_code for r in answers] == [404] * 5
    assert stranger.get(URL).json()["count"] == 0


def test_a_phone_with_only_documents_upload_sees_its_own_scans_only() -> None:
    # given
    admin = admin_of()
    _ingested(admin)
    phone = make_membership(organization=admin.organization, role=Role.APP)
    phone_client = token_client(phone)
    mine = upload(phone_client, qrbill_file("s1_bill02_w900.png")[0]).json()["documents"][0]
    # when
    listed = phone_client.get(URL).json()
    detail = phone_client.get(f"{URL}/{mine['id']}")
    pull = phone_client.get(SLIPS)
    # then
    assert [d["id"] for d in listed["items"]] == [mine["id"]]
    assert detail.status_code == 200
    assert pull.status_code == 403


def test_the_pull_api_pages_with_a_cursor() -> None:
    # given
    admin = admin_of()
    ids = [_ingested(admin, f"s1_bill0{n}_w900.png")["id"] for n in (1, 2, 3)]
    limit = {"limit": "2"}
    client = token_client(admin)
    # when
    first = client.get(SLIPS, {"status": "pending", **limit}).json()
    second = client.get(SLIPS, {"cursor": first["next_cursor"], **limit}).json()
    bad = client.get(SLIPS, {"cursor": "not-a-cursor"})
    # then
    assert [s["id"] for s in first["items"]] == ids[:2]
    assert [s["id"] for s in second["items"]] == ids[2:]
    assert second["next_cursor"] is None
    assert (bad.status_code, bad.json()["code"]) == (422, "cursor-invalid")


def test_an_unchanged_pull_answers_304_without_loading_rows() -> None:
    # given
    admin = admin_of()
    _ingested(admin)
    client = token_client(admin, permissions=[Permission.PAYMENT_SLIPS_PROCESS])
    first = client.get(SLIPS)
    # when
    with CaptureQueriesContext(connection) as queries:
        again = client.get(SLIPS, headers={"If-None-Match": first["ETag"]})
    # then
    assert (first.status_code, again.status_code, again.content) == (200, 304, b"")
    assert again["ETag"] == first["ETag"]
    slip_rows = [q["sql"] for q in queries if '"documents_document"."data"' in q["sql"]]
    assert slip_rows == []


def test_a_new_slip_or_status_change_changes_the_etag() -> None:
    # given
    admin = admin_of()
    slip = _ingested(admin)
    client = token_client(admin)
    etag = client.get(SLIPS)["ETag"]
    # when
    client.post(
        f"{SLIPS}/{slip['id']}/processed",
        {"booking_reference": "B-1"},
        content_type="application/json",
    )
    after = client.get(SLIPS, headers={"If-None-Match": etag})
    # then
    assert after.status_code == 200
    assert after.json()["items"] == []


def test_processing_is_idempotent_and_a_rejected_slip_is_409() -> None:
    # given
    admin = admin_of()
    one, two = _ingested(admin), _ingested(admin, "s1_bill02_w900.png")
    client = token_client(admin)

    def post(slip: dict[str, Any], action: str, **body: str) -> Response:
        return client.post(f"{SLIPS}/{slip['id']}/{action}", body, content_type="application/json")

    # when
    done = post(one, "processed", booking_reference="B-1")
    repeat = post(one, "processed", booking_reference="B-1")
    rejected = post(two, "rejected", reason="not ours")
    refused = post(two, "processed", booking_reference="B-2")
    late_reject = post(one, "rejected", reason="too late")
    # then
    assert (done.status_code, repeat.status_code) == (200, 200)
    assert repeat.json() == done.json()
    assert (done.json()["status"], done.json()["booking_reference"]) == ("processed", "B-1")
    assert (rejected.status_code, rejected.json()["status_reason"]) == (200, "not ours")
    assert (refused.status_code, refused.json()["code"]) == (409, "slip-rejected")
    assert (late_reject.status_code, late_reject.json()["code"]) == (409, "slip-already-processed")
    assert token_client(admin).get(f"{URL}/{two['id']}").json()["status"] == "rejected"


def test_processing_needs_payment_slips_process() -> None:
    # given
    admin = admin_of()
    slip = _ingested(admin)
    employee = make_membership(organization=admin.organization, role=Role.EMPLOYEE)
    # when
    response = token_client(employee).post(
        f"{SLIPS}/{slip['id']}/processed",
        {"booking_reference": "B"},
        content_type="application/json",
    )
    # then
    assert (response.status_code, response.json()["code"]) == (403, "permission-denied")


def test_a_session_upload_needs_the_csrf_token() -> None:
    # given
    client = session_client(admin_of(), enforce_csrf=True)
    # when
    response = upload(client, qrbill_file()[0])
    # then
    assert response.status_code in (401, 403)
    assert counts() == (0, 0)


def test_the_openapi_document_describes_every_route() -> None:
    # given / when
    paths = _anonymous().get("/api/v1/openapi.json").json()["paths"]
    # then
    upload_op = paths["/api/v1/documents"]["post"]
    assert set(upload_op["requestBody"]["content"]) >= {
        "multipart/form-data",
        "application/octet-stream",
    }
    assert {"201", "200", "413", "415", "409"} <= set(upload_op["responses"])
    assert "304" in paths["/api/v1/payment-slips"]["get"]["responses"]
    assert "/api/v1/payment-slips/{document_id}/processed" in paths
    assert "/api/v1/documents/{document_id}/file" in paths


# --- acceptance B: every generated QR-bill image, through the API -------------------------


def _expected(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "iban": fields["account"],
        "amount": fields["amount"] or None,
        "currency": fields["currency"],
        "reference_type": fields["reference_type"],
        "reference": fields["reference"] or None,
        "message": fields["unstructured_message"] or None,
        "bill_information": fields["bill_information"] or None,
        "creditor": qrbill_address(fields["creditor"]),
        "ultimate_debtor": qrbill_address(fields["debtor"]),
        "alternative_procedures": fields["alternative_schemes"],
    }


def _read(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in _expected_keys()}


def _expected_keys() -> tuple[str, ...]:
    return (
        "iban",
        "amount",
        "currency",
        "reference_type",
        "reference",
        "message",
        "bill_information",
        "creditor",
        "ultimate_debtor",
        "alternative_procedures",
    )


def _bills() -> list[Any]:
    entries = sorted(qrbill_manifest(), key=lambda e: (e["bill_id"], e["file"]))
    return [
        pytest.param(list(group), id=bill_id)
        for bill_id, group in groupby(entries, key=lambda e: e["bill_id"])
    ]


@pytest.mark.parametrize("entries", _bills())
def test_every_generated_qrbill_image_yields_its_manifest_fields_and_repeats_are_duplicates(
    entries: list[dict[str, Any]],
) -> None:
    # given: every rendering of one bill (sizes, rotation, blur, JPEG, A4 PDF ...)
    client = token_client(admin_of())
    # when
    answers = [
        upload(client, e["path"].read_bytes(), query=f"?filename={e['file']}&source=scan")
        for e in entries
    ]
    # then
    assert [a.status_code for a in answers] == [201] * len(entries)
    slips = [a.json()["documents"] for a in answers]
    assert [len(s) for s in slips] == [1] * len(entries)
    first = slips[0][0]
    for entry, [slip] in zip(entries, slips, strict=True):
        assert slip["kind"] == "payment_slip", entry["file"]
        assert _read(slip["data"]) == _expected(entry["expected_fields"]), entry["file"]
    assert first["duplicate_of"] is None
    assert [s[0]["duplicate_of"] for s in slips[1:]] == [first["id"]] * (len(entries) - 1)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("", "application/json"), ("{}", "application/json"), ("", "text/plain")],
    ids=["empty-json", "empty-object", "no-body"],
)
def test_marking_processed_needs_no_booking_reference(body: str, content_type: str) -> None:
    # given
    admin = admin_of()
    slip = _ingested(admin)
    # when
    response = token_client(admin).post(
        f"{SLIPS}/{slip['id']}/processed", body, content_type=content_type
    )
    # then
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["booking_reference"]) == ("processed", "")


def test_the_openapi_document_makes_the_processed_body_optional() -> None:
    # given / when
    schema = _anonymous().get("/api/v1/openapi.json").json()
    # then
    operation = schema["paths"]["/api/v1/payment-slips/{document_id}/processed"]["post"]
    assert operation["requestBody"].get("required", False) is False
    body = schema["components"]["schemas"]["ProcessedIn"]
    assert body.get("required", []) == []
    assert body["properties"]["booking_reference"]["default"] == ""


_UNSAFE_NAMES = [
    ("../../etc/passwd", "passwd", 'attachment; filename="passwd"'),
    ("a\r\nX-Evil: 1.pdf", "aX-Evil: 1.pdf", 'attachment; filename="aX-Evil: 1.pdf"'),
    ("C:\\x\\y.pdf", "y.pdf", 'attachment; filename="y.pdf"'),
    # (a NUL byte is refused with text-nul-byte before any name is made; see test_hostile_input)
    ("..\\.hidden.png", "hidden.png", 'attachment; filename="hidden.png"'),
    (
        "Rechnung März.pdf",
        "Rechnung März.pdf",
        "attachment; filename=\"Rechnung Marz.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf",
    ),
]


@pytest.mark.parametrize(("given", "stored", "header"), _UNSAFE_NAMES)
def test_a_raw_upload_keeps_only_a_safe_base_name(given: str, stored: str, header: str) -> None:
    # given
    client = token_client(admin_of())
    data = qrbill_file()[0]
    # when
    response = upload(client, data, query="?" + urlencode({"filename": given}))
    download = client.get(response.json()["documents"][0]["file"]["url"])
    # then
    assert response.status_code == 201
    assert response.json()["documents"][0]["file"]["filename"] == stored
    assert download["Content-Disposition"] == header
    assert download.getvalue() == data


def test_a_raw_upload_takes_the_base_name_of_its_content_disposition() -> None:
    # given
    client = token_client(admin_of())
    # when
    response = upload(
        client, qrbill_file()[0], query="",
        **{"Content-Disposition": 'attachment; filename="..\\\\..\\\\bill.png"'},
    )  # fmt: skip
    # then
    assert response.status_code == 201
    assert response.json()["documents"][0]["file"]["filename"] == "bill.png"
