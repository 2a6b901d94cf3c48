"""``PATCH /api/v1/documents/{id}``: correcting a document's category, and the upload's
``kind`` for documents whose data does not determine it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ledgerbridge.hub.identity.models import AuditEvent
from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.factories import CORPUS, admin_of, ingest, make_membership, make_slip
from tests.hub.helpers import counts, token_client

if TYPE_CHECKING:
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

    from ledgerbridge.hub.documents.models import Document
    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

URL = "/api/v1/documents"
UBL = CORPUS / "ubl" / "cen-examples" / "BIS3_Invoice_positive.xml"


def _invoice(member: Membership) -> Document:
    [document] = ingest(member, UBL.read_bytes(), filename="invoice.xml").documents
    return document


def _patch(client: Client, document_id: int, body: object) -> Response:
    return client.patch(f"{URL}/{document_id}", body, content_type="application/json")


def test_patch_sets_the_kind_and_answers_the_document_with_its_history() -> None:
    # given an e-invoice naming neither party kept as "other", and a token of the admin
    member = admin_of()
    document = _invoice(member)
    client = token_client(member)
    # when
    response = _patch(client, document.pk, {"kind": "incoming_invoice"})
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["kind"], body["status"]) == (
        document.pk, "incoming_invoice", "received",
    )  # fmt: skip
    assert body["findings"][-1]["code"] == "not-addressed-to-organization"
    assert [step["to_status"] for step in body["history"]] == ["received"]
    event = AuditEvent.objects.get(organization=member.organization, action="document_kind_changed")
    assert (event.details["from"], event.details["to"]) == ("other", "incoming_invoice")
    assert event.details["token_id"] is not None
    assert event.actor == member.user


def test_patch_with_the_same_kind_answers_200_and_writes_nothing() -> None:
    # given
    member = admin_of()
    document = _invoice(member)
    client = token_client(member)
    before = AuditEvent.objects.count()
    # when
    response = _patch(client, document.pk, {"kind": "other"})
    # then
    assert (response.status_code, response.json()["kind"]) == (200, "other")
    assert AuditEvent.objects.count() == before


def test_patch_of_another_organizations_document_is_404_and_changes_nothing() -> None:
    # given a document of organization A and a token of B's admin
    document = _invoice(admin_of())
    client = token_client(admin_of())
    before = counts(), AuditEvent.objects.count()
    # when
    response = _patch(client, document.pk, {"kind": "incoming_invoice"})
    # then
    assert (response.status_code, response.json()["code"]) == (404, "document-not-found")
    document.refresh_from_db()
    assert document.kind == "other"
    assert (counts(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "invoice"}, "invalid-request"),
        ({}, "invalid-request"),
        ({"kind": "payment_slip"}, "document-kind-needs-qr-bill"),
        ({"kind": "bank_statement"}, "document-kind-needs-bank-statement"),
    ],
)
def test_patch_with_an_impossible_kind_is_422_and_changes_nothing(
    body: dict[str, str], code: str
) -> None:
    # given
    member = admin_of()
    document = _invoice(member)
    client = token_client(member)
    before = counts(), AuditEvent.objects.count()
    # when
    response = _patch(client, document.pk, body)
    # then
    assert (response.status_code, response.json()["code"]) == (422, code)
    document.refresh_from_db()
    assert document.kind == "other"
    assert (counts(), AuditEvent.objects.count()) == before


def test_a_processed_slip_cannot_leave_the_payment_slips() -> None:
    # given a processed slip
    member = admin_of()
    slip = make_slip(member)
    client = token_client(member)
    client.post(f"/api/v1/payment-slips/{slip.pk}/processed", {}, content_type="application/json")
    # when
    response = _patch(client, slip.pk, {"kind": "other"})
    # then
    assert (response.status_code, response.json()["code"]) == (
        422, "document-kind-slip-not-pending",
    )  # fmt: skip


def test_patch_needs_documents_upload() -> None:
    # given a token that may only view
    member = admin_of()
    document = _invoice(member)
    client = token_client(member, permissions=[Permission.DOCUMENTS_VIEW])
    # when
    response = _patch(client, document.pk, {"kind": "incoming_invoice"})
    # then
    assert (response.status_code, response.json()["code"]) == (403, "permission-denied")


def test_a_scan_app_corrects_only_its_own_uploads() -> None:
    # given a phone (documents.upload only) and a document the admin uploaded
    admin = admin_of()
    phone = make_membership(organization=admin.organization, role=Role.APP)
    theirs = _invoice(admin)
    mine = make_slip(phone)
    client = token_client(phone)
    # when
    foreign = _patch(client, theirs.pk, {"kind": "incoming_invoice"})
    own = _patch(client, mine.pk, {"kind": "incoming_invoice"})
    # then
    assert foreign.status_code == 404
    assert (own.status_code, own.json()["kind"]) == (200, "incoming_invoice")


def test_an_upload_with_kind_gives_an_unaddressed_e_invoice_that_kind() -> None:
    # given
    client = token_client(admin_of())
    # when
    response = client.post(
        f"{URL}?filename=invoice.xml&kind=incoming_invoice",
        data=UBL.read_bytes(),
        content_type="application/xml",
    )
    # then
    assert response.status_code == 201, response.content
    [document] = response.json()["documents"]
    assert document["kind"] == "incoming_invoice"
    assert document["findings"][-1]["code"] == "not-addressed-to-organization"


def test_an_upload_with_a_kind_that_needs_data_is_a_422() -> None:
    # given
    client = token_client(admin_of())
    before = counts()
    # when
    response = client.post(
        f"{URL}?filename=invoice.xml&kind=payment_slip",
        data=UBL.read_bytes(),
        content_type="application/xml",
    )
    # then
    assert (response.status_code, response.json()["code"]) == (422, "invalid-request")
    assert counts() == before


def test_openapi_documents_the_patch_with_the_kind_enum() -> None:
    # given
    schema = token_client(admin_of()).get("/api/v1/openapi.json").json()
    # when
    operation = schema["paths"]["/api/v1/documents/{document_id}"]["patch"]
    # then
    assert set(operation["responses"]) >= {"200", "401", "403", "404", "422"}
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    kind = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"]["kind"]
    assert kind["enum"] == [
        "incoming_invoice", "outgoing_invoice", "credit_note", "purchase_receipt",
        "bank_statement", "payment_slip", "other",
    ]  # fmt: skip
