"""The document detail page shows, per kind, what an accountant checks (corpus documents)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from lxml import etree, html

from tests.hub.conftest import PHONE
from tests.hub.factories import (
    CORPUS,
    admin_of,
    blank_pdf,
    ingest,
    make_membership,
    make_organization,
    make_slip,
    verified_user,
)
from tests.hub.helpers import client_for, log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from django.test.client import _MonkeyPatchedWSGIResponse as Response
    from playwright.sync_api import BrowserContext, Page

    from ledgerbridge.hub.documents.models import Document
    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

UBL = CORPUS / "ubl" / "cen-examples" / "BIS3_Invoice_positive.xml"
CII = CORPUS / "cii" / "cen-examples" / "CII_business_example_01.xml"
CAMT = CORPUS / "camt053" / "viafintech" / "053__valid_example_v4.xml"


def _document(member: Membership, path: Path) -> Document:
    [document] = ingest(member, path.read_bytes(), filename=path.name).documents
    return document


def _detail(member: Membership, document: Document, query: str = "") -> Response:
    url = reverse("web:document_detail", kwargs={"document_id": document.pk})
    return client_for(member).get(url + query)


def _rows(response: Response, table_id: str) -> list[list[str]]:
    [table] = html.fromstring(response.content).iterfind(f".//table[@id='{table_id}']")
    return [[_text(cell) for cell in row.iterfind("td")] for row in table.iterfind("tbody/tr")]


def _text(element: etree._Element) -> str:
    """The element's text with runs of white space as one space."""
    return " ".join(str(etree.tostring(element, method="text", encoding="unicode")).split())


def test_a_ubl_invoice_shows_dates_parties_with_vat_ids_and_totals() -> None:
    # given
    member = admin_of()
    document = _document(member, UBL)
    # when
    response = _detail(member, document)
    # then
    view = response.context["view"]
    assert (view["number"], view["issue_date"], view["due_date"]) == (
        "12345",
        date(2019, 1, 25),
        date(2019, 2, 24),
    )
    assert (view["seller"]["name"], view["seller"]["vat_id"]) == ("Company A", "DK12345678")
    assert [(str(label), value) for label, value, _strong in view["total_rows"]] == [
        ("Sum of lines", Decimal("625743.54")),
        ("Net amount", Decimal("625743.54")),
        ("VAT", Decimal("156435.89")),
        ("Total incl. VAT", Decimal("782179.43")),
        ("Amount due", Decimal("782179.43")),
    ]
    page = response.content.decode()
    assert "DK12345678" in page
    assert "782'179.43" in page
    assert _rows(response, "vat-breakdown") == [["S", "25 %", "625'743.54", "156'435.89"]]


def test_a_cii_invoice_shows_its_lines_and_vat_breakdown_as_tables() -> None:
    # given
    member = admin_of()
    document = _document(member, CII)
    # when
    response = _detail(member, document)
    # then
    lines = _rows(response, "invoice-lines")
    assert len(lines) == 5
    assert lines[0] == ["1", "Laptop computer", "1", "NAR", "S 25 %", "1'273.00"]
    assert _rows(response, "vat-breakdown") == [
        ["S", "25 %", "1'460.50", "365.13"],
        ["S", "15 %", "1.00", "0.15"],
        ["E", "0 %", "-25.00", "0.00"],
    ]
    assert [(view_party["name"], view_party["vat_id"]) for _role, view_party in
            response.context["view"]["parties"]] == [
        ("Salescompany ltd.", "NO123456789MVA"),
        ("The Buyercompany", "NO987654321MVA"),
    ]  # fmt: skip


def test_a_bank_statement_shows_period_balances_and_paged_entries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a camt.053 statement with 13 entries, 10 to a page
    monkeypatch.setattr("ledgerbridge.hub.documents.presenters.STATEMENT_ENTRIES_PER_PAGE", 10)
    member = admin_of()
    document = _document(member, CAMT)
    # when
    first = _detail(member, document)
    second = _detail(member, document, "?page=2")
    # then
    view = first.context["view"]
    assert view["layout"] == "statement"
    assert (view["opening_balance"], view["closing_balance"], view["entry_count"]) == (
        Decimal("322152.16"),
        Decimal("322689.77"),
        13,
    )
    assert view["period"] == (date(2016, 4, 30), date(2016, 4, 30))
    assert view["account_iban"] == "CH0309000000250090342"
    assert (len(_rows(first, "statement-entries")), len(_rows(second, "statement-entries"))) == (
        10,
        3,
    )
    assert 'href="?page=2"' in first.content.decode()
    assert "<dt>Amount</dt>" not in first.content.decode()


def test_a_qr_bill_shows_its_message_and_the_decoded_bill_information() -> None:
    # given
    member = admin_of()
    slip = make_slip(member)
    # when
    response = _detail(member, slip)
    # then
    view = response.context["view"]
    assert view["message"] == "Réparation véhicule, n° 67228"
    assert view["creditor"] == {
        "name": "Jürg Brönnimann",
        "street": "Zürichstrasse 242",
        "town": "8700 Küsnacht",
        "country": "CH",
    }
    bill = view["bill"]
    assert (bill["invoice_number"], bill["invoice_date"], bill["customer_reference"]) == (
        "2025-0566",
        date(2025, 11, 7),
        "K-97483",
    )
    assert bill["vat_rates"] == [
        (Decimal("8.1"), Decimal("385.70")),
        (Decimal("2.6"), Decimal("90.99")),
    ]
    page = _text(html.fromstring(response.content))
    assert "Réparation véhicule, n° 67228" in page
    assert "8.1 % on 385.70; 2.6 % on 90.99" in page
    assert "3 % within 5 days; 1.5 % within 20 days; 0 % within 60 days" in page


def test_a_document_without_data_has_no_data_view() -> None:
    # given
    member = admin_of()
    [document] = ingest(
        member, blank_pdf(), filename="letter.pdf", keep_unreadable_as_other=True
    ).documents
    # when
    response = _detail(member, document)
    # then
    assert response.context["view"] is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_detail_pages_of_each_kind_fit_a_desk_and_a_phone(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an invoice, a statement and a QR-bill
    organization = make_organization()
    member = make_membership(
        organization=organization, user=verified_user("ada@example.com"), role="admin"
    )
    documents = {
        "invoice": _document(member, CII),
        "statement": _document(member, CAMT),
        "slip": make_slip(member),
    }
    for name, viewport in (("desk", {"width": 1366, "height": 768}), ("phone", PHONE)):
        page = browser_context(viewport=viewport).new_page()
        log_in(page, "ada@example.com")
        for kind, document in documents.items():
            # when
            page.goto(reverse("web:document_detail", kwargs={"document_id": document.pk}))
            shot(page, f"{kind}-{name}")
            # then nothing is wider than the viewport
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert (kind, name, overflow) == (kind, name, 0)
            assert page.locator("#document-data").is_visible()
