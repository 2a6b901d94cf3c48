"""Sending documents to the office, statuses flowing back, withdrawal and replacement."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.exchange.models import (
    ClientAssignment,
    ExchangeStatus,
    SentDocument,
    SentDocumentChange,
    SourceState,
)
from ledgerbridge.hub.exchange.selectors import DocumentFilters
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import (
    admin_of,
    make_link,
    make_membership,
    make_slip,
    make_slip_to,
    office_admin,
    qrbill_manifest,
    verified_user,
)

pytestmark = pytest.mark.django_db


def _status(sent: SentDocument, office: Any, status: str, **kw: Any) -> bool:
    return services.sent_document_set_status(
        sent=sent, office=office.organization, status=status, actor=office.user, ip=None, **kw
    )


def test_a_sent_document_is_a_snapshot_the_office_sees_under_its_category() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    slip = make_slip(client)
    # when
    sent, created = services.document_send(document=slip, link=link, actor=client.user, ip=None)
    # then
    assert created
    assert (sent.category, sent.file_id, sent.amount) == ("payment_slip", slip.file_id, slip.amount)
    tab = selectors.client_documents(
        office=office.organization, client=client.organization,
        filters=DocumentFilters(category="payment_slip"),
    )  # fmt: skip
    assert list(tab) == [sent]
    link.refresh_from_db()
    assert (link.count_new, link.count_waiting) == (1, 0)
    # and a later change of the document does not change what was sent
    slip.data = {"changed": True}
    slip.save()
    sent.refresh_from_db()
    assert sent.data != {"changed": True}


def test_sending_the_same_document_twice_is_one_sending() -> None:
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    slip = make_slip(client)
    first, _ = services.document_send(document=slip, link=link, actor=client.user, ip=None)
    second, created = services.document_send(document=slip, link=link, actor=client.user, ip=None)
    assert (second, created) == (first, False)
    assert SentDocument.objects.count() == 1


def test_a_category_the_link_does_not_share_does_not_cross() -> None:
    office, client = office_admin(), admin_of()
    link = make_link(office, client, categories=["bank_statement"])
    slip = make_slip(client)
    with pytest.raises(ServiceError) as caught:
        services.document_send(document=slip, link=link, actor=client.user, ip=None)
    assert caught.value.code == ErrorCode.CATEGORY_NOT_SHARED
    assert SentDocument.objects.count() == 0


def test_nothing_crosses_a_revoked_link_but_what_was_sent_stays_readable() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    sent, _ = services.document_send(
        document=make_slip(client), link=link, actor=client.user, ip=None
    )
    services.client_link_revoke(
        link=link, organization=office.organization, actor=office.user, ip=None
    )
    # when / then
    with pytest.raises(ServiceError) as caught:
        services.document_send(
            document=make_slip(client, "s1_bill02"), link=link, actor=client.user, ip=None
        )
    assert caught.value.code == ErrorCode.LINK_REVOKED
    assert list(
        selectors.client_documents(office=office.organization, client=client.organization)
    ) == [sent]
    with pytest.raises(ServiceError) as caught:
        _status(sent, office, ExchangeStatus.BOOKED, reference="B-1")
    assert caught.value.code == ErrorCode.LINK_REVOKED


def test_statuses_flow_back_and_the_same_status_twice_is_one_change() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    sent, _ = services.document_send(
        document=make_slip(client), link=link, actor=client.user, ip=None
    )
    # when
    assert (
        services.sent_documents_mark_received(
            office=office.organization, sent_ids=[sent.pk], actor=office.user, ip=None
        )
        == 1
    )
    assert _status(sent, office, ExchangeStatus.BOOKED, reference="FIBU-2026-0042")
    assert not _status(sent, office, ExchangeStatus.BOOKED, reference="FIBU-2026-0042")
    # then
    (view,) = selectors.document_sendings(organization=client.organization, document=sent.document)
    assert (view.status, view.reference) == ("booked", "FIBU-2026-0042")
    assert view.status_by == office.user
    assert [c.step for c in view.changes.all()] == ["sent", "received", "booked"]


def test_a_rejection_needs_a_reason_and_reaches_the_client_in_a_digest() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    sent, _ = services.document_send(
        document=make_slip(client), link=link, actor=client.user, ip=None
    )
    mail.outbox.clear()
    # when / then
    with pytest.raises(ServiceError) as caught:
        _status(sent, office, ExchangeStatus.REJECTED)
    assert caught.value.code == ErrorCode.REASON_REQUIRED
    _status(sent, office, ExchangeStatus.REJECTED, reason="Amount differs from the delivery note")
    (digest,) = mail.outbox
    assert digest.to == [client.user.email]
    assert "Amount differs from the delivery note" in digest.body
    assert not SentDocument.objects.filter(digest_pending=True).exists()


def test_received_never_follows_booked() -> None:
    office, client = office_admin(), admin_of()
    sent, _ = services.document_send(
        document=make_slip(client), link=make_link(office, client), actor=client.user, ip=None
    )
    _status(sent, office, ExchangeStatus.BOOKED, reference="B-1")
    with pytest.raises(ServiceError) as caught:
        _status(sent, office, ExchangeStatus.RECEIVED)
    assert caught.value.code == ErrorCode.STATUS_TRANSITION_INVALID


def test_withdrawing_a_booked_document_flags_it_for_the_office() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    sent, _ = services.document_send(
        document=make_slip(client), link=link, actor=client.user, ip=None
    )
    _status(sent, office, ExchangeStatus.BOOKED, reference="B-7")
    # when
    services.document_withdraw(document=sent.document, actor=client.user, ip=None)
    # then
    sent.refresh_from_db()
    assert (sent.source_state, sent.needs_attention) == (SourceState.WITHDRAWN, True)
    with pytest.raises(ServiceError) as caught:
        _status(sent, office, ExchangeStatus.BOOKED, reference="B-8")
    assert caught.value.code == ErrorCode.DOCUMENT_WITHDRAWN
    # the office acts on it (a reversal, recorded as a rejection) and the flag goes
    _status(sent, office, ExchangeStatus.REJECTED, reason="Reversed: withdrawn by the client")
    sent.refresh_from_db()
    assert not sent.needs_attention


def test_replacing_a_sent_document_sends_the_new_version_linked_from_the_old() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    old = make_slip_to(client, creditor="Muster AG", amount="100.00")
    sent, _ = services.document_send(document=old, link=link, actor=client.user, ip=None)
    _status(sent, office, ExchangeStatus.BOOKED, reference="B-9")
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == "s1_bill01")
    lines = entry["expected_payload"].split("\r\n")
    lines[5], lines[18] = "Muster AG", "110.00"
    # when
    replacement = services.document_replace(
        document=old, data="\r\n".join(lines).encode(), filename="corrected.txt",
        source="upload", actor=client.user, ip=None,
    )  # fmt: skip
    # then
    sent.refresh_from_db()
    (new,) = replacement.sendings
    assert (sent.source_state, sent.replaced_by, sent.needs_attention) == (
        SourceState.REPLACED, new, True,
    )  # fmt: skip
    assert (new.version, str(new.amount), new.status) == (2, "110.00", "sent")


def test_replacing_with_the_same_file_is_refused_and_changes_nothing() -> None:
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == "s1_bill01")
    slip = make_slip(client)
    services.document_send(document=slip, link=link, actor=client.user, ip=None)
    before = list(SentDocumentChange.objects.values_list("id", flat=True))
    with pytest.raises(ServiceError) as caught:
        services.document_replace(
            document=slip, data=entry["expected_payload"].encode(), filename="s1_bill01.txt",
            source="upload", actor=client.user, ip=None,
        )  # fmt: skip
    assert caught.value.code == ErrorCode.REPLACEMENT_SAME_FILE
    assert list(SentDocumentChange.objects.values_list("id", flat=True)) == before


def test_a_rule_sends_what_was_read_automatically() -> None:
    # given
    office, client = office_admin(), admin_of()
    link = make_link(office, client)
    services.client_link_update(
        link=link, organization=client.organization, actor=client.user,
        auto_send=["payment_slip"], ip=None,
    )  # fmt: skip
    # when
    slip = make_slip(client)
    # then
    sent = SentDocument.objects.get(document=slip)
    assert (sent.automatic, sent.sent_by) == (True, None)


def test_an_accountant_sees_only_assigned_clients() -> None:
    # given
    office = office_admin()
    first, second = admin_of(), admin_of()
    make_link(office, first)
    make_link(office, second)
    accountant = make_membership(
        organization=office.organization, user=verified_user(), role=Role.ACCOUNTANT,
        permissions=["documents.view"],
    )  # fmt: skip
    # when
    services.client_assign(
        office=office.organization, client=second.organization, user=accountant.user,
        actor=office.user, ip=None,
    )  # fmt: skip
    # then
    mine = selectors.office_clients(office=office.organization, membership=accountant)
    everyone = selectors.office_clients(office=office.organization, membership=office)
    assert [link.client for link in mine] == [second.organization]
    assert {link.client for link in everyone} == {first.organization, second.organization}
    assert ClientAssignment.objects.count() == 1


def test_a_rejection_queues_the_digest_for_later_with_the_rejection(settings: Any) -> None:
    # given the database task backend (the outbox) and a sent document
    office, client = office_admin(), admin_of()
    sent, _ = services.document_send(
        document=make_slip(client), link=make_link(office, client), actor=client.user, ip=None
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # when the office rejects it
    before = timezone.now()
    _status(sent, office, ExchangeStatus.REJECTED, reason="Wrong company")
    # then the digest waits in the task table, due DIGEST_DELAY later, and nothing is mailed yet
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="send_rejection_digest")
    assert queued.run_after is not None
    assert queued.run_after >= before + services.DIGEST_DELAY
    assert not [m for m in mail.outbox if "Wrong company" in m.body]
