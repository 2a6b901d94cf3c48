"""The scan app: log-in shell, PWA manifest and worker, preview (stores nothing), confirm."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ledgerbridge.hub.documents import services
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.conftest import PHONE
from tests.hub.factories import (
    PASSWORD,
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _payload(name: str = "s1_bill01_w900.png") -> tuple[str, dict[str, Any]]:
    _data, entry = qrbill_file(name)
    return entry["expected_payload"], entry


def _phone() -> tuple[Client, Any]:
    member = make_membership(role=Role.APP)
    return client_for(member), member


def test_the_app_asks_an_unlinked_phone_to_log_in() -> None:
    # when
    response = Client().get(reverse("web:scan_app"))
    # then a normal session log-in that comes back to the app
    page = response.content.decode()
    assert response.status_code == 200
    assert f'action="{reverse("account_login")}"' in page
    assert f'name="next" value="{reverse("web:scan_app")}"' in page
    assert f'rel="manifest" href="{reverse("web:scan_manifest")}"' in page


def test_the_app_needs_the_upload_permission() -> None:
    # given a member who may only view documents, and an "app" member
    viewer = client_for(make_membership(role=Role.EMPLOYEE, permissions=["documents.view"]))
    phone, _member = _phone()
    # when
    refused = [
        viewer.get(reverse("web:scan_app")),
        viewer.post(reverse("web:scan_preview"), {"payload": "SPC"}),
        viewer.post(reverse("web:scan_confirm"), {"payload": "SPC"}),
        viewer.get(reverse("web:scan_recent")),
    ]
    allowed = phone.get(reverse("web:scan_app"))
    # then
    assert [r.status_code for r in refused] == [403] * 4
    assert allowed.status_code == 200
    assert 'id="start-camera"' in allowed.content.decode()


def test_manifest_makes_the_app_installable() -> None:
    # when
    response = Client().get(reverse("web:scan_manifest"))
    # then
    manifest = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/scan/",
        "/scan/",
        "standalone",
    )
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert sizes == {"192x192", "512x512"}
    for name in ("web/scan/icon-192.png", "web/scan/icon-512.png"):
        assert finders.find(name), name


def test_service_worker_is_served_with_the_app_scope() -> None:
    # when
    response = Client().get(reverse("web:scan_service_worker"))
    # then
    source = response.content.decode()
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/scan/"
    assert source.startswith('const SHELL = ["/scan/", "/scan/manifest.webmanifest", ')
    assert 'self.addEventListener("fetch"' in source


def test_preview_reads_the_qr_text_and_stores_nothing() -> None:
    # given
    phone, _member = _phone()
    payload, entry = _payload()
    # when
    response = phone.post(reverse("web:scan_preview"), {"payload": payload})
    # then
    expected = entry["expected_fields"]
    (slip,) = response.json()["slips"]
    assert response.status_code == 200
    assert (slip["amount"], slip["currency"], slip["reference"]) == (
        expected["amount"],
        expected["currency"],
        expected["reference"],
    )
    assert slip["creditor"] == expected["creditor"]["name"]
    assert slip["due_date"] == "2026-01-06"  # invoice 2025-11-07, net 60 days
    assert counts() == (0, 0)


def test_preview_reads_a_photo() -> None:
    # given
    phone, _member = _phone()
    photo, entry = qrbill_file("s1_bill02_w900.png")
    # when
    response = phone.post(
        reverse("web:scan_preview"), {"photo": SimpleUploadedFile("p.png", photo)}
    )
    # then
    assert response.status_code == 200
    assert response.json()["slips"][0]["iban"] == entry["expected_fields"]["account"]
    assert counts() == (0, 0)


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({}, 422, "file-missing"),
        ({"payload": "SPC\r\n0200\r\n1"}, 422, "qrbill-too-few-lines"),
        ({"payload": "x" * 1001}, 422, "qr-payload-too-long"),
        ({"photo": ("empty.jpg", b"")}, 422, "file-empty"),
        ({"photo": ("menu.png", plain_qr_png())}, 422, "qr-not-a-qr-bill"),
        ({"photo": ("page.jpg", b"<html><body>no</body></html>")}, 415, "unsupported-format"),
    ],
)
def test_bad_scans_get_a_specific_refusal_and_store_nothing(
    data: dict[str, Any], status: int, code: str
) -> None:
    # given
    phone, _member = _phone()

    def body() -> dict[str, Any]:  # a fresh upload for each request: a file is read once
        return {"photo": SimpleUploadedFile(*data["photo"])} if "photo" in data else data

    # when
    answers = [phone.post(reverse(n), body()) for n in ("web:scan_preview", "web:scan_confirm")]
    # then
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(status, code)] * 2
    assert counts() == (0, 0)


def test_preview_of_a_document_that_is_not_a_qr_bill_says_so() -> None:
    # given an e-invoice credit note instead of a QR-bill
    phone, _member = _phone()
    note = (
        b'<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" '
        b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        b"<cbc:ID>1</cbc:ID></CreditNote>"
    )
    # when
    response = phone.post(reverse("web:scan_preview"), {"photo": SimpleUploadedFile("n.xml", note)})
    # then
    assert (response.status_code, response.json()["code"]) == (422, "no-payment-slip")
    assert counts() == (0, 0)


def test_confirm_stores_the_slip_once_per_idempotency_key() -> None:
    # given
    phone, member = _phone()
    payload, _entry = _payload()
    url = reverse("web:scan_confirm")
    # when the phone sends the same queued scan twice (the first answer got lost)
    first = phone.post(url, {"payload": payload}, headers={"Idempotency-Key": "q-1"})
    again = phone.post(url, {"payload": payload}, headers={"Idempotency-Key": "q-1"})
    # then
    document = Document.objects.get()
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["documents"][0]["id"] == again.json()["documents"][0]["id"] == document.pk
    assert (document.source, document.status, document.created_by) == (
        "scan",
        "pending",
        member.user,
    )


def test_the_same_bill_scanned_again_is_flagged_as_a_duplicate() -> None:
    # given a bill confirmed from the QR text
    phone, _member = _phone()
    payload, _entry = _payload()
    phone.post(reverse("web:scan_confirm"), {"payload": payload})
    # when a photo of the same bill is confirmed
    photo, _entry = qrbill_file()
    response = phone.post(
        reverse("web:scan_confirm"), {"photo": SimpleUploadedFile("p.png", photo)}
    )
    # then
    assert response.json()["outcome"] == "duplicate"
    assert response.json()["documents"][0]["duplicate_of"] == Document.objects.earliest("id").pk


def test_recent_scans_show_the_own_scans_with_their_status() -> None:
    # given two phones of one organization
    phone, member = _phone()
    colleague = client_for(make_membership(role=Role.APP, organization=member.organization))
    phone.post(reverse("web:scan_confirm"), {"payload": _payload()[0]})
    colleague.post(reverse("web:scan_confirm"), {"payload": _payload("s1_bill02_w900.png")[0]})
    mine = Document.objects.get(created_by=member.user)
    services.payment_slip_mark_processed(document=mine, actor=None, booking_reference="B-1")
    # when
    response = phone.get(reverse("web:scan_recent"))
    # then
    assert [d.pk for d in response.context["scans"]] == [mine.pk]
    assert 'data-status="processed"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_an_unlinked_phone_cannot_send() -> None:
    # when
    response = Client().post(reverse("web:scan_confirm"), {"payload": _payload()[0]})
    # then the script sees a redirect to the log-in, and nothing is stored
    assert response.status_code == 302
    assert counts() == (0, 0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_scan_appears_live_and_the_scanner_sees_it_processed(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an organization with an accountant at a desk and a phone user of the "app" role
    organization = make_organization()
    make_membership(
        role=Role.ADMIN, organization=organization, user=verified_user("desk@example.com")
    )
    make_membership(
        role=Role.APP, organization=organization, user=verified_user("phone@example.com")
    )
    desk = browser_context().new_page()
    log_in(desk, "desk@example.com", next_url=reverse("web:payment_slip_list"))
    phone = browser_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    # when the phone logs in on the scan page, photographs a QR-bill and confirms it
    phone.goto(reverse("web:scan_app"))
    shot(phone, "phone-link")
    phone.fill("input[name=login]", "phone@example.com")
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("form.scan-login [type=submit]").click()
    phone.wait_for_selector("html[data-scan-ready]", state="attached")
    photo, entry = qrbill_file()
    phone.set_input_files("#photo-input", files=[file_payload("bill.png", "image/png", photo)])
    phone.wait_for_selector("#confirm:not([hidden])")
    shot(phone, "phone-confirm")
    # the QR reference in the blocks of the bill: two digits, then blocks of five
    assert entry["expected_fields"]["reference"] == "360837783533740681241586834"
    assert phone.locator("[data-f=reference]").inner_text() == "36 08377 83533 74068 12415 86834"
    phone.click("#confirm-ok")
    phone.wait_for_selector("#recent [data-status=pending]")
    shot(phone, "phone-sent")
    # then the slip appears on the desk without a reload
    slip = Document.objects.get()
    desk.wait_for_selector(f"#slip-{slip.pk}")
    shot(desk, "desk-live")
    # when the desk marks it processed
    desk.check(f"#slip-{slip.pk} input[name=ids]")
    desk.fill("input[name=booking_reference]", "FIBU-1")
    desk.click("button[formaction$='/payment-slips/process']")
    desk.wait_for_selector(".msg.success")
    # then the scanner sees "processed"
    phone.wait_for_selector("#recent [data-status=processed]", timeout=15_000)
    shot(phone, "phone-processed")
    assert Document.objects.get().booking_reference == "FIBU-1"


# Headless Chromium has neither a camera nor a BarcodeDetector: the test gives the page a
# canvas as the camera and a detector that "sees" the QR-bill text, before any script runs.
FAKE_CAMERA = """
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = Object.assign(document.createElement("canvas"), {width: 64, height: 64});
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return canvas.captureStream(5);
};
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return [{rawValue: window.__qrPayload || ""}]; }
};
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_app_opens_offline_queues_a_live_scan_and_sends_it_when_back_online(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given a linked phone whose service worker has cached the app
    make_membership(role=Role.APP, user=verified_user("phone@example.com"))
    context = browser_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(FAKE_CAMERA)
    phone = context.new_page()
    log_in(phone, "phone@example.com", next_url=reverse("web:scan_app"))
    phone.wait_for_selector("html[data-scan-ready]", state="attached")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()
    phone.wait_for_function("() => navigator.serviceWorker.controller !== null")  # no eval: the CSP
    # when the network goes away and the app is opened again
    context.set_offline(True)
    phone.reload()
    phone.wait_for_selector("html[data-scan-ready]", state="attached")
    payload, entry = _payload()
    phone.evaluate("payload => { window.__qrPayload = payload; }", payload)
    phone.click("#start-camera")
    # then the QR-bill is read on the phone, confirmed and queued
    phone.wait_for_selector("#confirm:not([hidden])")
    assert phone.locator("#confirm-offline").is_visible()
    assert (
        phone.locator("[data-f=creditor]").inner_text()
        == entry["expected_fields"]["creditor"]["name"]
    )
    phone.click("#confirm-ok")
    phone.wait_for_selector("#queue-card:not([hidden]) #queue-list li")
    shot(phone, "offline-queued")
    assert Document.objects.count() == 0
    # when the network comes back
    context.set_offline(False)
    # then the queue is sent by itself and the scan shows as pending
    phone.wait_for_selector("#recent [data-status=pending]", timeout=15_000)
    phone.wait_for_selector("#queue-card[hidden]", state="attached")
    shot(phone, "online-sent")
    document = Document.objects.get()
    assert (document.source, document.reference) == ("scan", entry["expected_fields"]["reference"])


def test_a_receipt_photo_from_the_scan_app_is_kept_as_a_purchase_receipt() -> None:
    # given
    member = make_membership(role=Role.APP)
    photo = SimpleUploadedFile("receipt.jpg", receipt_jpeg(), content_type="image/jpeg")
    # when
    response = client_for(member).post(
        reverse("web:scan_receipt"), {"photo": photo, "category": "fuel"},
        headers={"Idempotency-Key": "receipt-1"},
    )  # fmt: skip
    # then
    assert response.status_code == 201
    document = Document.objects.get()
    assert (document.kind, document.category, document.source) == (
        "purchase_receipt",
        "fuel",
        "scan",
    )
    assert response.json() == {
        "outcome": "created",
        "documents": [
            {"id": document.pk, "status": "received", "creditor": "", "amount": "",
             "currency": "", "duplicate_of": None}
        ],
    }  # fmt: skip


def test_a_receipt_photo_without_a_category_is_refused_by_the_scan_app() -> None:
    # given
    member = make_membership(role=Role.APP)
    photo = SimpleUploadedFile("receipt.jpg", receipt_jpeg(), content_type="image/jpeg")
    # when
    response = client_for(member).post(reverse("web:scan_receipt"), {"photo": photo})
    # then
    assert (response.status_code, response.json()["code"]) == (422, "receipt-category-invalid")
    assert counts() == (0, 0)


def test_the_scan_app_offers_a_photo_of_a_receipt() -> None:
    # given
    member = make_membership(role=Role.APP)
    # when
    response = client_for(member).get(reverse("web:scan_app"))
    # then
    assert response.context["receipt_categories"] == Document.ReceiptCategory.choices
    assert b'id="receipt-input"' in response.content
