"""Correcting a document's category on its detail page, the upload's category choice, and
the hub's own finding shown translated."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree, html

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity.models import AuditEvent
from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.conftest import PHONE
from tests.hub.factories import (
    CORPUS,
    admin_of,
    ingest,
    make_membership,
    make_organization,
    verified_user,
)
from tests.hub.helpers import client_for, counts, log_in, session_client

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

UBL = CORPUS / "ubl" / "cen-examples" / "BIS3_Invoice_positive.xml"


def _invoice(member: Membership) -> Document:
    [document] = ingest(member, UBL.read_bytes(), filename="invoice.xml").documents
    return document


def _text(element: etree._Element) -> str:
    """The element's text with runs of white space as one space."""
    return " ".join(str(etree.tostring(element, method="text", encoding="unicode")).split())


def _url(name: str, document: Document) -> str:
    return reverse(name, kwargs={"document_id": document.pk})


def test_the_detail_page_offers_the_kinds_the_data_allows() -> None:
    # given an e-invoice kept as "other"
    member = admin_of()
    document = _invoice(member)
    # when
    response = client_for(member).get(_url("web:document_detail", document))
    # then the form lists every kind but payment slip and bank statement, "other" chosen
    [form] = html.fromstring(response.content).iterfind(".//form[@id='kind-form']")
    options = list(form.iterfind(".//option"))
    assert form.get("action") == _url("web:document_kind", document)
    assert form.find(".//input[@name='csrfmiddlewaretoken']") is not None
    assert [option.get("value") for option in options] == [
        "incoming_invoice", "outgoing_invoice", "credit_note", "purchase_receipt", "other",
    ]  # fmt: skip
    assert [o.get("value") for o in options if o.get("selected") is not None] == ["other"]


def test_posting_the_form_changes_the_kind_and_comes_back_to_the_page() -> None:
    # given
    member = admin_of()
    document = _invoice(member)
    client = client_for(member)
    # when
    response = client.post(
        _url("web:document_kind", document), {"kind": "incoming_invoice"}, follow=True
    )
    # then
    assert response.redirect_chain == [(_url("web:document_detail", document), 302)]
    document.refresh_from_db()
    assert document.kind == "incoming_invoice"
    assert [str(m) for m in response.context["messages"]] == [
        "Category changed to Incoming invoice."
    ]
    event = AuditEvent.objects.get(action="document_kind_changed")
    assert (event.details["from"], event.details["to"], event.actor) == (
        "other", "incoming_invoice", member.user,
    )  # fmt: skip


def test_a_refused_kind_shows_the_page_again_with_422_and_changes_nothing() -> None:
    # given
    member = admin_of()
    document = _invoice(member)
    client = client_for(member)
    before = counts(), AuditEvent.objects.count()
    # when
    response = client.post(_url("web:document_kind", document), {"kind": "payment_slip"})
    # then
    assert response.status_code == 422
    tree = html.fromstring(response.content)
    [alert] = tree.iterfind(".//form[@id='kind-form']//p[@role='alert']")
    assert _text(alert) == (
        "Only a QR-bill can be a payment slip: a payment slip needs its payment data. "
        "Code for support: document-kind-needs-qr-bill"
    )
    document.refresh_from_db()
    assert document.kind == "other"
    assert (counts(), AuditEvent.objects.count()) == before


def test_the_form_needs_the_csrf_token() -> None:
    # given a browser session that enforces CSRF
    member = admin_of()
    document = _invoice(member)
    client = session_client(member, enforce_csrf=True)
    # when
    response = client.post(_url("web:document_kind", document), {"kind": "incoming_invoice"})
    # then
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.kind == "other"


def test_a_viewer_without_upload_sees_no_form_and_may_not_post() -> None:
    # given a member who may only view
    admin = admin_of()
    document = _invoice(admin)
    viewer = make_membership(
        organization=admin.organization, role=Role.EMPLOYEE, permissions=[Permission.DOCUMENTS_VIEW]
    )
    client = client_for(viewer)
    # when
    page = client.get(_url("web:document_detail", document))
    post = client.post(_url("web:document_kind", document), {"kind": "incoming_invoice"})
    # then
    assert b'id="kind-form"' not in page.content
    assert post.status_code == 403
    document.refresh_from_db()
    assert document.kind == "other"


def test_the_not_addressed_finding_is_shown_in_the_users_language() -> None:
    # given a German-speaking admin and an e-invoice naming neither party
    member = admin_of()
    member.user.language = "de"
    member.user.save(update_fields=["language"])
    document = _invoice(member)
    # when
    response = client_for(member).get(_url("web:document_detail", document))
    # then
    findings = html.fromstring(response.content).iterfind(".//li[@class='finding warning']/p")
    assert [_text(p) for p in findings] == [
        "Nicht an diese Organisation adressiert: weder Verkäufer noch Käufer tragen ihre "
        "Steuernummer oder die eines verbundenen Kunden."
    ]


def test_an_invoice_corrected_to_other_still_shows_its_invoice_data() -> None:
    # given an e-invoice whose kind is "other"
    member = admin_of()
    document = _invoice(member)
    # when
    response = client_for(member).get(_url("web:document_detail", document))
    # then the data is laid out as the invoice it is
    assert response.context["view"]["layout"] == "invoice"


def test_the_upload_form_gives_an_unaddressed_e_invoice_the_chosen_category() -> None:
    # given
    client = client_for(make_membership(role=Role.EMPLOYEE))
    # when the form posts with "outgoing invoice" chosen
    response = client.post(
        reverse("web:document_upload"),
        {"files": [SimpleUploadedFile("invoice.xml", UBL.read_bytes())],
         "keep_as": "outgoing_invoice"},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    # then
    assert response.status_code == 201
    assert Document.objects.get().kind == "outgoing_invoice"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_category_form_works_on_a_phone(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an e-invoice kept as "other" and its admin on a phone
    organization = make_organization()
    member = make_membership(
        organization=organization, user=verified_user("kim@example.com"), role="admin"
    )
    document = _invoice(member)
    page = browser_context(viewport=PHONE).new_page()
    log_in(page, "kim@example.com")
    page.goto(_url("web:document_detail", document))
    shot(page, "before")
    # when the category is changed with the form
    page.select_option("#id_kind", "incoming_invoice")
    page.click("#kind-form button[type=submit]")
    page.wait_for_url(f"**{_url('web:document_detail', document)}")
    shot(page, "after")
    # then it is stored, and nothing is wider than the phone
    document.refresh_from_db()
    assert document.kind == "incoming_invoice"
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") == 0
    page.goto(reverse("web:document_upload"))
    shot(page, "upload")
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") == 0
