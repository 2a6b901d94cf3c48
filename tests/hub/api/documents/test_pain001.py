"""``POST /api/v1/payment-slips/pain001``: the chosen slips as a pain.001.001.09 order.

The XSD check uses the ISO 20022 ``pain.001.001.09.xsd`` that the ``sepaxml`` package
(MIT, dev extra) ships, read from the installed package at test time, never copied here.
"""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from lxml import etree

from ledgerbridge.hub.identity.models import AuditEvent
from tests.hub.factories import admin_of, ingest, qrbill_manifest
from tests.hub.helpers import token_client

if TYPE_CHECKING:
    from django.test import Client

    from ledgerbridge.hub.documents.models import Document
    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

URL = "/api/v1/payment-slips/pain001"
NS = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}"
DEBTOR_IBAN = "CH5604835012345678009"


def _schema() -> etree.XMLSchema:
    spec = importlib.util.find_spec("sepaxml")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the pain.001.001.09 XSD comes from sepaxml: install the dev extra")
    path = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "pain.001.001.09.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def _slip(admin: Membership, bill: str = "s1_bill01") -> Document:
    """A pending slip read from the QR text of a generated corpus bill (fast: no image)."""
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == bill)
    return ingest(admin, entry["expected_payload"].encode(), filename=f"{bill}.txt").documents[0]


def _export(client: Client, ids: list[int], **fields: Any) -> Any:
    body = {
        "ids": ids,
        "debtor_name": "Acme AG",
        "debtor_iban": DEBTOR_IBAN,
        "execution_date": "2026-12-01",
        **fields,
    }
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_the_export_is_an_xsd_valid_pain001_with_every_chosen_slip() -> None:
    # given QRR, SCOR and NON slips in CHF and EUR
    admin = admin_of()
    slips = [_slip(admin, bill) for bill in ("s1_bill01", "s1_bill02", "s1_bill06")]
    schema = _schema()
    # when
    response = _export(token_client(admin), [s.pk for s in slips])
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert schema.validate(root), schema.error_log
    amounts = {
        tx.findtext(f"{NS}PmtId/{NS}EndToEndId"): Decimal(
            tx.findtext(f"{NS}Amt/{NS}InstdAmt") or ""
        )
        for tx in root.iter(f"{NS}CdtTrfTxInf")
    }
    assert amounts == {f"LB-{s.pk}": s.amount for s in slips}
    event = AuditEvent.objects.filter(organization=admin.organization).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.details["documents"]) == ("pain001-exported", [s.pk for s in slips])


def test_a_slip_without_amount_is_a_422_naming_it() -> None:
    # given a QR-bill with an open amount
    admin = admin_of()
    open_amount = _slip(admin, "s1_bill03")
    # when
    response = _export(token_client(admin), [open_amount.pk])
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "slip-not-payable",
        "message": f"Payment slip #{open_amount.pk} has no amount.",
    }


def test_a_bad_debtor_iban_is_a_422_with_the_writers_rule_code() -> None:
    # given
    admin = admin_of()
    slip = _slip(admin)
    # when
    response = _export(token_client(admin), [slip.pk], debtor_iban="CH00 1234 5678 9012 3")
    # then
    assert response.status_code == 422
    assert response.json()["code"] == "pain001-iban-invalid"


def test_a_foreign_slip_is_a_404_and_nothing_is_exported() -> None:
    # given
    admin, stranger = admin_of(), admin_of()
    own, foreign = _slip(admin), _slip(stranger)
    client = token_client(admin)
    events = AuditEvent.objects.count()
    # when
    response = _export(client, [own.pk, foreign.pk])
    # then
    assert response.status_code == 404
    assert response.json()["code"] == "payment-slip-not-found"
    assert AuditEvent.objects.count() == events


def test_exporting_needs_payment_slips_process() -> None:
    # given a token that may only upload
    admin = admin_of()
    slip = _slip(admin)
    # when
    response = _export(token_client(admin, ["documents.upload"]), [slip.pk])
    # then
    assert response.status_code == 403
