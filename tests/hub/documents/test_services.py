"""document_ingest and the payment-slip services: documents, duplicates, refusals, history."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.storage import default_storage

from ledgerbridge.hub.core.errors import Conflict, Invalid, NotFound, ServiceError
from ledgerbridge.hub.documents import selectors, services
from ledgerbridge.hub.documents.models import Document, DocumentStatusChange
from ledgerbridge.hub.identity.models import AuditEvent
from tests.hub.factories import (
    HTML_AS_PDF,
    admin_of,
    blank_pdf,
    bomb_png,
    ingest,
    plain_qr_png,
    qrbill_file,
    receipt_jpeg,
)
from tests.hub.helpers import counts, limited, storage_files, use_plans

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.django_db


def test_a_qrbill_photo_becomes_one_pending_payment_slip(media: Path) -> None:
    # given
    admin = admin_of()
    data, entry = qrbill_file()
    # when
    result = ingest(admin, data, filename="bill.png", source=Document.Source.SCAN)
    # then
    [slip] = result.documents
    fields = entry["expected_fields"]
    assert (result.created, result.duplicate_file) == (True, False)
    assert (slip.kind, slip.status, slip.source) == ("payment_slip", "pending", "scan")
    assert (slip.iban, slip.amount, slip.currency) == (
        fields["account"],
        Decimal(fields["amount"]),
        fields["currency"],
    )
    assert (slip.reference, slip.creditor_name) == (fields["reference"], fields["creditor"]["name"])
    assert slip.invoice_number == "2025-0566"
    assert str(slip.due_date) == "2026-01-06"  # S1 invoice date 2025-11-07 + 60 days net
    assert slip.file.sha256 == slip.file.storage_name.rsplit("/", 1)[1]
    assert slip.file.storage_name.startswith(f"files/{admin.organization_id}/")
    with default_storage.open(slip.file.storage_name) as stored:
        assert stored.read() == data
    assert slip.file.content_type == "image/png"
    assert [(c.from_status, c.to_status, c.actor_id) for c in slip.status_changes.all()] == [
        ("", "pending", admin.user_id)
    ]
    event = AuditEvent.objects.get(organization=admin.organization, action="ingest")
    assert event.details["documents"] == [
        {"id": slip.pk, "kind": "payment_slip", "duplicate_of": None}
    ]


def test_the_same_file_again_answers_the_existing_documents(media: Path) -> None:
    # given
    admin = admin_of()
    data, _ = qrbill_file()
    first = ingest(admin, data)
    before = counts(), storage_files(media)
    # when
    again = ingest(admin, data, source=Document.Source.API)
    # then
    assert (again.created, again.duplicate_file) == (False, True)
    assert [d.pk for d in again.documents] == [d.pk for d in first.documents]
    assert (counts(), storage_files(media)) == before


def test_the_same_payment_in_another_file_is_flagged_as_a_duplicate(media: Path) -> None:
    # given: two photos of the same bill, different bytes
    admin = admin_of()
    first = ingest(admin, qrbill_file("s1_bill01_w900.png")[0]).documents[0]
    # when
    second = ingest(admin, qrbill_file("s1_bill01_w1200.png")[0]).documents[0]
    # then
    assert second.pk != first.pk
    assert second.file_id != first.file_id
    assert (second.duplicate_of_id, first.duplicate_of_id) == (first.pk, None)
    assert second.dedupe_key == first.dedupe_key
    assert list(selectors.document_list(organization=admin.organization, duplicate=True)) == [
        second
    ]


def test_the_same_file_in_two_organizations_is_stored_for_each(media: Path) -> None:
    # given
    data, _ = qrbill_file()
    one, other = admin_of(), admin_of()
    # when
    a = ingest(one, data).documents[0]
    b = ingest(other, data).documents[0]
    # then: nothing is shared across tenants, not even the duplicate flag
    assert a.file_id != b.file_id
    assert b.duplicate_of_id is None
    assert len(storage_files(media)) == 2


@pytest.mark.parametrize(
    ("data", "code", "error"),
    [
        pytest.param(b"", "file-empty", Invalid, id="empty"),
        pytest.param(HTML_AS_PDF, "unsupported-format", Invalid, id="html-named-pdf"),
        pytest.param(b"\x00\x01binary junk" * 10, "unsupported-format", Invalid, id="junk"),
        pytest.param(None, "limit-image-pixels", Invalid, id="decompression-bomb"),
        pytest.param(None, "no-document-found", Invalid, id="pdf-without-document"),
        pytest.param(None, "qr-not-a-qr-bill", Invalid, id="plain-qr-code"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_stores_nothing(
    media: Path, data: bytes | None, code: str, error: type[ServiceError]
) -> None:
    # given
    admin = admin_of()
    built = {
        "limit-image-pixels": bomb_png,
        "no-document-found": blank_pdf,
        "qr-not-a-qr-bill": plain_qr_png,
    }
    payload = data if data is not None else built[code]()
    before = counts(), storage_files(media), AuditEvent.objects.count()
    # when
    with pytest.raises(error) as refused:
        ingest(admin, payload, filename="invoice.pdf")
    # then
    assert refused.value.code == code
    assert (counts(), storage_files(media), AuditEvent.objects.count()) == before


def test_an_html_page_is_refused_as_unsupported_media(media: Path) -> None:
    # given
    admin = admin_of()
    # when
    with pytest.raises(Invalid) as refused:
        ingest(admin, HTML_AS_PDF, filename="invoice.pdf")
    # then
    assert refused.value.status == 415


def test_an_oversize_file_is_refused_before_it_is_read(media: Path, settings: Any) -> None:
    # given
    settings.LEDGERBRIDGE_MAX_UPLOAD_BYTES = 1000
    admin = admin_of()
    # when
    with pytest.raises(Invalid) as refused:
        ingest(admin, qrbill_file()[0])
    # then
    assert (refused.value.code, refused.value.status) == ("file-too-large", 413)
    assert (counts(), storage_files(media)) == ((0, 0), [])


def test_the_storage_quota_of_an_organization_is_enforced(media: Path, settings: Any) -> None:
    # given: room for one photo only
    first, _ = qrbill_file("s1_bill01_w900.png")
    use_plans(settings, limited(storage_bytes=len(first) + 10))
    admin = admin_of()
    ingest(admin, first)
    before = counts(), storage_files(media)
    # when
    with pytest.raises(Conflict) as refused:
        ingest(admin, qrbill_file("s1_bill02_w900.png")[0])
    # then
    assert refused.value.code == "plan-limit-reached"
    assert (counts(), storage_files(media)) == before


def test_a_pdf_without_documents_is_kept_as_other_when_asked(media: Path) -> None:
    # given
    admin = admin_of()
    # when
    result = ingest(admin, blank_pdf(), filename="letter.pdf", keep_unreadable_as_other=True)
    # then
    [document] = result.documents
    assert (document.kind, document.status, document.data) == ("other", "received", None)
    assert document.file.content_type == "application/pdf"
    assert len(storage_files(media)) == 1


def test_a_receipt_photo_asked_to_be_kept_is_a_purchase_receipt_of_its_category(
    media: Path,
) -> None:
    # given
    admin = admin_of()
    # when
    result = ingest(admin, receipt_jpeg(), filename="lunch.jpg", receipt_category="meals")
    # then
    [document] = result.documents
    assert (document.kind, document.category, document.status, document.data) == (
        "purchase_receipt",
        "meals",
        "received",
        None,
    )
    assert document.file.content_type == "image/jpeg"
    assert len(storage_files(media)) == 1


def test_a_photo_without_a_qr_code_is_kept_as_other_when_asked(media: Path) -> None:
    # given
    admin = admin_of()
    # when
    result = ingest(admin, receipt_jpeg(), filename="photo.jpg", keep_unreadable_as_other=True)
    # then
    [document] = result.documents
    assert (document.kind, document.category) == ("other", "")


def test_an_unknown_receipt_category_is_refused_and_stores_nothing(media: Path) -> None:
    # given
    admin = admin_of()
    # when
    with pytest.raises(Invalid) as refused:
        ingest(admin, receipt_jpeg(), filename="photo.jpg", receipt_category="yachts")
    # then
    assert refused.value.code == "receipt-category-invalid"
    assert (counts(), storage_files(media)) == ((0, 0), [])


def test_a_failure_while_writing_rows_deletes_the_file_again(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the audit log fails after the file was written
    admin = admin_of()

    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ledgerbridge.hub.documents.services._ingest.audit_record", broken)
    # when
    with pytest.raises(RuntimeError):
        ingest(admin, qrbill_file()[0])
    # then
    assert (counts(), storage_files(media)) == ((0, 0), [])


def test_the_same_idempotency_key_answers_the_same_documents(media: Path) -> None:
    # given
    admin = admin_of()
    data, _ = qrbill_file()
    first = ingest(admin, data, idempotency_key="k-1")
    # when
    again = ingest(admin, data, idempotency_key="k-1")
    # then
    assert [d.pk for d in again.documents] == [d.pk for d in first.documents]
    assert (again.created, again.duplicate_file) == (False, False)


def test_an_idempotency_key_reused_for_another_file_is_a_conflict(media: Path) -> None:
    # given
    admin = admin_of()
    ingest(admin, qrbill_file("s1_bill01_w900.png")[0], idempotency_key="k-1")
    before = counts(), storage_files(media)
    # when
    with pytest.raises(Conflict) as refused:
        ingest(admin, qrbill_file("s1_bill02_w900.png")[0], idempotency_key="k-1")
    # then
    assert refused.value.code == "idempotency-key-reused"
    assert (counts(), storage_files(media)) == before


def _slip(admin: Any) -> Document:
    return ingest(admin, qrbill_file()[0]).documents[0]


def test_marking_a_slip_processed_is_recorded_once(media: Path) -> None:
    # given
    admin = admin_of()
    slip = _slip(admin)
    # when
    done = services.payment_slip_mark_processed(
        document=slip, actor=admin.user, booking_reference="B-17"
    )
    again = services.payment_slip_mark_processed(
        document=slip, actor=admin.user, booking_reference="B-17"
    )
    # then
    assert (done.status, done.booking_reference, again.status) == ("processed", "B-17", "processed")
    assert list(
        DocumentStatusChange.objects.filter(document=slip).values_list("from_status", "to_status")
    ) == [("", "pending"), ("pending", "processed")]
    assert AuditEvent.objects.filter(action="payment-slip-processed").count() == 1
    assert not selectors.payment_slip_list(
        organization=admin.organization, status=Document.Status.PENDING
    ).exists()


def test_a_processed_slip_cannot_get_another_booking_reference(media: Path) -> None:
    # given
    admin = admin_of()
    slip = _slip(admin)
    services.payment_slip_mark_processed(document=slip, actor=admin.user, booking_reference="B-1")
    # when
    with pytest.raises(Conflict) as refused:
        services.payment_slip_mark_processed(
            document=slip, actor=admin.user, booking_reference="B-2"
        )
    # then
    assert refused.value.code == "slip-already-processed"


def test_a_rejected_slip_keeps_its_reason_and_cannot_be_processed(media: Path) -> None:
    # given
    admin = admin_of()
    slip = _slip(admin)
    # when
    rejected = services.payment_slip_reject(document=slip, actor=admin.user, reason="paid twice")
    with pytest.raises(Conflict) as refused:
        services.payment_slip_mark_processed(
            document=slip, actor=admin.user, booking_reference="B-1"
        )
    # then
    assert (rejected.status, rejected.status_reason) == ("rejected", "paid twice")
    assert refused.value.code == "slip-rejected"
    assert AuditEvent.objects.filter(action="payment-slip-rejected").count() == 1


def test_rejecting_needs_a_reason(media: Path) -> None:
    # given
    admin = admin_of()
    slip = _slip(admin)
    # when
    with pytest.raises(Invalid) as refused:
        services.payment_slip_reject(document=slip, actor=admin.user, reason="  ")
    # then
    assert refused.value.code == "reason-required"


def test_a_document_of_another_organization_is_not_found(media: Path) -> None:
    # given
    slip = _slip(admin_of())
    stranger = admin_of()
    # when
    with pytest.raises(NotFound):
        selectors.document_get(organization=stranger.organization, document_id=slip.pk)
    # then
    assert selectors.document_get(organization=slip.organization, document_id=slip.pk) == slip


def test_the_pending_version_moves_with_every_new_slip_and_status_change(media: Path) -> None:
    # given
    admin = admin_of()
    org = admin.organization
    empty = selectors.pending_slips_version(organization=org)
    slip = _slip(admin)
    one = selectors.pending_slips_version(organization=org)
    # when
    services.payment_slip_mark_processed(document=slip, actor=admin.user, booking_reference="X")
    done = selectors.pending_slips_version(organization=org)
    # then
    assert len({empty, one, done}) == 3
    assert selectors.pending_slips_version(organization=org) == done


def test_search_finds_documents_by_extracted_fields(media: Path) -> None:
    # given
    admin = admin_of()
    slip = _slip(admin)
    ingest(admin, qrbill_file("s1_bill02_w900.png")[0])
    org = admin.organization
    # when
    by_name = selectors.document_list(organization=org, search="Brönnimann")
    by_reference = selectors.document_list(organization=org, search=slip.reference[:12])
    # then
    assert list(by_name) == [slip]
    assert list(by_reference) == [slip]
