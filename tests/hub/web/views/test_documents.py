"""The documents pages: upload (per-file results), list with filters, detail, original file."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags
from PIL import Image

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.documents.originals import render_pdf_page
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.conftest import PHONE
from tests.hub.factories import (
    HTML_AS_PDF,
    PASSWORD,
    QRBILL_GENERATED,
    admin_of,
    blank_pdf,
    ingest,
    make_membership,
    make_organization,
    plain_qr_png,
    qrbill_file,
    receipt_jpeg,
    verified_user,
)
from tests.hub.helpers import client_for, counts, file_payload, log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

CREDIT_NOTE = b"""<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
  xmlns:cbc="urn:oasis:names:specification:ub"""
CREDIT_NOTE += b"""l:schema:xsd:CommonBasicComponents-2">

    <cbc:ID>A&amp;&lt;b&gt;1</cbc:ID>
</CreditNote>"""


def _upload(client: Client, *files: tuple[str, bytes], json: bool = True, **extra: str) -> Any:
    data: dict[str, Any] = {"files": [SimpleUploadedFile(name, body) for name, body in files]}
    data.update(extra)
    headers = {"Accept": "application/json"} if json else {}
    return client.post(reverse("web:document_upload"), data, headers=headers)


def _viewer() -> Membership:
    """A member who may view documents but not upload them."""
    return make_membership(role=Role.EMPLOYEE, permissions=["documents.view"])


def test_pages_need_their_permission() -> None:
    # given a member of the "app" role (upload only) and one who may only view
    app = client_for(make_membership(role=Role.APP))
    viewer = client_for(_viewer())
    # when
    app_list = app.get(reverse("web:document_list"))
    viewer_upload = viewer.get(reverse("web:document_upload"))
    viewer_post = _upload(viewer, ("a.pdf", blank_pdf()))
    # then
    assert (app_list.status_code, viewer_upload.status_code, viewer_post.status_code) == (
        403,
        403,
        403,
    )
    assert counts() == (0, 0)


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    # when
    response = Client().get(reverse("web:document_list"))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_upload_answers_per_file_created_existing_and_refused() -> None:
    # given
    member = make_membership(role=Role.EMPLOYEE)
    client = client_for(member)
    photo, entry = qrbill_file()
    # when several files go in one request, one of them twice
    response = _upload(client, ("bill.png", photo), ("again.png", photo), ("page.pdf", HTML_AS_PDF))
    # then each gets its own answer; the refused one stored nothing
    results = response.json()["results"]
    assert response.status_code == 201
    assert [(r["name"], r["outcome"], r["code"]) for r in results] == [
        ("bill.png", "created", "created"),
        ("again.png", "existing", "existing"),
        ("page.pdf", "error", "unsupported-format"),
    ]
    assert results[2]["message"] == "This is an HTML page, not a PDF, image, e-invoice or QR-bill."
    (slip,) = Document.objects.filter(organization=member.organization)
    assert results[0]["documents"][0]["id"] == slip.pk
    assert (slip.source, slip.kind, slip.created_by) == ("upload", "payment_slip", member.user)
    assert str(slip.amount) == entry["expected_fields"]["amount"]
    assert counts() == (1, 1)


@pytest.mark.parametrize(
    ("name", "body", "status", "code"),
    [
        ("empty.pdf", b"", 422, "file-empty"),
        ("page.pdf", HTML_AS_PDF, 415, "unsupported-format"),
        ("menu.png", plain_qr_png(), 422, "qr-not-a-qr-bill"),
        ("letter.pdf", blank_pdf(), 422, "no-document-found"),
    ],
)
def test_bad_upload_gets_its_specific_refusal_and_stores_nothing(
    name: str, body: bytes, status: int, code: str
) -> None:
    # given
    client = client_for(make_membership(role=Role.EMPLOYEE))
    # when
    response = _upload(client, (name, body))
    # then
    assert response.status_code == status
    assert response.json()["results"][0]["code"] == code
    assert counts() == (0, 0)


def test_oversize_upload_is_refused_before_reading(settings: Any) -> None:
    # given
    settings.LEDGERBRIDGE_MAX_UPLOAD_BYTES = 1000
    client = client_for(make_membership(role=Role.EMPLOYEE))
    # when
    response = _upload(client, ("big.pdf", b"%PDF-" + b"0" * 5000))
    # then
    assert response.status_code == 413
    assert response.json()["results"][0]["code"] == "file-too-large"
    assert counts() == (0, 0)


def test_upload_without_files_says_so() -> None:
    # when
    response = _upload(client_for(make_membership(role=Role.EMPLOYEE)))
    # then
    assert response.status_code == 400
    assert response.json()["results"][0]["code"] == "file-missing"


def test_unreadable_pdf_is_kept_as_other_when_asked_and_the_form_works_without_script() -> None:
    # given
    client = client_for(make_membership(role=Role.EMPLOYEE))
    # when the plain form posts (no JSON wanted)
    response = _upload(client, ("letter.pdf", blank_pdf()), json=False, keep_unreadable="on")
    # then the page lists the result
    assert response.status_code == 201
    assert [r["outcome"] for r in response.context["results"]] == ["created"]
    assert Document.objects.get().kind == "other"
    assert b"letter.pdf" in response.content


def test_a_receipt_photo_is_kept_as_a_purchase_receipt_of_the_chosen_category() -> None:
    # given
    client = client_for(make_membership(role=Role.EMPLOYEE))
    # when
    response = _upload(
        client, ("lunch.jpg", receipt_jpeg()),
        keep_unreadable="on", keep_as="purchase_receipt", category="travel",
    )  # fmt: skip
    # then
    assert response.status_code == 201
    assert [r["outcome"] for r in response.json()["results"]] == ["created"]
    document = Document.objects.get()
    assert (document.kind, document.category) == ("purchase_receipt", "travel")


def test_the_upload_page_offers_the_receipt_categories() -> None:
    # given
    client = client_for(make_membership(role=Role.EMPLOYEE))
    # when
    response = client.get(reverse("web:document_upload"))
    # then
    assert response.context["receipt_categories"] == Document.ReceiptCategory.choices
    assert b'<option value="purchase_receipt">' in response.content


def test_same_payment_again_is_flagged_as_possible_duplicate() -> None:
    # given a slip scanned as a photo
    member = make_membership(role=Role.EMPLOYEE)
    photo, entry = qrbill_file()
    ingest(member, photo, filename="photo.png")
    # when its QR text arrives as another file
    response = _upload(client_for(member), ("qr.txt", entry["expected_payload"].encode()))
    # then
    assert response.json()["results"][0]["outcome"] == "duplicate"


def test_list_shows_own_documents_filtered_and_searched() -> None:
    # given
    member = admin_of()
    slip = ingest(member, qrbill_file()[0]).documents[0]
    other = ingest(member, blank_pdf(), keep_unreadable_as_other=True).documents[0]
    foreign = admin_of()
    ingest(foreign, qrbill_file("s1_bill02_w900.png")[0])
    client = client_for(member)
    url = reverse("web:document_list")
    # when
    everything = client.get(url).context["documents"]
    slips = client.get(url, {"kind": "payment_slip"}).context["documents"]
    found = client.get(url, {"q": slip.reference[-6:]}).context["documents"]
    missing = client.get(url, {"q": "no such creditor"}).context["documents"]
    duplicates = client.get(url, {"duplicate": "yes"}).context["documents"]
    # then
    assert [d.pk for d in everything] == [other.pk, slip.pk]
    assert [d.pk for d in slips] == [slip.pk]
    assert [d.pk for d in found] == [slip.pk]
    assert (missing, duplicates) == ([], [])


def test_list_filters_by_date_and_rejects_a_reversed_range() -> None:
    # given
    member = admin_of()
    ingest(member, blank_pdf(), keep_unreadable_as_other=True)
    client = client_for(member)
    url = reverse("web:document_list")
    # when
    today = client.get(url, {"since": "2000-01-01"}).context["documents"]
    before = client.get(url, {"until": "2000-01-01"}).context["documents"]
    reversed_range = client.get(url, {"since": "2026-05-02", "until": "2026-05-01"})
    # then
    assert (len(today), len(before)) == (1, 0)
    assert reversed_range.status_code == 422
    assert reversed_range.context["form"].errors["until"] == [
        "The end date is before the start date."
    ]
    assert reversed_range.context["documents"] == []


def test_list_answers_htmx_with_the_table_only() -> None:
    # given
    member = admin_of()
    ingest(member, qrbill_file()[0])
    # when
    response = client_for(member).get(
        reverse("web:document_list"), headers={"HX-Request": "true", "HX-Target": "document-table"}
    )
    # then
    assert (
        response.content.decode()
        .lstrip()
        .startswith('<section class="card flush" id="document-table"')
    )


def test_detail_and_file_of_another_organization_answer_404() -> None:
    # given
    victim = admin_of()
    document = ingest(victim, qrbill_file()[0]).documents[0]
    client = client_for(admin_of())
    # when
    detail = client.get(reverse("web:document_detail", kwargs={"document_id": document.pk}))
    file = client.get(reverse("web:document_file", kwargs={"document_id": document.pk}))
    missing = client.get(reverse("web:document_detail", kwargs={"document_id": 999_999}))
    # then
    assert (detail.status_code, file.status_code, missing.status_code) == (404, 404, 404)


def test_detail_shows_fields_history_and_the_image_inline() -> None:
    # given
    member = admin_of()
    photo, entry = qrbill_file()
    document = ingest(member, photo, filename="bill.png").documents[0]
    # when
    response = client_for(member).get(
        reverse("web:document_detail", kwargs={"document_id": document.pk})
    )
    # then
    page = response.content.decode()
    file_url = reverse("web:document_file", kwargs={"document_id": document.pk})
    assert response.context["original"] == {"mode": "image"}
    assert f'src="{file_url}?inline=1"' in page
    # the QR reference in the blocks printed on the bill
    assert "36 08377 83533 74068 12415 86834" in strip_tags(page)
    assert entry["expected_fields"]["reference"] == "360837783533740681241586834"
    assert [(c.from_status, c.to_status) for c in response.context["history"]] == [("", "pending")]


def test_detail_shows_a_pdf_as_page_images_with_a_link_to_the_pdf() -> None:
    # given
    member = admin_of()
    pdf = (QRBILL_GENERATED / "s1_bill06_a4_pdf.pdf").read_bytes()
    document = ingest(member, pdf, filename="bill.pdf").documents[0]
    # when
    response = client_for(member).get(
        reverse("web:document_detail", kwargs={"document_id": document.pk})
    )
    # then
    page = response.content.decode()
    inline_url = reverse("web:document_file", kwargs={"document_id": document.pk}) + "?inline=1"
    image_url = reverse("web:document_page", kwargs={"document_id": document.pk, "page": 1})
    original = response.context["original"]
    assert (original["mode"], list(original["pages"]), original["count"]) == ("pdf", [1], 1)
    assert f'<img src="{image_url}" alt="Page 1 of 1"' in page
    assert f'href="{inline_url}" target="_blank" rel="noopener">Open PDF</a>' in page
    assert "<iframe" not in page
    assert "<object" not in page


def _pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    first, *rest = [Image.new("RGB", (595, 842), "white") for _ in range(pages)]
    first.save(buffer, "PDF", save_all=True, append_images=rest)
    return buffer.getvalue()


def test_pdf_page_is_a_png_of_that_page_within_the_pixel_cap() -> None:
    # given a kept PDF of two A4 pages
    member = admin_of()
    document = ingest(member, _pdf(2), filename="letter.pdf", keep_unreadable_as_other=True)
    url = reverse("web:document_page", kwargs={"document_id": document.documents[0].pk, "page": 2})
    # when
    response = client_for(member).get(url)
    # then
    image = Image.open(io.BytesIO(response.content))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert image.format == "PNG"
    assert image.size == (1200, 1699)


def test_a_long_pdf_page_is_rendered_within_three_megapixels() -> None:
    # given a 720 x 7200 pt page: 1200 px wide it would be 14.4 MP
    buffer = io.BytesIO()
    Image.new("RGB", (10, 100), "white").save(buffer, "PDF", resolution=1.0)
    # when
    png = render_pdf_page(buffer.getvalue(), 1)
    # then
    assert png is not None
    width, height = Image.open(io.BytesIO(png)).size
    assert 2_900_000 <= width * height <= 3_000_000
    assert height == 10 * width
    assert render_pdf_page(buffer.getvalue(), 2) is None
    assert render_pdf_page(b"%PDF-1.7 broken", 1) is None


def test_pdf_detail_shows_the_first_five_pages_and_says_how_many_there_are() -> None:
    # given
    member = admin_of()
    document = ingest(member, _pdf(7), filename="long.pdf", keep_unreadable_as_other=True)
    document_id = document.documents[0].pk
    client = client_for(member)
    # when
    detail = client.get(reverse("web:document_detail", kwargs={"document_id": document_id}))
    fifth = client.get(reverse("web:document_page", kwargs={"document_id": document_id, "page": 5}))
    sixth = client.get(reverse("web:document_page", kwargs={"document_id": document_id, "page": 6}))
    # then
    original = detail.context["original"]
    assert (list(original["pages"]), original["count"], original["more"]) == ([1, 2, 3, 4, 5], 7, 2)
    assert "Page 5 of 7" in detail.content.decode()
    assert (fifth.status_code, sixth.status_code) == (200, 404)


def test_pdf_page_answers_404_out_of_range_for_non_pdfs_and_foreign_documents() -> None:
    # given
    member = admin_of()
    pdf = ingest(member, blank_pdf(), filename="a.pdf", keep_unreadable_as_other=True)
    photo = ingest(member, qrbill_file()[0], filename="bill.png")
    pdf_id, photo_id = pdf.documents[0].pk, photo.documents[0].pk
    own, stranger = client_for(member), client_for(admin_of())

    def page(client: Client, document_id: int, number: int) -> int:
        url = reverse("web:document_page", kwargs={"document_id": document_id, "page": number})
        return int(client.get(url).status_code)

    # when
    answers = (
        page(own, pdf_id, 1),
        page(own, pdf_id, 0),
        page(own, pdf_id, 2),
        page(own, photo_id, 1),
        page(stranger, pdf_id, 1),
        page(own, 999_999, 1),
    )
    # then
    assert answers == (200, 404, 404, 404, 404, 404)


def test_file_is_a_download_unless_framed_inline() -> None:
    # given
    member = admin_of()
    pdf = blank_pdf()
    document = ingest(member, pdf, filename="letter.pdf", keep_unreadable_as_other=True).documents[
        0
    ]
    url = reverse("web:document_file", kwargs={"document_id": document.pk})
    client = client_for(member)
    # when
    download = client.get(url)
    inline = client.get(url, {"inline": "1"})
    # then
    assert download.content == pdf
    assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert download["X-Frame-Options"] == "DENY"
    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"] == 'inline; filename="letter.pdf"'
    assert inline["X-Frame-Options"] == "SAMEORIGIN"


def test_detail_pretty_prints_xml_escaped() -> None:
    # given an e-invoice whose text holds markup characters
    member = admin_of()
    document = ingest(member, CREDIT_NOTE, filename="note.xml").documents[0]
    # when
    response = client_for(member).get(
        reverse("web:document_detail", kwargs={"document_id": document.pk})
    )
    # then the XML is indented and shown as text, escaped once more for the page
    lines = response.context["original"]["text"].splitlines()
    assert response.context["original"]["mode"] == "xml"
    assert lines[-2:] == ["  <cbc:ID>A&amp;&lt;b&gt;1</cbc:ID>", "</CreditNote>"]
    assert "&lt;cbc:ID&gt;A&amp;amp;&amp;lt;b&amp;gt;1&lt;/cbc:ID&gt;" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_upload_several_files_on_a_phone_then_read_them_on_a_desk(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an employee on a phone
    organization = make_organization()
    make_membership(
        role=Role.ADMIN, organization=organization, user=verified_user("eve@example.com")
    )
    phone = browser_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(phone, "eve@example.com", next_url=reverse("web:document_upload"))
    phone.wait_for_selector("html[data-upload-ready]", state="attached")
    # when three files are chosen at once: a QR-bill, an A4 PDF with one, and an HTML page
    photo, _entry = qrbill_file()
    pdf = (QRBILL_GENERATED / "s1_bill06_a4_pdf.pdf").read_bytes()
    phone.set_input_files(
        "#id_files",
        files=[
            file_payload("bill.png", "image/png", photo),
            file_payload("invoice.pdf", "application/pdf", pdf),
            file_payload("fake.pdf", "application/pdf", HTML_AS_PDF),
        ],
    )
    # then each file shows its own result
    phone.wait_for_selector(".upload-item.error")
    phone.wait_for_function("() => document.querySelectorAll('.upload-item.created').length === 2")
    shot(phone, "phone-upload")
    assert "unsupported-format" in phone.locator(".upload-item.error").inner_text()
    # and a desk sees them in the list and beside their originals
    desk = browser_context().new_page()
    desk.goto(f"{reverse('account_login')}?next={reverse('web:document_list')}")
    desk.fill("input[name=login]", "eve@example.com")
    desk.fill("input[name=password]", PASSWORD)
    desk.locator("form:has([name=password]) [type=submit]").first.click()
    desk.wait_for_selector("#document-table")
    shot(desk, "desk-list")
    pdf_slip = Document.objects.get(file__original_name="invoice.pdf")
    desk.goto(reverse("web:document_detail", kwargs={"document_id": pdf_slip.pk}))
    shot(desk, "desk-detail-pdf")
    image_slip = Document.objects.get(file__original_name="bill.png")
    phone.goto(reverse("web:document_detail", kwargs={"document_id": image_slip.pk}))
    shot(phone, "phone-detail")
    phone.goto(reverse("web:payment_slip_list"))
    shot(phone, "phone-pending")
    assert phone.locator("table.slips tbody tr").count() == 2


def test_the_download_sends_a_safe_name_for_one_stored_before_names_were_cleaned() -> None:
    # given: a name with a path and a line break, as stored by an older version
    member = admin_of()
    document = ingest(member, blank_pdf(), keep_unreadable_as_other=True).documents[0]
    type(document.file).objects.filter(pk=document.file_id).update(
        original_name="../x/a\r\nX-Evil: 1.pdf"
    )
    url = reverse("web:document_file", kwargs={"document_id": document.pk})
    # when
    download = client_for(member).get(url)
    # then
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="aX-Evil: 1.pdf"'
    assert "X-Evil" not in download.headers
