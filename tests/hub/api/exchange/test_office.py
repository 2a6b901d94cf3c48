"""The office's partner space over the API: clients, a client's documents pulled with a
cursor and ``ETag`` (pulling marks them received), statuses set once, and a revoke while
the office is looking (acceptance D)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ledgerbridge.hub.exchange import services
from ledgerbridge.hub.exchange.models import SentDocument, SentDocumentChange
from tests.hub.api.exchange.helpers import exchange_state, get, post
from tests.hub.factories import admin_of, make_link, make_slip_to, office_admin
from tests.hub.helpers import token_client

if TYPE_CHECKING:
    from ledgerbridge.hub.exchange.models import ClientLink
    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _sent(
    client: Membership, link: ClientLink, count: int, *, first: int = 0
) -> list[SentDocument]:
    """``count`` payment slips of ``client`` (of ``first + 1``.00, ...) sent over ``link``."""
    sent = []
    for number in range(first, first + count):
        slip = make_slip_to(client, creditor=f"Creditor {number} AG", amount=f"{number + 1}.00")
        sending, _created = services.document_send(
            document=slip, link=link, actor=client.user, ip=None
        )
        sent.append(sending)
    return sent


def test_the_office_lists_its_clients_with_their_counters() -> None:
    # given a client that sent two slips
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    _sent(client, link, 2)

    # when the office lists its clients
    response = get(token_client(office), "/clients?search=" + client.organization.name[:7])

    # then the client is there with two new documents
    assert response.status_code == 200
    (row,) = response.json()["items"]
    assert (row["id"], row["name"], row["tax_id"], row["link"]) == (
        client.organization.pk,
        client.organization.name,
        client.organization.tax_id,
        link.pk,
    )
    assert (row["count_new"], row["count_waiting"], row["count_rejected"]) == (2, 0, 0)
    assert row["last_activity_at"] is not None


def test_pulling_marks_received_and_an_unchanged_pull_answers_304() -> None:
    # given two sent slips
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    sent = _sent(client, link, 2)
    api = token_client(office)
    path = f"/clients/{client.organization.pk}/documents?category=payment_slip"

    # when the office pulls, then pulls again with the ETag it got
    first = get(api, path)
    second = get(api, path, If_None_Match=first["ETag"])

    # then the first answer shows them received (and they are), the second is 304
    assert first.status_code == 200
    assert [(i["id"], i["status"]) for i in first.json()["items"]] == [
        (s.pk, "received") for s in sent
    ]
    assert first.json()["next_cursor"] is None
    assert set(SentDocument.objects.values_list("status", flat=True)) == {"received"}
    assert (second.status_code, second["ETag"]) == (304, first["ETag"])
    assert SentDocumentChange.objects.filter(step="received").count() == 2
    # and a new sending changes the answer
    _sent(client, link, 1, first=2)
    assert get(api, path, If_None_Match=first["ETag"]).status_code == 200


def test_the_pull_pages_with_a_cursor_and_filters() -> None:
    # given three sent slips of 1.00, 2.00 and 3.00
    office, client = office_admin(), admin_of()
    sent = _sent(client, make_link(office, client), 3)
    api = token_client(office)
    base = f"/clients/{client.organization.pk}/documents"

    # when the office pages two at a time, and filters
    page = get(api, f"{base}?limit=2").json()
    rest = get(api, f"{base}?limit=2&cursor={page['next_cursor']}").json()
    cheap = get(api, f"{base}?amount_max=2.00").json()
    invoices = get(api, f"{base}?category=outgoing_invoice").json()
    bad = get(api, f"{base}?cursor=not-ours")

    # then the pages follow each other, and the filters hold
    assert [i["id"] for i in page["items"] + rest["items"]] == [s.pk for s in sent]
    assert rest["next_cursor"] is None
    assert [i["amount"] for i in cheap["items"]] == ["1.00", "2.00"]
    assert invoices["items"] == []
    assert (bad.status_code, bad.json()["code"]) == (422, "cursor-invalid")


def test_a_status_set_twice_is_one_change() -> None:
    # given a sent slip
    office, client = office_admin(), admin_of()
    (sent,) = _sent(client, make_link(office, client), 1)
    api = token_client(office)
    path = f"/clients/{client.organization.pk}/documents/{sent.pk}/status"
    body = {"status": "booked", "reference": "BU-2026-17"}

    # when the office books it twice
    first = post(api, path, body)
    second = post(api, path, body)

    # then both answer 200, the second without a change, and the history has one booking
    assert (first.status_code, first.json()["changed"]) == (200, True)
    assert (second.status_code, second.json()["changed"]) == (200, False)
    assert second.json()["document"]["reference"] == "BU-2026-17"
    assert SentDocumentChange.objects.filter(sent_document=sent, step="booked").count() == 1
    # and the company reads "booked (BU-2026-17)"
    detail = get(token_client(client), f"/documents/{sent.document_id}").json()
    assert (detail["exchange"][0]["status"], detail["exchange"][0]["reference"]) == (
        "booked",
        "BU-2026-17",
    )


def test_a_rejection_needs_a_reason_the_client_reads() -> None:
    # given a sent slip
    office, client = office_admin(), admin_of()
    (sent,) = _sent(client, make_link(office, client), 1)
    api = token_client(office)
    path = f"/clients/{client.organization.pk}/documents/{sent.pk}/status"
    before = exchange_state()

    # when the office rejects it without, then with a reason
    bare = post(api, path, {"status": "rejected"})
    unchanged = exchange_state()
    reasoned = post(api, path, {"status": "rejected", "reason": "Wrong company name"})

    # then the first is refused and changed nothing; the second reaches the company
    assert (bare.status_code, bare.json()["code"]) == (422, "reason-required")
    assert unchanged == before
    assert reasoned.json()["document"]["reason"] == "Wrong company name"
    detail = get(token_client(client), f"/documents/{sent.document_id}").json()
    step = detail["exchange"][0]["history"][-1]
    assert (step["step"], step["by"], step["reason"], step["actor"]) == (
        "rejected",
        "office",
        "Wrong company name",
        office.user.email,
    )


def test_a_revoke_while_the_office_is_viewing_leaves_it_readable_and_read_only() -> None:
    # given the office looking at a client's sent slip
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    (sent,) = _sent(client, link, 1)
    api = token_client(office)
    path = f"/clients/{client.organization.pk}/documents/{sent.pk}"
    assert get(api, path).status_code == 200

    # when the client revokes the link, and the office reads on and sets a status
    revoked = post(token_client(client), f"/client-links/{link.pk}/revoke")
    before = exchange_state()
    listed = get(api, f"/clients/{client.organization.pk}/documents")
    detail = get(api, path)
    download = get(api, f"{path}/file")
    booked = post(api, f"{path}/status", {"status": "booked", "reference": "BU-1"})

    # then reading still works (read-only), and the status change is refused
    assert revoked.status_code == 200
    assert [(i["id"], i["read_only"]) for i in listed.json()["items"]] == [(sent.pk, True)]
    assert (detail.status_code, detail.json()["read_only"]) == (200, True)
    assert download.status_code == 200
    assert download.getvalue().startswith(b"SPC")
    assert (booked.status_code, booked.json()["code"]) == (409, "link-revoked")
    assert exchange_state() == before


def test_the_original_file_is_the_one_that_was_sent() -> None:
    # given a sent slip
    office, client = office_admin(), admin_of()
    (sent,) = _sent(client, make_link(office, client), 1)

    # when the office downloads it
    path = f"/clients/{client.organization.pk}/documents/{sent.pk}/file"
    response = get(token_client(office), path)

    # then it is the file as it was sent
    assert response.status_code == 200
    assert response["ETag"] == f'"{sent.file.sha256}"'
    assert response.getvalue().startswith(b"SPC")
