"""Sending, withdrawing and replacing over the API, and the office's statuses read back in
``GET /documents/{id}`` (acceptance D: twice is once; after booking, changes are flagged)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ledgerbridge.hub.exchange.models import SentDocument
from tests.hub.api.exchange.helpers import exchange_state, get, post
from tests.hub.factories import admin_of, make_link, make_slip, office_admin, qrbill_manifest
from tests.hub.helpers import token_client

if TYPE_CHECKING:
    from django.test import Client

    from ledgerbridge.hub.documents.models import Document
    from ledgerbridge.hub.exchange.models import ClientLink
    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _linked() -> tuple[Membership, Membership, ClientLink, Document]:
    office, client = office_admin(), admin_of()
    return office, client, make_link(office, client), make_slip(client)


def _send(api: Client, document: Document, link: ClientLink) -> dict[str, Any]:
    response = post(api, f"/documents/{document.pk}/send", {"link": link.pk})
    assert response.status_code == 200, response.json()
    answer: dict[str, Any] = response.json()
    return answer


def _book(office: Membership, client: Membership, sent_id: int) -> None:
    path = f"/clients/{client.organization.pk}/documents/{sent_id}/status"
    booked = post(token_client(office), path, {"status": "booked", "reference": "BU-7"})
    assert booked.status_code == 200, booked.json()


def _corrected_bill() -> bytes:
    """The QR text of a corpus bill with another amount: a corrected version of it."""
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == "s1_bill01")
    lines = entry["expected_payload"].split("\r\n")
    lines[18] = "1234.50"  # the amount line (Swiss Implementation Guidelines, 4.3)
    return "\r\n".join(lines).encode()


def test_sending_a_document_twice_is_the_same_sending() -> None:
    # given a company linked to its office, and a payment slip
    office, client, link, slip = _linked()
    api = token_client(client)

    # when it is sent twice over the link
    first = _send(api, slip, link)
    second = _send(api, slip, link)

    # then the second answer is the first sending, and only one exists
    assert (first["created"], second["created"]) == (True, False)
    assert first["sending"]["id"] == second["sending"]["id"]
    assert SentDocument.objects.filter(document=slip).count() == 1
    # and the document's detail shows where it went, with the office's status
    detail = get(api, f"/documents/{slip.pk}").json()
    (sending,) = detail["exchange"]
    assert sending["office"] == {"id": office.organization.pk, "name": office.organization.name}
    assert (sending["link"], sending["status"], sending["source_state"]) == (
        link.pk,
        "sent",
        "current",
    )
    assert [(s["step"], s["by"]) for s in sending["history"]] == [("sent", "client")]


def test_a_document_is_refused_over_a_link_that_does_not_share_its_kind() -> None:
    # given a link that shares other documents only
    office, client = office_admin(), admin_of()
    link = make_link(office, client, categories=["other"])
    slip = make_slip(client)
    api = token_client(client)
    before = exchange_state()

    # when a payment slip is sent over it
    response = post(api, f"/documents/{slip.pk}/send", {"link": link.pk})

    # then it is refused and nothing crossed
    assert (response.status_code, response.json()["code"]) == (422, "category-not-shared")
    assert exchange_state() == before


def test_the_office_cannot_send_over_its_clients_link() -> None:
    # given an active link and the office's own document
    office, _client, link, _slip = _linked()
    own = make_slip(office, "s1_bill02")
    api = token_client(office)
    before = exchange_state()

    # when the office sends its document over the link
    response = post(api, f"/documents/{own.pk}/send", {"link": link.pk})

    # then the link is not its to send over: 404, nothing changed
    assert (response.status_code, response.json()["code"]) == (404, "not-found")
    assert exchange_state() == before


def test_withdrawing_a_booked_document_flags_it_for_the_office() -> None:
    # given a slip the office booked
    office, client, link, slip = _linked()
    sent_id = _send(token_client(client), slip, link)["sending"]["id"]
    _book(office, client, sent_id)

    # when the company withdraws it
    withdrawn = post(token_client(client), f"/documents/{slip.pk}/withdraw")

    # then the office sees it cancelled at source, flagged, and can no longer book it
    assert withdrawn.status_code == 200
    assert [s["source_state"] for s in withdrawn.json()["sendings"]] == ["withdrawn"]
    office_api = token_client(office)
    path = f"/clients/{client.organization.pk}/documents/{sent_id}"
    seen = get(office_api, path).json()
    assert (seen["source_state"], seen["needs_attention"], seen["status"]) == (
        "withdrawn",
        True,
        "booked",
    )
    rebook = post(office_api, f"{path}/status", {"status": "booked", "reference": "BU-8"})
    assert (rebook.status_code, rebook.json()["code"]) == (409, "document-withdrawn")
    again = post(token_client(client), f"/documents/{slip.pk}/withdraw")
    assert (again.status_code, again.json()["code"]) == (409, "document-not-sent")


def test_replacing_a_booked_document_sends_the_new_version_and_links_it() -> None:
    # given a slip the office booked
    office, client, link, slip = _linked()
    sent_id = _send(token_client(client), slip, link)["sending"]["id"]
    _book(office, client, sent_id)
    corrected = SimpleUploadedFile("corrected.txt", _corrected_bill(), "text/plain")

    # when the company replaces it with a corrected file
    response = token_client(client).post(
        f"/api/v1/documents/{slip.pk}/replace", {"file": corrected}
    )

    # then the new version is read, sent over the same link, and the old one points to it
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["document"]["amount"] == "1234.50"
    (new_sending,) = body["sendings"]
    assert (new_sending["link"], new_sending["version"]) == (link.pk, 2)
    old = get(token_client(office), f"/clients/{client.organization.pk}/documents/{sent_id}")
    assert (old.json()["source_state"], old.json()["replaced_by"]) == (
        "replaced",
        new_sending["id"],
    )
    assert old.json()["needs_attention"] is True
    detail = get(token_client(client), f"/documents/{slip.pk}").json()
    assert detail["exchange"][0]["replaced_by"] == body["document"]["id"]


def test_replacing_with_the_same_file_is_refused_and_changes_nothing() -> None:
    # given a sent slip
    _office, client, link, slip = _linked()
    api = token_client(client)
    _send(api, slip, link)
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == "s1_bill01")
    same = SimpleUploadedFile("again.txt", entry["expected_payload"].encode(), "text/plain")
    before = exchange_state()

    # when the very file that was sent comes back as the "correction"
    response = api.post(f"/api/v1/documents/{slip.pk}/replace", {"file": same})

    # then it is refused and nothing changed
    assert (response.status_code, response.json()["code"]) == (409, "replacement-same-file")
    assert exchange_state() == before


def test_sending_needs_documents_send() -> None:
    # given a member who may view and upload, not send
    _office, client, link, slip = _linked()
    viewer = token_client(client, permissions=["documents.view", "documents.upload"])
    before = exchange_state()

    # when they send, withdraw and replace
    answers = [
        post(viewer, f"/documents/{slip.pk}/send", {"link": link.pk}),
        post(viewer, f"/documents/{slip.pk}/withdraw"),
        viewer.post(f"/api/v1/documents/{slip.pk}/replace", {"file": b"x"}),
    ]

    # then each answers 403 and nothing changed
    assert [(r.status_code, r.json()["code"]) for r in answers] == [(403, "permission-denied")] * 3
    assert exchange_state() == before
