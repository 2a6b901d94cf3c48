"""``POST /api/v1/payment-slips/pain001``: the chosen slips as a pain.001.001.09 order.

The XSD check uses the ISO 20022 ``pain.001.001.09.xsd`` that the ``sepaxml`` package
(MIT, dev extra) ships, read from the installed package at test time, never copied here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from lxml import etree

from ledgerbridge.hub.documents.models import DocumentStatusChange
from ledgerbridge.hub.identity.models import AuditEvent
from tests.hub.factories import DEBTOR_IBAN, admin_of, make_slip
from tests.hub.helpers import pain001_amounts, pain001_message_id, pain001_schema, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

URL = "/api/v1/payment-slips/pain001"
SLIPS = "/api/v1/payment-slips"


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


def test_an_export_marks_the_slips_exported_with_the_files_message_id() -> None:
    # given
    admin = admin_of()
    slips = [make_slip(admin), make_slip(admin, "s1_bill02")]
    client = token_client(admin)
    # when
    response = _export(client, [s.pk for s in slips])
    # then
    assert response.status_code == 200
    message_id = pain001_message_id(etree.fromstring(response.content))
    detail = client.get(f"/api/v1/documents/{slips[0].pk}").json()
    assert detail["status"] == "exported"
    assert [(h["from_status"], h["to_status"], h["message_id"], h["actor"], h["token"])
            for h in detail["history"]] == [
        ("", "pending", "", admin.user.email, None),
        ("pending", "exported", message_id, admin.user.email, "test"),
    ]  # fmt: skip
    actions = list(
        AuditEvent.objects.filter(organization=admin.organization)
        .order_by("seq")
        .values_list("action", "details__document_id", "details__message_id")
    )
    assert actions[-3:] == [
        ("payment-slip-exported", slips[0].pk, message_id),
        ("payment-slip-exported", slips[1].pk, message_id),
        ("pain001-exported", None, message_id),
    ]


def test_exporting_a_slip_again_is_a_409_naming_the_earlier_export() -> None:
    # given a slip exported once, and a new one
    admin = admin_of()
    old, new = make_slip(admin), make_slip(admin, "s1_bill02")
    client = token_client(admin)
    first = etree.fromstring(_export(client, [old.pk]).content)
    step = DocumentStatusChange.objects.get(document=old, to_status="exported")
    events = AuditEvent.objects.count()
    # when
    response = _export(client, [new.pk, old.pk])
    # then
    assert response.status_code == 409
    when = date_format(timezone.localtime(step.at), "SHORT_DATETIME_FORMAT")
    assert response.json() == {
        "code": "slip-already-exported",
        "message": f"Payment slip #{old.pk} was already exported for payment in the file "
        f"{pain001_message_id(first)} by {admin.user.email} on {when}.",
    }
    new.refresh_from_db()
    assert new.status == "pending"
    assert AuditEvent.objects.count() == events


def test_allow_reexport_pays_again_and_records_the_second_file() -> None:
    # given
    admin = admin_of()
    slip = make_slip(admin)
    client = token_client(admin)
    first = pain001_message_id(etree.fromstring(_export(client, [slip.pk]).content))
    # when
    response = _export(client, [slip.pk], allow_reexport=True)
    # then
    assert response.status_code == 200
    second = pain001_message_id(etree.fromstring(response.content))
    steps = DocumentStatusChange.objects.filter(document=slip).order_by("at", "id")
    assert [(s.from_status, s.to_status, s.message_id) for s in steps] == [
        ("", "pending", ""),
        ("pending", "exported", first),
        ("exported", "exported", second),
    ]
    event = AuditEvent.objects.filter(organization=admin.organization).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.details["reexported"]) == ("pain001-exported", [slip.pk])


def test_a_processed_or_rejected_slip_is_not_paid() -> None:
    # given
    admin = admin_of()
    processed, rejected = make_slip(admin), make_slip(admin, "s1_bill02")
    client = token_client(admin)
    client.post(f"/api/v1/payment-slips/{processed.pk}/processed", content_type="application/json")
    client.post(
        f"/api/v1/payment-slips/{rejected.pk}/rejected",
        {"reason": "not ours"},
        content_type="application/json",
    )
    # when
    answers = [_export(client, [processed.pk]), _export(client, [rejected.pk])]
    # then
    assert [(r.status_code, r.json()["code"]) for r in answers] == [
        (409, "slip-already-processed"),
        (409, "slip-rejected"),
    ]


def test_the_pull_api_shows_exported_slips_apart_from_pending_ones() -> None:
    # given
    admin = admin_of()
    exported, pending = make_slip(admin), make_slip(admin, "s1_bill02")
    client = token_client(admin)
    _export(client, [exported.pk])
    # when
    lists = {
        status: [(s["id"], s["status"]) for s in client.get(SLIPS, query).json()["items"]]
        for status, query in [("default", {}), ("exported", {"status": "exported"}),
                              ("open", {"status": "open"})]
    }  # fmt: skip
    # then
    assert lists == {
        "default": [(pending.pk, "pending")],
        "exported": [(exported.pk, "exported")],
        "open": [(exported.pk, "exported"), (pending.pk, "pending")],
    }


def test_an_exported_slip_can_still_be_processed_or_rejected() -> None:
    # given
    admin = admin_of()
    one, two = make_slip(admin), make_slip(admin, "s1_bill02")
    client = token_client(admin)
    _export(client, [one.pk, two.pk])
    # when
    done = client.post(
        f"{SLIPS}/{one.pk}/processed", {"booking_reference": "B-7"}, content_type="application/json"
    )
    rejected = client.post(
        f"{SLIPS}/{two.pk}/rejected", {"reason": "paid twice"}, content_type="application/json"
    )
    # then
    assert (done.status_code, done.json()["status"], done.json()["booking_reference"]) == (
        200, "processed", "B-7",
    )  # fmt: skip
    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    steps = DocumentStatusChange.objects.filter(to_status__in=["processed", "rejected"])
    assert sorted(steps.values_list("document_id", "from_status", "to_status")) == [
        (one.pk, "exported", "processed"),
        (two.pk, "exported", "rejected"),
    ]


def test_the_openapi_documents_allow_reexport_and_its_409() -> None:
    # when
    schema = Client().get("/api/v1/openapi.json").json()
    # then
    body = schema["components"]["schemas"]["Pain001In"]
    assert body["properties"]["allow_reexport"]["default"] is False
    assert "slip-already-exported" in body["properties"]["allow_reexport"]["description"]
    assert "allow_reexport" not in body["required"]
    assert "409" in schema["paths"][URL]["post"]["responses"]
