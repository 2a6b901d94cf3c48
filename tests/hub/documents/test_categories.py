"""The kind of a document from its data: corpus files read by the formats library, classified
for organizations whose tax ID is the seller's, the buyer's, a linked one's, or neither."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ledgerbridge.formats import Document as ReadDocument
from ledgerbridge.formats import Party, read
from ledgerbridge.hub.documents import counterparts
from ledgerbridge.hub.documents.categories import allowed_kinds, classify
from ledgerbridge.hub.documents.counterparts import (
    linked_tax_ids,
    party_is,
    register_linked_tax_ids,
    same_tax_id,
    unregister_linked_tax_ids,
)
from tests.hub.factories import CORPUS, make_organization, qrbill_manifest

if TYPE_CHECKING:
    from collections.abc import Collection

    from ledgerbridge.hub.identity.models import Organization

KSEF_INVOICE = "ksef/official-mf/FA_3_Przyklad_08.xml"  # 380, seller 9999999999, buyer 1111111111
KSEF_CORRECTION = "ksef/official-mf/FA_3_Przyklad_02.xml"  # a correction (credit note)
XRECHNUNG = "xrechnung/testsuite/01.01a-INVOICE_ubl.xml"  # seller "DE 123456789", no buyer ID
FACTURX_380 = "facturx-pdf/ZUGFeRDv2__FNFE-factur-x-examples__Avoir_FR_type380_BASIC.pdf"
FACTURX_381 = "facturx-pdf/ZUGFeRDv2__FNFE-factur-x-examples__Avoir_FR_type381_MINIMUM.pdf"
GUTSCHRIFT_389 = "facturx-pdf/ZUGFeRDv2__intarsys__zugferd_2p0_EN16931_Gutschrift.pdf"
CII_DK = "cii/cen-examples/CII_business_example_01.xml"
UBL_DK = "ubl/cen-examples/BIS3_Invoice_positive.xml"
CAMT = "camt053/viafintech/053__valid_example_v4.xml"
STRANGER = ("CH", "CHE116281710")


def _read(path: str) -> ReadDocument:
    [document] = read((CORPUS / path).read_bytes(), filename=path.rsplit("/", 1)[-1]).documents
    return document


def _qrbill() -> ReadDocument:
    payload = qrbill_manifest()[0]["expected_payload"].encode()
    [document] = read(payload, filename="bill.txt").documents
    return document


@pytest.mark.parametrize(
    ("path", "own", "kind", "addressed"),
    [
        (KSEF_INVOICE, ("PL", "9999999999"), "outgoing_invoice", True),
        (KSEF_INVOICE, ("PL", "1111111111"), "incoming_invoice", True),
        (KSEF_INVOICE, STRANGER, "other", False),
        (KSEF_CORRECTION, ("PL", "9999999999"), "credit_note", True),
        (KSEF_CORRECTION, STRANGER, "credit_note", False),
        (XRECHNUNG, ("DE", "123456789"), "outgoing_invoice", True),
        # no buyer ID: someone else's invoice, billed without a VAT ID, is incoming
        (XRECHNUNG, ("DE", "136695976"), "incoming_invoice", True),
        (FACTURX_380, ("FR", "11999999998"), "outgoing_invoice", True),
        (FACTURX_380, ("FR", "19787878784"), "incoming_invoice", True),
        (FACTURX_381, ("FR", "19787878784"), "credit_note", True),
        (GUTSCHRIFT_389, ("DE", "136695976"), "incoming_invoice", True),
        (CII_DK, STRANGER, "other", False),
        (UBL_DK, STRANGER, "other", False),
        (CAMT, STRANGER, "bank_statement", True),
    ],
)
def test_corpus_documents_get_the_kind_their_parties_give(
    path: str, own: tuple[str, str], kind: str, addressed: bool
) -> None:
    # given a corpus document, read
    found = _read(path)
    # when it is classified for the organization with the tax ID ``own``
    result = classify(found, own=own)
    # then
    assert (result.kind, result.addressed) == (kind, addressed)


def test_a_qr_bill_is_a_payment_slip_for_anyone() -> None:
    # given / when
    result = classify(_qrbill(), own=STRANGER, chosen="incoming_invoice")
    # then
    assert (result.kind, result.determined, result.addressed) == ("payment_slip", True, True)


def test_the_uploaders_choice_applies_only_where_the_data_does_not_decide() -> None:
    # given an e-invoice naming the organization as seller, and one naming a stranger
    ours, foreign = _read(KSEF_INVOICE), _read(CII_DK)
    # when both are classified with the uploader's choice "incoming invoice"
    decided = classify(ours, own=("PL", "9999999999"), chosen="incoming_invoice")
    chosen = classify(foreign, own=("PL", "9999999999"), chosen="incoming_invoice")
    # then the seller decides the first; the choice the second, which stays flagged
    assert (decided.kind, decided.determined) == ("outgoing_invoice", True)
    assert (chosen.kind, chosen.determined, chosen.addressed) == ("incoming_invoice", False, False)


def test_a_linked_organization_on_the_invoice_decides_like_the_own_one() -> None:
    # given a KSeF invoice, for an office whose client is the buyer, and one whose is the seller
    found = _read(KSEF_INVOICE)
    # when
    buyer_client = classify(found, own=STRANGER, linked=[("PL", "1111111111")])
    seller_client = classify(found, own=STRANGER, linked=[("PL", "9999999999")])
    # then
    assert (buyer_client.kind, buyer_client.addressed) == ("incoming_invoice", True)
    assert (seller_client.kind, seller_client.addressed) == ("outgoing_invoice", True)


def test_the_own_tax_id_wins_over_a_linked_one() -> None:
    # given an invoice whose buyer is the organization and whose seller is a linked one
    found = _read(KSEF_INVOICE)
    # when
    result = classify(found, own=("PL", "1111111111"), linked=[("PL", "9999999999")])
    # then
    assert result.kind == "incoming_invoice"


@pytest.mark.parametrize(
    ("identity", "written", "same"),
    [
        (("CH", "CHE116281710"), "CHE-116.281.710 MWST", True),
        (("CH", "CHE116281710"), "CHE116281710TVA", True),
        (("CH", "CHE116281710"), "che 116 281 710", True),
        (("CH", "CHE116281710"), "CHE-116.281.711", False),
        (("PL", "1234563218"), "PL1234563218", True),
        (("PL", "1234563218"), "123-456-32-18", True),
        (("DE", "136695976"), "DE 136 695 976", True),
        (("DE", "136695976"), "ATU136695976", False),
        (("AT", "U12345678"), "ATU12345678", True),
        (("CH", "CHE116281710"), "", False),
        (("CH", ""), "CHE116281710", False),
    ],
)
def test_tax_ids_are_compared_in_compact_form_by_country_rules(
    identity: tuple[str, str], written: str, same: bool
) -> None:
    assert same_tax_id(identity, written) is same


def test_a_party_is_matched_by_any_of_its_three_ids() -> None:
    # given a Swiss seller that gives its UID only as legal ID
    party = Party(name="Muster AG", vat_id=None, legal_id="CHE-116.281.710")
    # then
    assert party_is(party, [("CH", "CHE116281710")]) is True
    assert party_is(party, [("DE", "136695976")]) is False


@pytest.mark.django_db
def test_registered_providers_give_the_linked_tax_ids_and_none_by_default() -> None:
    # given an organization and a provider that links it to one Polish company
    organization = make_organization()

    def provider(org: Organization) -> Collection[tuple[str, str]]:
        return [("pl", "1111111111")] if org.pk == organization.pk else []

    assert linked_tax_ids(organization) == frozenset()  # no link: the exchange's gives none
    # when it is registered (twice: counted once)
    register_linked_tax_ids(provider)
    register_linked_tax_ids(provider)
    try:
        linked = linked_tax_ids(organization)
        providers = list(counterparts._providers)
    finally:
        unregister_linked_tax_ids(provider)
    # then
    assert linked == frozenset({("PL", "1111111111")})
    assert providers.count(provider) == 1  # beside the exchange app's own provider
    assert linked_tax_ids(organization) == frozenset()


def test_a_payment_slip_needs_qr_data_and_a_bank_statement_camt_data() -> None:
    assert allowed_kinds("swiss-qr-bill") == {
        "incoming_invoice", "outgoing_invoice", "credit_note", "purchase_receipt", "other",
        "payment_slip",
    }  # fmt: skip
    assert allowed_kinds("camt.053") - allowed_kinds("") == {"bank_statement"}
    assert allowed_kinds("ksef-fa3") == allowed_kinds("")
