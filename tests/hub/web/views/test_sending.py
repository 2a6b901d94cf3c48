"""The company's side of the exchange in the web UI: send, live statuses, withdraw, replace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange import services
from ledgerbridge.hub.exchange.models import (
    ExchangeStatus,
    SentDocument,
    SentDocumentChange,
    SourceState,
)
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import (
    admin_of,
    make_link,
    make_membership,
    make_slip,
    make_slip_to,
    office_admin,
    qrbill_manifest,
)
from tests.hub.helpers import client_for

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _send(member: Membership, ids: list[int], **extra: Any) -> Any:
    return client_for(member).post(reverse("web:document_send"), {"ids": ids, **extra}, follow=True)


def _set(sent: SentDocument, office: Membership, status: str, **kw: Any) -> None:
    services.sent_document_set_status(
        sent=sent, office=office.organization, status=status, actor=office.user, ip=None, **kw
    )


def _sent(document: Document, link: Any, member: Membership) -> SentDocument:
    return services.document_send(document=document, link=link, actor=member.user, ip=None)[0]


def _found(response: Any, path: str) -> list[Any]:
    """What ``path`` selects in the response's HTML (elements, or strings for text())."""
    found = html.fromstring(response.content.decode()).xpath(path)
    assert isinstance(found, list)
    return found


def _text(element: Any) -> str:
    return " ".join(str(element.text_content()).split())


def _cell(response: Any, document: Document) -> str:
    [cell] = _found(response, f"//*[@id='exchange-{document.pk}']")
    return _text(cell)


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def _corrected_bill(amount: str) -> bytes:
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == "s1_bill01")
    lines = entry["expected_payload"].split("\r\n")
    lines[5], lines[18] = "Muster AG", amount
    return "\r\n".join(lines).encode()


# --- sending ----------------------------------------------------------------------------


def test_one_document_is_sent_to_the_only_office_from_the_list() -> None:
    # given a company with one active link and a payment slip
    office, company = office_admin(), admin_of()
    make_link(office, company)
    slip = make_slip(company)
    # when its admin ticks it and sends (no office to choose)
    response = _send(company, [slip.pk])
    # then it is sent over the link, and the list says so
    assert response.redirect_chain == [(reverse("web:document_list"), 302)]
    assert _messages(response) == [f"1 document sent to {office.organization.name}."]
    assert list(SentDocument.objects.values_list("document_id", "office_id")) == [
        (slip.pk, office.organization_id)
    ]
    assert _cell(response, slip) == "sent"


def test_sending_several_twice_counts_what_was_sent_before() -> None:
    # given two slips, one of them sent already
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    first, second = make_slip(company), make_slip(company, "s1_bill02")
    _sent(first, link, company)
    # when both are sent
    response = _send(company, [first.pk, second.pk], query="kind=payment_slip&page=3")
    # then the new one is sent, the earlier one is not sent again, the filters are kept
    assert response.redirect_chain == [(reverse("web:document_list") + "?kind=payment_slip", 302)]
    name = office.organization.name
    assert _messages(response) == [
        f"1 document sent to {name}.",
        f"1 document had been sent to {name} before; it was not sent again.",
    ]
    assert SentDocument.objects.count() == 2


def test_a_kind_the_link_does_not_share_is_refused_by_name_and_reason() -> None:
    # given a link that shares bank statements only
    office, company = office_admin(), admin_of()
    make_link(office, company, categories=["bank_statement"])
    slip = make_slip(company)
    # when the slip is sent
    response = _send(company, [slip.pk])
    # then nothing is sent and the message names the document and why
    assert _messages(response) == [
        f"Not sent: {slip.creditor_name}. This link does not share documents of this kind "
        "with the accounting office."
    ]
    assert SentDocument.objects.count() == 0


def test_sending_needs_the_send_permission() -> None:
    # given an employee (view and upload, no sending) of a linked company
    office, company = office_admin(), admin_of()
    make_link(office, company)
    employee = make_membership(organization=company.organization, role=Role.EMPLOYEE)
    slip = make_slip(company)
    # when the employee posts a sending, and opens the list and the detail page
    refused = client_for(employee).post(reverse("web:document_send"), {"ids": [slip.pk]})
    listing = client_for(employee).get(reverse("web:document_list"))
    detail = client_for(employee).get(reverse("web:document_detail", args=[slip.pk]))
    # then 403, nothing sent, and neither page offers to send
    assert refused.status_code == 403
    assert SentDocument.objects.count() == 0
    assert b'id="send-form"' not in listing.content
    assert reverse("web:document_send").encode() not in detail.content


def test_a_foreign_document_answers_404_and_nothing_is_sent() -> None:
    # given a linked company and a document of another organization
    office, company = office_admin(), admin_of()
    make_link(office, company)
    own, foreign = make_slip(company), make_slip(admin_of())
    # when the company sends its own and the foreign one
    response = client_for(company).post(reverse("web:document_send"), {"ids": [own.pk, foreign.pk]})
    # then 404 and not even its own one was sent
    assert response.status_code == 404
    assert SentDocument.objects.count() == 0


def test_with_several_offices_one_must_be_chosen_and_only_an_own_link() -> None:
    # given a company with two offices and another company's link
    company = admin_of()
    payroll, books = office_admin(), office_admin()
    make_link(payroll, company)
    chosen = make_link(books, company)
    other_link = make_link(office_admin(), admin_of())
    slip = make_slip(company)
    # when it sends without choosing, with a foreign link, with bad ids, and with its choice
    unchosen = _send(company, [slip.pk])
    foreign = client_for(company).post(
        reverse("web:document_send"), {"ids": [slip.pk], "link": other_link.pk}
    )
    bad = client_for(company).post(reverse("web:document_send"), {"ids": ["x"]})
    nothing_sent = SentDocument.objects.count()
    done = _send(company, [slip.pk], link=chosen.pk, back="detail")
    # then
    assert _messages(unchosen) == ["Choose the accounting office to send to."]
    assert (foreign.status_code, bad.status_code, nothing_sent) == (404, 400, 0)
    assert done.redirect_chain == [(reverse("web:document_detail", args=[slip.pk]), 302)]
    assert list(SentDocument.objects.values_list("link_id", flat=True)) == [chosen.pk]


def test_without_an_active_link_nothing_is_offered_and_nothing_sent() -> None:
    # given a company whose link request is not accepted yet
    office, company = office_admin(), admin_of()
    make_link(office, company, accept=False)
    slip = make_slip(company)
    # when
    listing = client_for(company).get(reverse("web:document_list"))
    response = _send(company, [slip.pk])
    # then
    assert b'id="send-form"' not in listing.content
    assert b"exchange-poll" not in listing.content
    assert _messages(response) == ["Connect your accounting office first: no link is active."]
    assert SentDocument.objects.count() == 0


# --- statuses in the list, live -----------------------------------------------------------


def test_the_list_shows_each_status_in_a_constant_number_of_queries() -> None:
    # given a linked company with a few documents in every state
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    slips = [make_slip_to(company, creditor=f"C{i}", amount=f"{i + 1}.00") for i in range(4)]
    booked, rejected, _withdrawn = (_sent(s, link, company) for s in slips[:3])
    _set(booked, office, ExchangeStatus.BOOKED, reference="FIBU-7")
    _set(rejected, office, ExchangeStatus.REJECTED, reason="Wrong company")
    services.document_withdraw(document=slips[2], actor=company.user, ip=None)
    client = client_for(company)
    url = reverse("web:document_list")
    client.get(url)  # warm the session and the caches
    # when the list is read with four documents, then with eight
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    four_queries = len(four)
    for i in range(4):
        _sent(make_slip_to(company, creditor=f"D{i}", amount=f"{i + 9}.00"), link, company)
    with CaptureQueriesContext(connection) as eight:
        client.get(url)
    eight_queries = len(eight)
    # then each row reads as the office left it, and no query is made per row
    assert [_cell(response, s) for s in slips] == [
        "booked (FIBU-7)", "rejected: Wrong company", "cancelled at source", "—",
    ]  # fmt: skip
    assert eight_queries == four_queries > 0


def test_the_status_poll_is_cheap_while_nothing_changed() -> None:
    # given the list as the page shows it
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    slip = make_slip(company)
    _sent(slip, link, company)
    client = client_for(company)
    version = client.get(reverse("web:document_list")).context["exchange_version"]
    url = reverse("web:document_exchange_rows")
    # when it polls with that version, and with the ETag of a full answer
    with CaptureQueriesContext(connection) as queries:
        same = client.get(url, {"ids": [slip.pk], "v": version})
    sendings_read = [q for q in queries if "exchange_sentdocument" in q["sql"]]
    full = client.get(url, {"ids": [slip.pk]})
    conditional = client.get(url, {"ids": [slip.pk]}, headers={"If-None-Match": full["ETag"]})
    # then 204 without a swap, or 304; one aggregate query besides session and membership
    assert (same.status_code, same["HX-Reswap"], same.content) == (204, "none", b"")
    assert (full.status_code, conditional.status_code) == (200, 304)
    assert full["ETag"] == f'"{version}"'
    assert len(sendings_read) == 1


def test_the_status_poll_brings_a_new_status_as_out_of_band_cells() -> None:
    # given the list as shown, then the office books the document
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    slip, other = make_slip(company), make_slip(admin_of(), "s1_bill02")
    sent = _sent(slip, link, company)
    client = client_for(company)
    version = client.get(reverse("web:document_list")).context["exchange_version"]
    _set(sent, office, ExchangeStatus.BOOKED, reference="FIBU-42")
    # when the page polls (with a foreign id slipped in)
    response = client.get(
        reverse("web:document_exchange_rows"), {"ids": [slip.pk, other.pk], "v": version}
    )
    # then the booked cell comes out of band with the next version; the foreign id reads empty
    assert response.status_code == 200
    [cell] = _found(response, f"//*[@id='exchange-{slip.pk}']")
    assert (cell.get("hx-swap-oob"), _cell(response, slip)) == ("true", "booked (FIBU-42)")
    [title] = _found(response, f"//*[@id='exchange-{slip.pk}']/span/@title")
    assert str(title).startswith(f"{office.organization.name}: {office.user.get_full_name()}, ")
    assert _cell(response, other) == "—"
    [poll] = _found(response, "//*[@id='exchange-poll']")
    assert poll.get("data-version") != version


def test_the_list_filters_by_exchange_state() -> None:
    # given one document in each state
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    waiting, booked, rejected, unsent = (
        make_slip_to(company, creditor=f"C{i}", amount=f"{i + 1}.00") for i in range(4)
    )
    _sent(waiting, link, company)
    _set(_sent(booked, link, company), office, ExchangeStatus.BOOKED, reference="B-1")
    _set(_sent(rejected, link, company), office, ExchangeStatus.REJECTED, reason="No")
    client = client_for(company)
    # when
    found = {
        state: [d.pk for d in client.get(reverse("web:document_list"), {"exchange": state})
                .context["documents"]]
        for state in ("not_sent", "sent", "booked", "rejected")
    }  # fmt: skip
    # then
    assert found == {
        "not_sent": [unsent.pk], "sent": [waiting.pk], "booked": [booked.pk],
        "rejected": [rejected.pk],
    }  # fmt: skip


# --- the detail page ----------------------------------------------------------------------


def test_the_detail_page_shows_each_office_with_its_history_live() -> None:
    # given a slip sent and rejected by the office
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    slip = make_slip(company)
    sent = _sent(slip, link, company)
    client = client_for(company)
    page = client.get(reverse("web:document_detail", args=[slip.pk]))
    version = page.context["exchange_version"]
    _set(sent, office, ExchangeStatus.REJECTED, reason="Not our client's invoice")
    # when the section polls
    url = reverse("web:document_exchange", args=[slip.pk])
    unchanged = client.get(url, {"v": client.get(url)["ETag"].strip('"')})
    changed = client.get(url, {"v": version})
    # then it shows the office, the status, the reason and both steps
    assert unchanged.status_code == 204
    [section] = _found(changed, "//*[@id='exchange-section']")
    text = _text(section)
    assert office.organization.name in text
    assert "rejected: Not our client's invoice" in text
    steps = [str(s) for s in _found(changed, "//ol[@class='timeline']/li/strong/text()")]
    assert steps == ["Sent", "Rejected"]
    assert b"/withdraw" in page.content


def test_the_section_of_a_foreign_document_is_404() -> None:
    company = admin_of()
    foreign = make_slip(admin_of())
    response = client_for(company).get(reverse("web:document_exchange", args=[foreign.pk]))
    assert response.status_code == 404


# --- withdraw and replace ------------------------------------------------------------------


def test_withdrawing_asks_first_then_the_office_sees_it_cancelled_at_source() -> None:
    # given a sent slip
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    slip = make_slip(company)
    sent = _sent(slip, link, company)
    client = client_for(company)
    url = reverse("web:document_withdraw", args=[slip.pk])
    # when the company opens the withdraw page, then confirms
    asked = client.get(url)
    done = client.post(url, follow=True)
    # then the question says what the office will see, and it happened
    assert "cancelled at source" in asked.content.decode()
    sent.refresh_from_db()
    assert sent.source_state == SourceState.WITHDRAWN
    assert _messages(done) == [
        "Withdrawn: the accounting office sees the document as cancelled at source."
    ]
    assert b"/withdraw" not in done.content  # nothing left to withdraw


def test_withdrawing_what_was_not_sent_is_a_message_and_changes_nothing() -> None:
    company = admin_of()
    slip = make_slip(company)
    response = client_for(company).post(
        reverse("web:document_withdraw", args=[slip.pk]), follow=True
    )
    assert _messages(response) == [
        "This document was not sent to an accounting office over an active link."
    ]
    assert SentDocumentChange.objects.count() == 0


def test_replacing_sends_the_corrected_file_and_shows_the_new_document() -> None:
    # given a booked slip
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    old = make_slip_to(company, creditor="Muster AG", amount="100.00")
    sent = _sent(old, link, company)
    _set(sent, office, ExchangeStatus.BOOKED, reference="B-9")
    client = client_for(company)
    url = reverse("web:document_replace", args=[old.pk])
    form = client.get(url)
    upload = {"file": _file("corrected.txt", _corrected_bill("110.00"))}
    # when the corrected file is uploaded
    response = client.post(url, upload, follow=True)
    # then the new document is shown, sent as version 2; the old one is changed at source
    sent.refresh_from_db()
    new = Document.objects.exclude(pk=old.pk).get()
    assert form.status_code == 200
    assert response.redirect_chain == [(reverse("web:document_detail", args=[new.pk]), 302)]
    assert sent.source_state == SourceState.REPLACED
    assert sent.replaced_by is not None
    assert (sent.replaced_by.document_id, sent.replaced_by.version) == (new.pk, 2)
    old_page = client.get(reverse("web:document_detail", args=[old.pk])).content.decode()
    assert "changed at source" in old_page
    assert reverse("web:document_detail", args=[new.pk]) in old_page


def test_replacing_with_bad_input_changes_nothing() -> None:
    # given a sent slip
    office, company = office_admin(), admin_of()
    link = make_link(office, company)
    slip = make_slip(company)
    _sent(slip, link, company)
    client = client_for(company)
    url = reverse("web:document_replace", args=[slip.pk])
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == "s1_bill01")
    same = entry["expected_payload"].encode()
    before = (Document.objects.count(), SentDocumentChange.objects.count())
    # when no file, the same file again, or a file without a document is posted
    missing = client.post(url, {})
    again = client.post(url, {"file": _file("again.txt", same)})
    empty = client.post(url, {"file": _file("empty.txt", b"")})
    # then specific refusals with their message, and nothing changed
    assert missing.status_code == 400
    assert "Choose the corrected file." in missing.content.decode()
    assert again.status_code == 409
    assert "This is the file that was sent already." in again.content.decode()
    assert 400 <= empty.status_code < 500
    assert (Document.objects.count(), SentDocumentChange.objects.count()) == before
