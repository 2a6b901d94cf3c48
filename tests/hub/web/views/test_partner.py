"""The partner space: client list, a client's category tabs, bulk actions, ZIP, detail."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledgerbridge.hub.exchange import services
from ledgerbridge.hub.exchange.models import (
    ClientLink,
    SentDocument,
    SentDocumentChange,
)
from ledgerbridge.hub.identity.models import AuditEvent, Membership, Organization
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import (
    admin_of,
    ingest_corpus,
    make_link,
    make_membership,
    make_organization,
    make_slip,
    make_slip_to,
    office_admin,
    send,
)
from tests.hub.helpers import client_for

if TYPE_CHECKING:
    from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

# an invoice whose buyer names no tax ID: an incoming invoice of whichever client sends it
UBL = "xrechnung/testsuite/01.01a-INVOICE_ubl.xml"
CAMT = "camt053/genkgo/camt053.v2.all-balance-types.xml"


def _docs(client: Client, client_id: int | None, **params: Any) -> Any:
    return client.get(reverse("web:client_documents", kwargs={"client_id": client_id}), params)


def _ids(response: Any) -> list[int]:
    return [s.pk for s in response.context["documents"]]


def _state() -> list[tuple[Any, ...]]:
    return [
        *SentDocument.objects.order_by("id").values_list("id", "status", "reference", "reason"),
        (SentDocumentChange.objects.count(), AuditEvent.objects.count()),
    ]


def _world() -> tuple[Membership, Membership, ClientLink, dict[str, SentDocument]]:
    """An office with one client that sent a QR-bill with an invoice, a UBL invoice and a
    camt.053 statement."""
    office, client = office_admin(), admin_of(make_organization(name="Client Tenant AG"))
    link = make_link(office, client)
    sent = {
        "slip": send(client, link, make_slip(client)),
        "ubl": send(client, link, ingest_corpus(client, UBL)),
        "camt": send(client, link, ingest_corpus(client, CAMT)),
    }
    return office, client, link, sent


def _org(link: ClientLink) -> Organization:
    assert link.client is not None
    return link.client


def _clients(office: Membership, count: int) -> list[ClientLink]:
    links = []
    for n in range(count):
        client = admin_of(make_organization(name=f"Client {n:02d} AG"))
        links.append(make_link(office, client))
    return links


# --- the client list -----------------------------------------------------------------


def test_client_list_shows_counters_and_sorts_by_each_column() -> None:
    # given an office with three clients, one with two new documents, one with a rejection
    office = office_admin()
    first, second, third = _clients(office, 3)
    busy = Membership.objects.get(organization=second.client, role=Role.ADMIN)
    send(busy, second, make_slip(busy, "s1_bill01"))
    send(busy, second, make_slip(busy, "s1_bill02"))
    picky = Membership.objects.get(organization=third.client, role=Role.ADMIN)
    rejected = send(picky, third, make_slip(picky))
    services.sent_document_set_status(
        sent=rejected, office=office.organization, status="rejected", reason="blurred",
        actor=office.user, ip=None,
    )  # fmt: skip
    web = client_for(office)
    url = reverse("web:client_list")

    # when
    by_name = web.get(url)
    by_name_desc = web.get(url, {"sort": "-name"})
    by_new = web.get(url, {"sort": "-new"})
    by_rejected = web.get(url, {"sort": "-rejected"})
    by_tax_id = web.get(url, {"sort": "tax_id"})

    # then
    def names(response: Any) -> list[str]:
        return [link.client.name for link in response.context["links"]]

    assert names(by_name) == ["Client 00 AG", "Client 01 AG", "Client 02 AG"]
    assert names(by_name_desc) == ["Client 02 AG", "Client 01 AG", "Client 00 AG"]
    assert names(by_new) == ["Client 01 AG", "Client 00 AG", "Client 02 AG"]
    assert names(by_rejected)[0] == "Client 02 AG"
    assert [_org(link).tax_id for link in by_tax_id.context["links"]] == sorted(
        _org(link).tax_id for link in (first, second, third)
    )
    text = by_name.content.decode()
    assert _org(first).tax_id_display in text
    row = by_new.context["links"][0]
    assert (row.count_new, row.count_waiting, row.count_rejected) == (2, 0, 0)
    # the sorted column's head links to the other order
    assert 'aria-sort="descending"' in by_new.content.decode()
    assert 'href="?sort=new"' in by_new.content.decode()


def test_client_list_searches_by_name_and_tax_id_and_pages() -> None:
    # given an office with 30 clients
    office = office_admin()
    links = _clients(office, 30)
    web = client_for(office)
    url = reverse("web:client_list")

    # when
    named = web.get(url, {"q": "client 07"})
    by_tax = web.get(url, {"q": _org(links[12]).tax_id_display})
    second_page = web.get(url, {"page": 2})

    # then
    assert [link.client.name for link in named.context["links"]] == ["Client 07 AG"]
    assert [link.pk for link in by_tax.context["links"]] == [links[12].pk]
    assert [link.client.name for link in second_page.context["links"]] == [
        "Client 25 AG", "Client 26 AG", "Client 27 AG", "Client 28 AG", "Client 29 AG",
    ]  # fmt: skip


def test_an_accountant_sees_only_the_assigned_clients() -> None:
    # given an office with two clients and an accountant assigned to one of them
    office = office_admin()
    mine, other = _clients(office, 2)
    accountant = make_membership(organization=office.organization, role=Role.ACCOUNTANT)
    services.client_assign(
        office=office.organization, client=_org(mine), user=accountant.user,
        actor=office.user, ip=None,
    )  # fmt: skip
    web = client_for(accountant)

    # when
    listing = web.get(reverse("web:client_list"))
    own = _docs(web, mine.client_id)
    foreign = _docs(web, other.client_id)

    # then
    assert [link.pk for link in listing.context["links"]] == [mine.pk]
    assert (own.status_code, foreign.status_code) == (200, 404)


def test_a_revoked_client_is_listed_as_read_only() -> None:
    # given a client that revoked the link after sending a document
    office, client, link, _sent = _world()
    services.client_link_revoke(link=link, organization=client.organization,
                                actor=client.user, ip=None)  # fmt: skip
    web = client_for(office)

    # when
    listing = web.get(reverse("web:client_list"))
    tab = _docs(web, link.client_id)

    # then the row says revoked, the documents stay readable, the actions are gone
    assert "Revoked · read-only" in listing.content.decode()
    assert tab.status_code == 200
    assert len(_ids(tab)) == 3
    page = tab.content.decode()
    assert reverse("web:client_book", kwargs={"client_id": link.client_id}) not in page
    assert reverse("web:client_reject", kwargs={"client_id": link.client_id}) not in page


def test_the_clients_entry_is_in_the_menu_of_offices_only() -> None:
    # given an office admin and a company admin
    office, company = office_admin(), admin_of()

    # when
    office_home = client_for(office).get(reverse("web:home")).content.decode()
    company_home = client_for(company).get(reverse("web:home")).content.decode()
    company_list = client_for(company).get(reverse("web:client_list"))

    # then
    assert reverse("web:client_list") in office_home
    assert reverse("web:client_list") not in company_home
    assert company_list.status_code == 200
    assert "Only an accounting office has clients." in company_list.content.decode()


# --- a client's documents ---------------------------------------------------------------


def test_tabs_hold_their_category_and_a_qr_bill_with_an_invoice_is_an_incoming_invoice() -> None:
    # given
    office, _client, link, sent = _world()
    web = client_for(office)

    # when
    tabs = {
        category: _ids(_docs(web, link.client_id, category=category))
        for category in ("incoming_invoice", "payment_slip", "bank_statement", "other", "")
    }
    counts = {tab["key"]: tab["count"] for tab in _docs(web, link.client_id).context["tabs"]}

    # then
    assert sent["slip"].also_invoice
    assert tabs == {
        "incoming_invoice": [sent["ubl"].pk, sent["slip"].pk],
        "payment_slip": [sent["slip"].pk],
        "bank_statement": [sent["camt"].pk],
        "other": [],
        "": [sent["camt"].pk, sent["ubl"].pk, sent["slip"].pk],
    }
    assert counts == {
        "": 3, "incoming_invoice": 2, "outgoing_invoice": 0, "credit_note": 0,
        "purchase_receipt": 0, "bank_statement": 1, "payment_slip": 1, "other": 0,
    }  # fmt: skip


def test_tab_filters_by_status_date_amount_counterparty_and_attention() -> None:
    # given three slips of different creditors and amounts, one booked then replaced
    office = office_admin()
    client = admin_of()
    link = make_link(office, client)
    cheap = send(client, link, make_slip_to(client, creditor="Cheap Print AG", amount="12.50"))
    dear = send(client, link, make_slip_to(client, creditor="Dear Rent AG", amount="2400.00"))
    mid = send(client, link, make_slip_to(client, creditor="Mid Power AG", amount="300.00"))
    services.sent_document_set_status(
        sent=dear, office=office.organization, status="booked", reference="B-1",
        actor=office.user, ip=None,
    )  # fmt: skip
    SentDocument.objects.filter(pk=mid.pk).update(document_date=date(2025, 1, 5),
                                                  needs_attention=True)  # fmt: skip
    web = client_for(office)

    # when
    def ids(**params: str) -> list[int]:
        return _ids(_docs(web, link.client_id, **params))

    # then
    assert ids(status="booked") == [dear.pk]
    assert ids(amount_min="100", amount_max="1000") == [mid.pk]
    assert ids(counterparty="cheap") == [cheap.pk]
    assert ids(date_to="2025-12-31") == [mid.pk]
    assert ids(date_from="2025-01-06") == [dear.pk, cheap.pk]
    assert ids(attention="on") == [mid.pk]
    bad = _docs(web, link.client_id, amount_min="lots")
    assert (bad.status_code, bad.context["documents"]) == (422, [])


def test_the_live_table_answers_304_until_something_changes() -> None:
    # given the office's tab of a client, shown once with its ETag
    office, client, link, _sent = _world()
    web = client_for(office)
    url = reverse("web:client_rows", kwargs={"client_id": link.client_id})
    first = web.get(url, {"category": "payment_slip"})
    etag = first["ETag"]

    # when it polls unchanged, then after the client sent one more slip
    unchanged = web.get(url, {"category": "payment_slip"}, HTTP_IF_NONE_MATCH=etag)
    newer = send(client, link, make_slip(client, "s1_bill02"))
    changed = web.get(url, {"category": "payment_slip"}, HTTP_IF_NONE_MATCH=etag)

    # then
    assert (first.status_code, unchanged.status_code, changed.status_code) == (200, 304, 200)
    assert unchanged.content == b""
    assert changed["ETag"] != etag
    assert f'id="sent-{newer.pk}"' in changed.content.decode()
    assert "<html" not in changed.content.decode()


# --- bulk actions -----------------------------------------------------------------------


def test_bulk_booking_uses_the_common_reference_or_each_rows_own() -> None:
    # given
    office, _client, link, sent = _world()
    web = client_for(office)
    url = reverse("web:client_book", kwargs={"client_id": link.client_id})

    # when two are booked with the common reference and one with its own
    response = web.post(url, {
        "ids": [sent["slip"].pk, sent["ubl"].pk, sent["camt"].pk], "reference": "JRN-7",
        f"ref-{sent['camt'].pk}": "BANK-2026-01", "query": "category=payment_slip",
    })  # fmt: skip

    # then
    assert response.status_code == 302
    assert response["Location"].endswith(f"/clients/{link.client_id}/?category=payment_slip")
    booked = dict(SentDocument.objects.values_list("pk", "reference"))
    assert booked == {sent["slip"].pk: "JRN-7", sent["ubl"].pk: "JRN-7",
                      sent["camt"].pk: "BANK-2026-01"}  # fmt: skip
    assert set(SentDocument.objects.values_list("status", flat=True)) == {"booked"}


def test_bulk_rejection_without_a_reason_is_a_form_error_and_changes_nothing() -> None:
    # given
    office, _client, link, sent = _world()
    web = client_for(office)
    url = reverse("web:client_reject", kwargs={"client_id": link.client_id})
    before = _state()

    # when
    response = web.post(url, {"ids": [sent["slip"].pk], "reason": "  "})

    # then
    assert response.status_code == 422
    assert response.context["reject_form"].errors["reason"] == [
        "Say why the documents are rejected: the client reads it."
    ]
    assert sent["slip"].pk in response.context["selected"]
    assert _state() == before


def test_bulk_rejection_with_a_reason_rejects_every_ticked_document() -> None:
    # given
    office, _client, link, sent = _world()
    web = client_for(office)

    # when
    web.post(reverse("web:client_reject", kwargs={"client_id": link.client_id}),
             {"ids": [sent["slip"].pk, sent["ubl"].pk], "reason": "Unreadable scan"})  # fmt: skip

    # then
    assert dict(SentDocument.objects.values_list("pk", "reason")) == {
        sent["slip"].pk: "Unreadable scan", sent["ubl"].pk: "Unreadable scan", sent["camt"].pk: "",
    }  # fmt: skip


def test_bulk_actions_refuse_bad_and_foreign_selections_and_change_nothing() -> None:
    # given two clients of one office, and a third office's client
    office, _client, link, sent = _world()
    other = admin_of()
    other_link = make_link(office, other)
    foreign = send(other, other_link, make_slip(other))
    web = client_for(office)
    book = reverse("web:client_book", kwargs={"client_id": link.client_id})
    before = _state()

    # when
    garbage = web.post(book, {"ids": ["x"]})
    too_many = web.post(book, {"ids": [str(n) for n in range(1, 202)]})
    other_clients = web.post(book, {"ids": [sent["slip"].pk, foreign.pk]})
    nothing = web.post(book, {"ids": []})

    # then a document of another client of the same office is as unknown as a missing one
    assert [r.status_code for r in (garbage, too_many, other_clients, nothing)] == [
        400, 400, 404, 422,
    ]  # fmt: skip
    assert _state() == before


def test_bulk_actions_over_a_revoked_link_answer_409_and_change_nothing() -> None:
    # given
    office, _client, link, sent = _world()
    services.client_link_revoke(link=link, organization=office.organization,
                                actor=office.user, ip=None)  # fmt: skip
    web = client_for(office)
    before = _state()

    # when
    response = web.post(reverse("web:client_book", kwargs={"client_id": link.client_id}),
                        {"ids": [sent["slip"].pk]})  # fmt: skip

    # then
    assert response.status_code == 409
    assert "read-only" in response.context["error"]
    assert _state() == before


def test_the_zip_holds_exactly_the_ticked_originals_with_safe_names() -> None:
    # given two documents of the same file name and a third
    office, client, link, sent = _world()
    again = send(client, link, make_slip(client, "s1_bill02"))
    web = client_for(office)

    # when
    response = web.post(reverse("web:client_download", kwargs={"client_id": link.client_id}),
                        {"ids": [sent["ubl"].pk, sent["slip"].pk, again.pk]})  # fmt: skip
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]  # streamed

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="Client Tenant AG documents.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert archive.namelist() == ["01.01a-INVOICE_ubl.xml", "s1_bill01.txt", "s1_bill02.txt"]
    for name, item in zip(archive.namelist(), (sent["ubl"], sent["slip"], again), strict=True):
        with _open(item) as handle:
            assert archive.read(name) == handle.read()
    # downloading is the office's first look: the three are received now
    assert set(SentDocument.objects.filter(pk__in=[sent["ubl"].pk, again.pk])
               .values_list("status", flat=True)) == {"received"}  # fmt: skip


def _open(sent: SentDocument) -> Any:
    from django.core.files.storage import default_storage

    return default_storage.open(sent.file.storage_name, "rb")


def test_the_zip_refuses_more_than_its_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a limit smaller than the ticked originals
    from ledgerbridge.hub.web.views import partner

    monkeypatch.setattr(partner, "MAX_ZIP_BYTES", 10)
    office, _client, link, sent = _world()
    before = _state()

    # when
    response = client_for(office).post(
        reverse("web:client_download", kwargs={"client_id": link.client_id}),
        {"ids": [sent["ubl"].pk]},
    )

    # then
    assert response.status_code == 422
    assert response.context["error"] == "The ticked originals are larger than 0 MB: tick fewer."
    assert _state() == before


# --- the detail of a sent document ------------------------------------------------------


def test_the_detail_shows_the_snapshot_and_marks_received_once() -> None:
    # given a sent invoice whose live document changed after sending
    office, _client, link, sent = _world()
    ubl = sent["ubl"]
    ubl.document.data = {"number": "CHANGED-LATER"}
    ubl.document.save()
    web = client_for(office)
    url = reverse("web:client_document_detail",
                  kwargs={"client_id": link.client_id, "sent_id": ubl.pk})  # fmt: skip

    # when it is opened twice
    first = web.get(url)
    second = web.get(url)

    # then the page shows what was sent, and it became received once
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.context["view"]["number"] == (ubl.data or {})["number"] != "CHANGED-LATER"
    assert "CHANGED-LATER" not in first.content.decode()
    steps = list(
        SentDocumentChange.objects.filter(sent_document=ubl).values_list("step", flat=True)
    )
    assert steps == ["sent", "received"]
    ubl.refresh_from_db()
    assert (ubl.status, ubl.status_by) == ("received", office.user)


def test_the_detail_books_with_a_reference_and_refuses_a_rejection_without_reason() -> None:
    # given
    office, _client, link, sent = _world()
    web = client_for(office)
    kwargs = {"client_id": link.client_id, "sent_id": sent["slip"].pk}
    url = reverse("web:client_document_status", kwargs=kwargs)

    # when
    no_reason = web.post(url, {"status": "rejected", "reason": ""})
    booked = web.post(url, {"status": "booked", "reference": "FIBU-42"})

    # then
    assert no_reason.status_code == 422
    assert no_reason.context["form"].errors["reason"] == [
        "Say why the document is rejected: the client reads it."
    ]
    assert booked.status_code == 302
    sent["slip"].refresh_from_db()
    assert (sent["slip"].status, sent["slip"].reference) == ("booked", "FIBU-42")


def test_the_detail_of_a_replaced_document_links_the_new_version() -> None:
    # given a booked slip the client replaced with a corrected file
    office, client, link, sent = _world()
    services.sent_document_set_status(
        sent=sent["slip"], office=office.organization, status="booked", actor=office.user, ip=None
    )
    document = sent["slip"].document
    services.document_replace(
        document=document, data=make_slip_payload("s1_bill03"), filename="fixed.txt",
        source="upload", actor=client.user, ip=None,
    )  # fmt: skip
    sent["slip"].refresh_from_db()
    web = client_for(office)

    # when
    page = web.get(
        reverse(
            "web:client_document_detail",
            kwargs={"client_id": link.client_id, "sent_id": sent["slip"].pk},
        )
    )
    tab = _docs(web, link.client_id, attention="on")

    # then
    newer = reverse(
        "web:client_document_detail",
        kwargs={"client_id": link.client_id, "sent_id": sent["slip"].replaced_by_id},
    )
    text = page.content.decode()
    assert "Changed at source" in text
    assert f'href="{newer}"' in text
    assert 'id="book-form"' not in text  # a replaced document is not booked again
    assert _ids(tab) == [sent["slip"].pk]


def make_slip_payload(bill: str) -> bytes:
    from tests.hub.factories import qrbill_manifest

    entry = next(e for e in qrbill_manifest() if e["bill_id"] == bill)
    return str(entry["expected_payload"]).encode()


def test_the_original_is_served_through_the_office_only() -> None:
    # given an office, its client's sent invoice, and another office
    office, _client, link, sent = _world()
    stranger = office_admin()
    kwargs = {"client_id": link.client_id, "sent_id": sent["ubl"].pk}
    url = reverse("web:client_document_file", kwargs=kwargs)

    # when
    own = client_for(office).get(url)
    foreign = client_for(stranger).get(url)

    # then
    assert own.status_code == 200
    assert own["Content-Disposition"] == 'attachment; filename="01.01a-INVOICE_ubl.xml"'
    assert own.content.startswith(b"<?xml")
    assert foreign.status_code == 404


def test_a_bank_statement_shows_every_entry_page_by_page() -> None:
    # given a sent camt.053
    office, _client, link, sent = _world()
    url = reverse("web:client_document_detail",
                  kwargs={"client_id": link.client_id, "sent_id": sent["camt"].pk})  # fmt: skip

    # when
    page = client_for(office).get(url)

    # then
    view = page.context["view"]
    assert view["layout"] == "statement"
    assert view["entry_count"] == len((sent["camt"].data or {})["entries"])
    assert 'id="statement-entries"' in page.content.decode()


# --- the number of queries does not grow with the rows ----------------------------------


def _queries(web: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert web.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_client_list_costs_the_same_queries_for_3_or_30_clients() -> None:
    # given two offices, with 3 and with 30 clients
    small, large = office_admin(), office_admin()
    _clients(small, 3)
    _clients(large, 30)
    url = reverse("web:client_list")

    # when
    counts = [_queries(client_for(small), url), _queries(client_for(large), url)]

    # then
    assert counts == [CLIENT_LIST_QUERIES, CLIENT_LIST_QUERIES]


def test_the_category_tab_costs_the_same_queries_for_3_or_30_documents() -> None:
    # given two clients of one office, with 3 and with 30 sent slips
    office = office_admin()
    few, many = admin_of(), admin_of()
    few_link, many_link = make_link(office, few), make_link(office, many)
    for n in range(3):
        send(few, few_link, make_slip_to(few, creditor=f"C{n}", amount=f"{n + 1}.00"))
    for n in range(30):
        send(many, many_link, make_slip_to(many, creditor=f"C{n}", amount=f"{n + 1}.00"))
    web = client_for(office)

    def url(link: ClientLink) -> str:
        return reverse("web:client_documents", kwargs={"client_id": link.client_id}) + (
            "?category=payment_slip"
        )

    # when
    counts = [_queries(web, url(few_link)), _queries(web, url(many_link))]

    # then
    assert counts == [CATEGORY_TAB_QUERIES, CATEGORY_TAB_QUERIES]


# session, user, memberships; the page count and its rows; the menu's count of open link
# requests (shown to members who manage client links)
CLIENT_LIST_QUERIES = 6
CATEGORY_TAB_QUERIES = 8  # the same four; the link, the tab counts, the page count and rows
