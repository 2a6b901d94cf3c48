"""``POST /api/v1/payment-slips/pain001``: the chosen slips as a pain.001.001.09 order.

The XSD check uses the ISO 20022 ``pain.001.001.09.xsd`` that the ``sepaxml`` package
(MIT, dev extra) ships, read from the installed package at test time, never copied here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from lxml import etree

from ledgerbridge.hub.identity.models import AuditEvent
from tests.hub.factories import DEBTOR_IBAN, admin_of, make_slip
from tests.hub.helpers import pain001_amounts, pain001_schema, token_client

if TYPE_CHECKING:
    from django.test import Client


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

URL = "/api/v1/payment-slips/pain001"


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
    slips = [make_slip(admin, bill) for bill in ("s1_bill01", "s1_bill02", "s1_bill06")]
    schema = pain001_schema()
    if schema is None:
        pytest.skip("the pain.001.001.09 XSD comes from sepaxml: install the dev extra")
    # when
    response = _export(token_client(admin), [s.pk for s in slips])
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert schema.validate(root), schema.error_log
    amounts = pain001_amounts(root)
    assert amounts == {f"LB-{s.pk}": s.amount for s in slips}
    event = AuditEvent.objects.filter(organization=admin.organization).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.details["documents"]) == ("pain001-exported", [s.pk for s in slips])


def test_a_slip_without_amount_is_a_422_naming_it() -> None:
    # given a QR-bill with an open amount
    admin = admin_of()
    open_amount = make_slip(admin, "s1_bill03")
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
    slip = make_slip(admin)
    # when
    response = _export(token_client(admin), [slip.pk], debtor_iban="CH00 1234 5678 9012 3")
    # then
    assert response.status_code == 422
    assert response.json()["code"] == "pain001-iban-invalid"


def test_a_foreign_slip_is_a_404_and_nothing_is_exported() -> None:
    # given
    admin, stranger = admin_of(), admin_of()
    own, foreign = make_slip(admin), make_slip(stranger)
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
    slip = make_slip(admin)
    # when
    response = _export(token_client(admin, ["documents.upload"]), [slip.pk])
    # then
    assert response.status_code == 403
