"""The invitation e-mail as an outbox: the task row lives and dies with the invitation.

These tests use django-tasks' database backend (the production one) instead of the
immediate backend of the rest of the suite, so the task rows can be counted and run by
hand, as ``ledgerbridge worker`` would, twice when a retry or a duplicate happens.
"""

from __future__ import annotations

import contextlib
import smtplib
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Invitation
from ledgerbridge.hub.identity.services import invitation_mail_requeue, invitation_token
from ledgerbridge.hub.identity.tasks import send_invitation_mail
from tests.hub.factories import admin_of, make_invitation

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from contextlib import AbstractContextManager

    from django.core.mail.message import EmailMessage

    from ledgerbridge.hub.identity.models import Membership

pytestmark = pytest.mark.django_db

TASK_PATH = "ledgerbridge.hub.identity.tasks.send_invitation_mail"


@pytest.fixture(autouse=True)
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class _Rollback(Exception):
    pass


class RefusingBackend(BaseEmailBackend):
    """A mail server that fails with the exception named in ``RefusingBackend.error``."""

    error: BaseException = smtplib.SMTPConnectError(421, b"try later")

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise RefusingBackend.error


def _invite_then_fail(admin: Membership) -> None:
    """Invite inside an outer transaction that then rolls back."""
    with contextlib.suppress(_Rollback), transaction.atomic():
        make_invitation(admin)
        raise _Rollback


def _run(row: DBTaskResult[Any, Any]) -> Any:
    """Run a task row's function with its stored arguments, as the worker does."""
    result = row.task_result
    return row.task.call(*result.args, **result.kwargs)


def test_rolled_back_invitation_leaves_no_task_and_no_mail(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[list[Any]]],
) -> None:
    # given
    admin = admin_of()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _invite_then_fail(admin)
    # then
    assert (Invitation.objects.count(), DBTaskResult.objects.count()) == (0, 0)
    assert mail.outbox == []


def test_committed_invitation_leaves_one_task_row_with_ids_only(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[list[Any]]],
) -> None:
    # given
    admin = admin_of()
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation, raw = make_invitation(admin)
    # then
    (row,) = DBTaskResult.objects.all()
    assert (row.task_path, row.status) == (TASK_PATH, "READY")
    assert row.args_kwargs == {
        "args": [],
        "kwargs": {"invitation_id": invitation.pk, "sent_count": 1},
    }
    assert raw not in str(row.args_kwargs)
    assert (callbacks, mail.outbox) == ([], [])


def test_running_the_task_twice_mails_once() -> None:
    # given
    admin = admin_of()
    invitation, raw = make_invitation(admin)
    row = DBTaskResult.objects.get()
    # when
    first, second = _run(row), _run(row)
    # then
    assert (first, second) == (True, False)
    (message,) = mail.outbox
    assert f"/invite/{raw}" in message.body
    invitation.refresh_from_db()
    assert invitation.mailed_count == 1
    assert invitation.sent_at is not None


def test_token_is_derived_from_id_and_count() -> None:
    # given
    admin = admin_of()
    # when
    invitation, raw = make_invitation(admin)
    # then
    assert raw == invitation_token(invitation.pk, 1)
    assert raw != invitation_token(invitation.pk, 2)


def test_resend_outdates_the_pending_task_of_the_old_link() -> None:
    # given
    admin = admin_of()
    invitation, old = make_invitation(admin)
    new = services.invitation_resend(invitation=invitation, actor=admin.user, ip=None)
    # when
    results = [_run(row) for row in DBTaskResult.objects.order_by("enqueued_at", "id")]
    # then
    assert results == [False, True]
    (message,) = mail.outbox
    assert f"/invite/{new}" in message.body
    assert old not in message.body


@pytest.mark.parametrize("close", ["revoke", "accept"])
def test_a_closed_invitation_is_not_mailed(close: str) -> None:
    # given
    admin = admin_of()
    invitation, _raw = make_invitation(admin)
    row = DBTaskResult.objects.get()
    if close == "revoke":
        services.invitation_revoke(invitation=invitation, actor=admin.user, ip=None)
    else:
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=invitation.created_at)
    # when
    sent = _run(row)
    # then
    assert sent is False
    assert mail.outbox == []


def test_unreachable_mail_server_is_retried_later(settings: Any) -> None:
    # given
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.error = smtplib.SMTPConnectError(421, b"try later")
    admin = admin_of()
    invitation, _raw = make_invitation(admin)
    row = DBTaskResult.objects.get()
    # when
    sent = _run(row)
    # then
    assert sent is False
    retry = DBTaskResult.objects.exclude(pk=row.pk).get()
    assert retry.args_kwargs["kwargs"] == {
        "invitation_id": invitation.pk,
        "sent_count": 1,
        "attempt": 2,
    }
    assert retry.run_after is not None
    invitation.refresh_from_db()
    assert (invitation.mailed_count, invitation.sent_at) == (0, None)


def test_a_refused_recipient_fails_without_retry(settings: Any) -> None:
    # given
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.error = smtplib.SMTPRecipientsRefused({"new@example.test": (550, b"no")})
    admin = admin_of()
    make_invitation(admin)
    row = DBTaskResult.objects.get()
    # when
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _run(row)
    # then
    assert DBTaskResult.objects.count() == 1


def test_the_last_attempt_gives_up(settings: Any) -> None:
    # given
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.error = smtplib.SMTPServerDisconnected("gone")
    admin = admin_of()
    invitation, _raw = make_invitation(admin)
    # when
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_invitation_mail.call(invitation_id=invitation.pk, sent_count=1, attempt=6)
    # then
    assert DBTaskResult.objects.count() == 1


def test_requeue_enqueues_only_the_links_not_mailed_yet() -> None:
    # given
    admin = admin_of()
    mailed, _raw = make_invitation(admin, email="mailed@example.test")
    make_invitation(admin, email="pending@example.test")
    revoked, _raw = make_invitation(admin, email="revoked@example.test")
    services.invitation_revoke(invitation=revoked, actor=admin.user, ip=None)
    _run(DBTaskResult.objects.get(args_kwargs__kwargs__invitation_id=mailed.pk))
    DBTaskResult.objects.all().delete()  # as if the worker died holding them
    # when
    enqueued = invitation_mail_requeue()
    results = [_run(row) for row in DBTaskResult.objects.all()]
    # then
    assert (enqueued, results) == (1, [True])
    assert [m.to for m in mail.outbox] == [["mailed@example.test"], ["pending@example.test"]]


def test_the_requeue_command_enqueues_the_mails_a_dead_worker_left() -> None:
    # given an invitation whose mail task was taken by a worker that then died
    invitation, _raw = make_invitation(admin_of())
    DBTaskResult.objects.update(status="RUNNING")
    # when the next worker starts (ledgerbridge worker runs this first)
    call_command("requeue_outbox")
    # then a fresh task is queued, and running it mails the invitation once
    ready = DBTaskResult.objects.filter(status="READY")
    assert ready.count() == 1
    send_invitation_mail.call(invitation_id=invitation.pk, sent_count=invitation.sent_count)
    assert [m.to for m in mail.outbox] == [["new@example.test"]]
