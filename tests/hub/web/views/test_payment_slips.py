"""The pending payment slips: live table, process, reject, pain.001 export."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from ledgerbridge.hub.documents import services
from ledgerbridge.hub.documents.models import Document, DocumentStatusChange
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import DEBTOR_IBAN, admin_of, make_membership, make_slip
from tests.hub.helpers import (
    PAIN001_NS,
    client_for,
    pain001_amounts,
    pain001_message_id,
    pain001_schema,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _rows(client: Any, **params: str) -> Any:
    return client.get(reverse("web:payment_slip_rows"), params)


def test_pages_need_their_permission() -> None:
    # given an "app" member (upload only) and an employee (view, no processing)
    app = client_for(make_membership(role=Role.APP))
    employee_membership = make_membership(role=Role.EMPLOYEE)
    slip = make_slip(employee_membership)
    employee = client_for(employee_membership)
    # when
    listing = app.get(reverse("web:payment_slip_list"))
    rows = _rows(app)
    actions = [
        employee.post(reverse(name), {"ids": [slip.pk], "reason": "no"})
        for name in ("web:payment_slip_process", "web:payment_slip_reject")
    ]
    export = employee.post(reverse("web:payment_slip_export"), {"ids": [slip.pk]})
    # then
    assert [r.status_code for r in (listing, rows, *actions, export)] == [403] * 5
    assert Document.objects.get().status == "pending"


def test_list_shows_the_pending_slips_of_the_own_organization_only() -> None:
    # given
    member = admin_of()
    first, second = make_slip(member, "s1_bill01"), make_slip(member, "s1_bill02")
    services.payment_slip_reject(document=make_slip(member, "s1_bill04"), actor=None, reason="no")
    make_slip(admin_of(), "s1_bill05")
    client = client_for(member)
    url = reverse("web:payment_slip_list")
    # when
    everything = client.get(url).context["slips"]
    euros = client.get(url, {"currency": "EUR"}).context["slips"]
    by_amount = client.get(url, {"sort": "amount"}).context["slips"]
    searched = client.get(url, {"q": second.creditor_name.split()[0]}).context["slips"]
    # then
    assert [s.pk for s in everything] == [first.pk, second.pk]
    assert [s.pk for s in euros] == [first.pk]
    assert [s.pk for s in by_amount] == [second.pk, first.pk]
    assert second.pk in [s.pk for s in searched]


def test_polling_answers_unchanged_cheaply_and_new_rows_when_changed() -> None:
    # given the table as the page shows it
    member = admin_of()
    make_slip(member)
    client = client_for(member)
    shown = client.get(reverse("web:payment_slip_list")).context["version"]
    # when nothing changed
    with CaptureQueriesContext(connection) as queries:
        unchanged = _rows(client, v=shown)
    # then: 204, nothing to swap, a single query on the documents table
    document_queries = [q for q in queries if "documents_document" in q["sql"]]
    assert (unchanged.status_code, unchanged["HX-Reswap"], unchanged.content) == (204, "none", b"")
    assert len(document_queries) == 1
    # when a new slip arrives
    new = make_slip(member, "s1_bill02")
    changed = _rows(client, v=shown)
    # then the new rows come with the new version to poll with
    html = changed.content.decode()
    version = re.search(r'data-version="([^"]+)"', html)
    assert changed.status_code == 200
    assert f'id="slip-{new.pk}"' in html
    assert version is not None
    assert version[1] != shown
    assert f"v={version[1]}" in html


def test_processing_ticked_slips_records_the_booking_reference() -> None:
    # given
    member = admin_of()
    first, second, untouched = (
        make_slip(member, b) for b in ("s1_bill01", "s1_bill02", "s1_bill04")
    )
    client = client_for(member)
    # when
    response = client.post(
        reverse("web:payment_slip_process"),
        {"ids": [first.pk, second.pk], "booking_reference": "FIBU-77", "query": "currency=CHF"},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:payment_slip_list") + "?currency=CHF"
    states = dict(Document.objects.values_list("pk", "status"))
    assert states == {first.pk: "processed", second.pk: "processed", untouched.pk: "pending"}
    assert Document.objects.get(pk=first.pk).booking_reference == "FIBU-77"
    change = DocumentStatusChange.objects.filter(document=first).last()
    assert change is not None
    assert (change.to_status, change.actor) == ("processed", member.user)


def test_rejecting_needs_a_reason_and_changes_nothing_without_one() -> None:
    # given
    member = admin_of()
    slip = make_slip(member)
    client = client_for(member)
    # when
    refused = client.post(reverse("web:payment_slip_reject"), {"ids": [slip.pk], "reason": " "})
    accepted = client.post(
        reverse("web:payment_slip_reject"),
        {"ids": [slip.pk], "reason": "Paid in cash"},
        follow=True,
    )
    # then
    assert refused.status_code == 302
    slip.refresh_from_db()
    assert (slip.status, slip.status_reason) == ("rejected", "Paid in cash")
    texts = [str(m) for m in accepted.context["messages"]]
    assert texts == ["Say why the payment slip is rejected.", "1 payment slip rejected."]


def test_a_conflict_on_one_slip_leaves_all_untouched() -> None:
    # given one pending and one rejected slip
    member = admin_of()
    pending = make_slip(member)
    rejected = make_slip(member, "s1_bill02")
    services.payment_slip_reject(document=rejected, actor=member.user, reason="wrong")
    # when both are marked processed
    response = client_for(member).post(
        reverse("web:payment_slip_process"), {"ids": [pending.pk, rejected.pk]}, follow=True
    )
    # then
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert [str(m) for m in response.context["messages"]] == [
        "This payment slip was rejected; it cannot be processed."
    ]


def test_a_foreign_or_malformed_id_changes_nothing() -> None:
    # given
    member = admin_of()
    own = make_slip(member)
    foreign = make_slip(admin_of(), "s1_bill02")
    client = client_for(member)
    # when
    mixed = client.post(reverse("web:payment_slip_process"), {"ids": [own.pk, foreign.pk]})
    malformed = client.post(reverse("web:payment_slip_process"), {"ids": ["1; DROP"]})
    # then
    assert (mixed.status_code, malformed.status_code) == (404, 400)
    assert set(Document.objects.values_list("status", flat=True)) == {"pending"}


def test_export_writes_a_valid_pain001_with_every_ticked_slip() -> None:
    # given QRR, SCOR and NON slips in CHF and EUR
    member = admin_of()
    slips = [make_slip(member, b) for b in ("s1_bill01", "s1_bill02", "s1_bill06")]
    client = client_for(member)
    # when
    response = client.post(
        reverse("web:payment_slip_export"),
        {
            "ids": [s.pk for s in slips],
            "debtor_name": "Acme AG",
            "debtor_iban": DEBTOR_IBAN,
            "execution_date": "2026-12-01",
        },
    )
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="pain001-')
    root = etree.fromstring(response.content)
    amounts = pain001_amounts(root)
    assert amounts == {f"LB-{s.pk}": s.amount for s in slips}
    assert {d.text for d in root.iter(f"{PAIN001_NS}Dt")} == {date(2026, 12, 1).isoformat()}
    schema = pain001_schema()
    if schema is not None:  # the XSD comes with the dev extra's sepaxml
        assert schema.validate(root), schema.error_log
    # and the debtor is remembered for the next export
    page = client.get(reverse("web:payment_slip_list"))
    assert page.context["pain001_form"].initial["debtor_iban"] == DEBTOR_IBAN


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"debtor_iban": "CH00 1234"}, "debtor_iban", "The IBAN is not valid."),
        ({"debtor_name": ""}, "debtor_name", "This field is required."),
        ({"ids": []}, "__all__", "Tick the payment slips to pay."),
    ],
)
def test_export_with_bad_input_says_what_is_wrong(
    fields: dict[str, Any], field: str, error: str
) -> None:
    # given
    member = admin_of()
    slip = make_slip(member)
    data = {
        "ids": [slip.pk],
        "debtor_name": "Acme AG",
        "debtor_iban": DEBTOR_IBAN,
        "execution_date": "2026-12-01",
        **fields,
    }
    # when
    response = client_for(member).post(reverse("web:payment_slip_export"), data)
    # then
    assert response.status_code == 422
    assert any(error in message for message in response.context["pain001_form"].errors[field])


def test_export_refuses_a_slip_without_amount() -> None:
    # given a QR-bill with an open amount
    member = admin_of()
    open_amount = make_slip(member, "s1_bill03")
    # when
    response = client_for(member).post(
        reverse("web:payment_slip_export"),
        {
            "ids": [open_amount.pk],
            "debtor_name": "Acme AG",
            "debtor_iban": DEBTOR_IBAN,
            "execution_date": "2026-12-01",
        },
    )
    # then
    assert response.status_code == 422
    assert response.context["pain001_form"].errors["__all__"] == [
        f"Payment slip #{open_amount.pk} has no amount."
    ]
    assert response.context["selected"] == frozenset({open_amount.pk})


def _export(client: Any, ids: list[int], **fields: str) -> Any:
    body = {
        "ids": ids,
        "debtor_name": "Acme AG",
        "debtor_iban": DEBTOR_IBAN,
        "execution_date": "2026-12-01",
        **fields,
    }
    return client.post(reverse("web:payment_slip_export"), body)


def test_an_exported_slip_leaves_the_pending_list_and_shows_under_its_filter() -> None:
    # given
    member = admin_of()
    exported, pending = make_slip(member), make_slip(member, "s1_bill02")
    client = client_for(member)
    response = _export(client, [exported.pk])
    message_id = pain001_message_id(etree.fromstring(response.content))
    url = reverse("web:payment_slip_list")
    # when
    default = client.get(url)
    only_exported = client.get(url, {"status": "exported"})
    both = client.get(url, {"status": "open"})
    # then
    assert [s.pk for s in default.context["slips"]] == [pending.pk]
    assert [s.pk for s in only_exported.context["slips"]] == [exported.pk]
    assert [s.pk for s in both.context["slips"]] == [exported.pk, pending.pk]
    row = re.search(rf'<tr id="slip-{exported.pk}">.*?</tr>', only_exported.content.decode(), re.S)
    assert row is not None
    assert '<span class="badge exported"' in row[0]
    assert message_id in row[0]
    assert "1 slip exported for payment" in only_exported.content.decode()


def test_the_export_is_in_the_slips_history_with_the_file_who_and_when() -> None:
    # given
    member = admin_of()
    slip = make_slip(member)
    client = client_for(member)
    # when
    response = _export(client, [slip.pk])
    # then
    message_id = pain001_message_id(etree.fromstring(response.content))
    step = DocumentStatusChange.objects.filter(document=slip).order_by("at", "id").last()
    assert step is not None
    assert (step.from_status, step.to_status, step.message_id, step.actor) == (
        "pending", "exported", message_id, member.user,
    )  # fmt: skip
    detail = client.get(reverse("web:document_detail", kwargs={"document_id": slip.pk}))
    assert f"Payment file (pain.001) {message_id}" in detail.content.decode()
    assert '<span class="badge exported">Exported for payment</span>' in detail.content.decode()


def test_exporting_a_slip_again_asks_first_naming_the_earlier_export() -> None:
    # given a slip exported once and a new one
    member = admin_of()
    old, new = make_slip(member), make_slip(member, "s1_bill02")
    client = client_for(member)
    first = pain001_message_id(etree.fromstring(_export(client, [old.pk]).content))
    # when
    response = _export(client, [new.pk, old.pk])
    # then nothing is exported yet: a warning lists the earlier export
    assert response.status_code == 409
    assert response.templates[0].name == "web/payment_slips/confirm_export.html"
    page = response.content.decode()
    row = re.search(rf'<tr id="reexport-{old.pk}">.*?</tr>', page, re.S)
    assert row is not None
    assert first in row[0]
    assert member.user.get_full_name() in row[0]
    assert f'id="reexport-{new.pk}"' not in page
    assert Document.objects.get(pk=new.pk).status == "pending"
    # and confirming downloads the order with both slips
    again = _export(client, [new.pk, old.pk], allow_reexport="1")
    assert again.status_code == 200
    assert set(pain001_amounts(etree.fromstring(again.content))) == {f"LB-{new.pk}", f"LB-{old.pk}"}
    assert Document.objects.get(pk=new.pk).status == "exported"


def test_an_exported_slip_can_still_be_processed_or_rejected_in_the_list() -> None:
    # given
    member = admin_of()
    one, two = make_slip(member), make_slip(member, "s1_bill02")
    client = client_for(member)
    _export(client, [one.pk, two.pk])
    # when
    client.post(reverse("web:payment_slip_process"), {"ids": [one.pk], "booking_reference": ""})
    client.post(reverse("web:payment_slip_reject"), {"ids": [two.pk], "reason": "paid by hand"})
    # then
    assert dict(Document.objects.values_list("pk", "status")) == {
        one.pk: "processed",
        two.pk: "rejected",
    }
    steps = DocumentStatusChange.objects.filter(to_status__in=["processed", "rejected"])
    assert sorted(steps.values_list("document_id", "from_status", "to_status")) == [
        (one.pk, "exported", "processed"),
        (two.pk, "exported", "rejected"),
    ]


@pytest.mark.parametrize("language", ["de", "fr", "pl"])
def test_every_date_input_holds_an_iso_value_in_every_language(language: str) -> None:
    # given
    member = admin_of()
    make_slip(member)
    member.user.language = language
    member.user.save(update_fields=["language"])
    client = client_for(member)
    pages = [
        (reverse("web:payment_slip_list"), {}),
        (reverse("web:document_list"), {"since": "2026-12-01", "until": "2026-12-31"}),
        (reverse("web:audit_list"), {"since": "2026-12-01", "until": "2026-12-31"}),
    ]
    # when
    inputs = [
        tag
        for url, query in pages
        for tag in re.findall(r'<input type="date"[^>]*>', client.get(url, query).content.decode())
    ]
    # then
    values = [re.search(r'value="([^"]*)"', tag) for tag in inputs]
    assert len(inputs) == 5
    assert all(v is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v[1]) for v in values), inputs
