"""The number of SQL statements of the partner space's pages, pinned.

A page of the client list or of a client's category tab is evaluated as the pages do it
(Django's ``Paginator``: one count, one slice) and every field a row shows is read, the
link and the new version of a replaced document included. The count must not grow with
the number of clients or documents: a missing ``select_related`` would add one query per
row. ``benchmarks/partner_space.py`` measures the same evaluation on 200,000 documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.exchange.models import ExchangeStatus, SentDocument
from ledgerbridge.hub.exchange.selectors import ClientFilters, DocumentFilters
from tests.hub.factories import admin_of, make_link, make_slip_to, office_admin, qrbill_manifest

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import Membership

pytestmark = pytest.mark.django_db

PAGE = 25
BILL = "s1_bill02"  # its bill information names an invoice: an incoming invoice as well


def _office_with(clients: int, documents: int) -> tuple[Membership, Membership]:
    """An office with ``clients`` linked clients; the first sent ``documents`` QR-bills,
    every third of them booked and then replaced by a corrected file."""
    office = office_admin()
    members = [admin_of() for _ in range(clients)]
    links = [make_link(office, member) for member in members]
    first = members[0]
    for number in range(documents):
        slip = make_slip_to(first, creditor=f"Lieferant {number}", amount=f"{number + 1}.00",
                            bill=BILL)  # fmt: skip
        sent, _created = services.document_send(
            document=slip, link=links[0], actor=first.user, ip=None
        )
        if number % 3 == 0:
            services.sent_document_set_status(
                sent=sent, office=office.organization, status=ExchangeStatus.BOOKED,
                reference=f"B-{number}", actor=office.user, ip=None,
            )  # fmt: skip
            services.document_replace(
                document=slip, data=_corrected(number), filename=f"corrected-{number}.txt",
                source="upload", actor=first.user, ip=None,
            )  # fmt: skip
    return office, first


def _corrected(number: int) -> bytes:
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == BILL)
    lines = entry["expected_payload"].split("\r\n")
    lines[5], lines[18] = f"Lieferant {number} (korrigiert)", f"{number + 1}.50"
    return "\r\n".join(lines).encode()


def _show_clients(page: Any) -> list[str]:
    return [
        f"{link.client.name} {link.client.tax_id_display} {link.count_new} {link.count_waiting}"
        f" {link.count_rejected} {link.last_activity_at} {link.status}"
        for link in page.object_list
    ]


def _show_documents(page: Any) -> list[str]:
    rows = []
    for sent in page.object_list:
        newer = sent.replaced_by.version if sent.replaced_by_id else ""
        rows.append(
            f"{sent.number} {sent.counterparty} {sent.amount} {sent.currency} {sent.status}"
            f" {sent.reference} {sent.source_state} {sent.needs_attention} {newer}"
            f" {sent.link.status} {sent.sent_at} {sent.file_id}"
        )
    return rows


@pytest.mark.parametrize(("clients", "documents"), [(3, 3), (30, 30)])
def test_a_client_list_page_is_two_queries_whatever_the_number_of_clients(
    clients: int, documents: int
) -> None:
    # given
    office, _client = _office_with(clients, documents)
    # when
    with CaptureQueriesContext(connection) as queries:
        links = selectors.office_clients(
            office=office.organization, membership=office, filters=ClientFilters(sort="-new")
        )
        shown = _show_clients(Paginator(links, PAGE).get_page(1))
    # then: a count and the page's rows with their client
    assert len(shown) == min(clients, PAGE)
    assert len(queries) == 2


@pytest.mark.parametrize(("clients", "documents"), [(3, 3), (30, 30)])
def test_a_category_tab_page_is_three_queries_whatever_the_number_of_documents(
    clients: int, documents: int
) -> None:
    # given
    office, client = _office_with(clients, documents)
    replaced = SentDocument.objects.filter(replaced_by__isnull=False).count()
    # when
    with CaptureQueriesContext(connection) as queries:
        link = selectors.office_client_get(
            office=office.organization, membership=office, client_id=client.organization.pk
        )
        sent = selectors.client_documents(
            office=office.organization, client=client.organization,
            filters=DocumentFilters(category="incoming_invoice"),
        )  # fmt: skip
        shown = _show_documents(Paginator(sent, PAGE).get_page(1))
    # then: the client's link, a count, and the page's rows with their link and new version
    assert replaced == (documents + 2) // 3
    assert len(shown) == min(documents + replaced, PAGE)
    assert link.client_id == client.organization.pk
    assert len(queries) == 3
