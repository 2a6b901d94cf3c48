"""Background tasks of the identity domain: the invitation e-mail (the outbox's consumer).

A task takes IDs only (its row holds no token, no address), calls one service and is
idempotent: :func:`ledgerbridge.hub.identity.services.invitation_mail_send`
mails a link at most once per ``sent_count`` and skips revoked, accepted, expired or
resent invitations. Only errors known to be passing (the SMTP server unreachable or
hanging up) are retried, by enqueueing the task again a little later; anything else
fails the task, and its row keeps the traceback.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from ledgerbridge.hub.identity.services import invitation_mail_send

__all__ = ["MAX_ATTEMPTS", "RETRYABLE", "retry_delay", "send_invitation_mail"]

MAX_ATTEMPTS = 6
# Connection-level trouble only: a refused recipient or a bad login will not go away.
RETRYABLE: tuple[type[BaseException], ...] = (
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
)


def retry_delay(attempt: int) -> timedelta:
    """Back off 30 s, 1, 2, 4, 8 minutes between attempts.

    >>> [int(retry_delay(n).total_seconds()) for n in (1, 2, 5)]
    [30, 60, 480]
    """
    return timedelta(seconds=30 * 2 ** (attempt - 1))


@task()
def send_invitation_mail(invitation_id: int, sent_count: int, attempt: int = 1) -> bool:
    """Mail link ``sent_count`` of the invitation; True when a mail went out now."""
    try:
        return invitation_mail_send(invitation_id=invitation_id, sent_count=sent_count)
    except RETRYABLE:
        if attempt >= MAX_ATTEMPTS:
            raise
        again = send_invitation_mail
        if again.get_backend().supports_defer:
            again = again.using(run_after=timezone.now() + retry_delay(attempt))
        again.enqueue(invitation_id=invitation_id, sent_count=sent_count, attempt=attempt + 1)
        return False
