"""Document categories in the hub: the kind set at ingest, the warning on a foreign invoice,
the category selector of the partner space, and the audited correction of a kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ledgerbridge.hub.core.errors import Invalid
from ledgerbridge.hub.documents import selectors, services
from ledgerbridge.hub.documents.counterparts import (
    register_linked_tax_ids,
    unregister_linked_tax_ids,
)
from ledgerbridge.hub.identity.models import AuditEvent
from tests.hub.factories import CORPUS, admin_of, ingest, make_organization, make_slip
from tests.hub.helpers import counts

if TYPE_CHECKING:
    from collections.abc import Collection

    from ledgerbridge.hub.documents.models import Document
    from ledgerbridge.hub.identity.models import Membership, Organization

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

KSEF_INVOICE = CORPUS / "ksef" / "official-mf" / "FA_3_Przyklad_08.xml"
CAMT = CORPUS / "camt053" / "viafintech" / "053__valid_example_v4.xml"
SELLER_NIP, BUYER_NIP = "9999999999", "1111111111"
NOT_ADDRESSED = {
    "severity": "warning",
    "code": "not-addressed-to-organization",
    "location": "",
    "message": "not addressed to this organization: neither seller nor buyer carries its "
    "tax ID or that of a linked organization",
}


def _polish(tax_id: str) -> Membership:
    return admin_of(make_organization(country="PL", tax_id=tax_id))


def _ksef(member: Membership, **kwargs: object) -> Document:
    [document] = ingest(member, KSEF_INVOICE.read_bytes(), filename="fa.xml", **kwargs).documents
    return document


def _kind_events(organization: Organization) -> list[dict[str, object]]:
    events = AuditEvent.objects.filter(organization=organization, action="document_kind_changed")
    return [event.details for event in events.order_by("seq")]


# --- at ingest -----------------------------------------------------------------------


def test_an_e_invoice_whose_seller_is_the_uploading_organization_is_outgoing() -> None:
    # given / when the seller of the KSeF invoice uploads it
    document = _ksef(_polish(SELLER_NIP))
    # then
    assert document.kind == "outgoing_invoice"
    assert NOT_ADDRESSED not in document.findings


def test_an_e_invoice_whose_buyer_is_the_uploading_organization_is_incoming() -> None:
    # given / when
    document = _ksef(_polish(BUYER_NIP))
    # then
    assert (document.kind, document.status) == ("incoming_invoice", "received")
    assert NOT_ADDRESSED not in document.findings


def test_an_e_invoice_naming_neither_is_other_with_a_warning_finding() -> None:
    # given / when a Swiss company uploads the Polish invoice
    document = _ksef(admin_of())
    # then it is kept as "other", with the warning (not an error)
    assert document.kind == "other"
    assert document.findings[-1] == NOT_ADDRESSED
    assert document.has_errors is False


def test_an_e_invoice_naming_neither_takes_the_uploaders_kind_and_keeps_the_warning() -> None:
    # given / when
    document = _ksef(admin_of(), kind="incoming_invoice")
    # then
    assert document.kind == "incoming_invoice"
    assert document.findings[-1] == NOT_ADDRESSED


def test_the_uploaders_purchase_receipt_carries_its_category() -> None:
    # given / when
    document = _ksef(admin_of(), kind="purchase_receipt", receipt_category="meals")
    # then
    assert (document.kind, document.category) == ("purchase_receipt", "meals")


def test_the_uploaders_kind_does_not_override_what_the_data_says() -> None:
    # given the invoice's seller, who chose "incoming invoice" for the batch
    document = _ksef(_polish(SELLER_NIP), kind="incoming_invoice")
    # then
    assert document.kind == "outgoing_invoice"


def test_an_office_uploading_its_clients_invoice_gets_no_warning() -> None:
    # given an accounting office linked (through the registry) to the invoice's buyer
    office = admin_of()

    def links(organization: Organization) -> Collection[tuple[str, str]]:
        return [("PL", BUYER_NIP)] if organization.pk == office.organization_id else []

    register_linked_tax_ids(links)
    try:
        # when the office uploads the client's invoice
        document = _ksef(office)
    finally:
        unregister_linked_tax_ids(links)
    # then it is the client's incoming invoice, without the warning
    assert document.kind == "incoming_invoice"
    assert NOT_ADDRESSED not in document.findings


def test_a_camt_statement_and_a_qr_bill_get_their_kinds() -> None:
    # given / when
    member = admin_of()
    [statement] = ingest(member, CAMT.read_bytes(), filename="camt.xml").documents
    slip = make_slip(member)
    # then
    assert (statement.kind, statement.findings) == ("bank_statement", [])
    assert (slip.kind, slip.status) == ("payment_slip", "pending")


@pytest.mark.parametrize("kind", ["payment_slip", "bank_statement", "invoice"])
def test_a_kind_the_uploader_may_not_choose_is_refused_and_nothing_stored(kind: str) -> None:
    # given
    member = admin_of()
    before = counts()
    # when / then
    with pytest.raises(Invalid) as refusal:
        _ksef(member, kind=kind)
    assert refusal.value.code == "document-kind-invalid"
    assert counts() == before


# --- the category selector -------------------------------------------------------------


def test_the_incoming_invoice_category_holds_qr_bills_with_an_invoice_number() -> None:
    # given an incoming invoice, an outgoing one, a QR-bill with S1 invoice number and one without
    buyer = _polish(BUYER_NIP)
    incoming = _ksef(buyer)
    seller = _polish(SELLER_NIP)
    outgoing = _ksef(seller)
    member = admin_of(buyer.organization)
    with_number = make_slip(member, "s1_bill01")
    without_number = make_slip(member, "s1_bill05")
    assert (with_number.invoice_number, without_number.invoice_number) == ("2025-0566", "")

    # when
    def tab(organization: Organization, category: str) -> set[int]:
        found = selectors.documents_of_category(organization=organization, category=category)
        return {document.pk for document in found}

    # then
    assert tab(buyer.organization, "incoming_invoice") == {incoming.pk, with_number.pk}
    assert tab(buyer.organization, "payment_slip") == {with_number.pk, without_number.pk}
    assert tab(buyer.organization, "outgoing_invoice") == set()
    assert tab(seller.organization, "outgoing_invoice") == {outgoing.pk}
    assert tab(seller.organization, "incoming_invoice") == set()


def test_the_category_filter_keeps_the_callers_queryset_and_refuses_unknown_ones() -> None:
    # given
    member = _polish(BUYER_NIP)
    incoming = _ksef(member)
    mine = selectors.document_list(organization=member.organization).filter(pk=incoming.pk)
    # when / then
    assert list(selectors.document_in_category(mine, "incoming_invoice")) == [incoming]
    with pytest.raises(Invalid) as refusal:
        selectors.document_in_category(mine, "invoice")
    assert refusal.value.code == "document-kind-invalid"


# --- correcting a kind -------------------------------------------------------------------


def test_a_kind_is_corrected_and_audited_from_and_to() -> None:
    # given an e-invoice kept as "other"
    member = admin_of()
    document = _ksef(member)
    # when
    changed = services.document_set_kind(
        document=document, kind="incoming_invoice", actor=member.user, ip="192.0.2.7"
    )
    # then
    document.refresh_from_db()
    assert (changed.kind, document.kind, document.status) == (
        "incoming_invoice", "incoming_invoice", "received",
    )  # fmt: skip
    assert _kind_events(member.organization) == [
        {"document_id": document.pk, "from": "other", "to": "incoming_invoice", "token_id": None}
    ]


def test_the_same_kind_again_changes_and_audits_nothing() -> None:
    # given
    member = _polish(BUYER_NIP)
    document = _ksef(member)
    updated = document.updated_at
    # when
    services.document_set_kind(document=document, kind="incoming_invoice", actor=member.user)
    # then
    document.refresh_from_db()
    assert (document.kind, document.updated_at) == ("incoming_invoice", updated)
    assert _kind_events(member.organization) == []


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("payment_slip", "document-kind-needs-qr-bill"),
        ("bank_statement", "document-kind-needs-bank-statement"),
        ("invoice", "document-kind-invalid"),
        ("", "document-kind-invalid"),
    ],
)
def test_an_impossible_kind_is_refused_and_nothing_changes(kind: str, code: str) -> None:
    # given an e-invoice
    member = _polish(BUYER_NIP)
    document = _ksef(member)
    before = counts(), AuditEvent.objects.count()
    # when / then
    with pytest.raises(Invalid) as refusal:
        services.document_set_kind(document=document, kind=kind, actor=member.user)
    assert (refusal.value.status, refusal.value.code) == (422, code)
    document.refresh_from_db()
    assert document.kind == "incoming_invoice"
    assert (counts(), AuditEvent.objects.count()) == before


def test_a_pending_slip_leaves_the_slips_as_received_and_comes_back_pending() -> None:
    # given a pending payment slip
    member = admin_of()
    slip = make_slip(member)
    # when it becomes an incoming invoice, then a payment slip again
    services.document_set_kind(document=slip, kind="incoming_invoice", actor=member.user)
    slip.refresh_from_db()
    left = (slip.kind, slip.status)
    services.document_set_kind(document=slip, kind="payment_slip", actor=member.user)
    slip.refresh_from_db()
    # then the status followed, in the history and in the audit log
    assert left == ("incoming_invoice", "received")
    assert (slip.kind, slip.status) == ("payment_slip", "pending")
    steps = [(c.from_status, c.to_status) for c in selectors.document_status_history(document=slip)]
    assert steps == [("", "pending"), ("pending", "received"), ("received", "pending")]
    assert [e["status"] for e in _kind_events(member.organization)] == [
        ["pending", "received"], ["received", "pending"],
    ]  # fmt: skip


def test_a_processed_slip_stays_a_payment_slip() -> None:
    # given a processed payment slip
    member = admin_of()
    slip = make_slip(member)
    services.payment_slip_mark_processed(document=slip, actor=member.user, booking_reference="B1")
    # when / then
    with pytest.raises(Invalid) as refusal:
        services.document_set_kind(document=slip, kind="other", actor=member.user)
    assert refusal.value.code == "document-kind-slip-not-pending"
    slip.refresh_from_db()
    assert (slip.kind, slip.status) == ("payment_slip", "processed")


def test_leaving_the_purchase_receipts_drops_the_receipt_category() -> None:
    # given a purchase receipt of the category "meals"
    member = admin_of()
    document = _ksef(member, kind="purchase_receipt", receipt_category="meals")
    # when
    services.document_set_kind(document=document, kind="other", actor=member.user)
    # then
    document.refresh_from_db()
    assert (document.kind, document.category) == ("other", "")
    assert _kind_events(member.organization)[0]["category"] == "meals"
