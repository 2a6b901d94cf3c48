"""Background tasks of the exchange: the link request's e-mail and the rejection digest.

Each takes IDs, calls one idempotent service and retries only passing SMTP trouble.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from ledgerbridge.hub.exchange.services import client_link_mail_send, rejection_digest_send

__all__ = ["send_link_mail", "send_rejection_digest"]

MAX_ATTEMPTS = 6
RETRYABLE: tuple[type[BaseException], ...] = (
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
)


def _later(attempt: int) -> timedelta:
    return timedelta(seconds=30 * 2 ** (attempt - 1))


@task()
def send_link_mail(link_id: int, attempt: int = 1) -> bool:
    """Mail a link's request (to the other side's admins, or an invitation) once."""
    try:
        return client_link_mail_send(link_id=link_id)
    except RETRYABLE:
        if attempt >= MAX_ATTEMPTS or not send_link_mail.get_backend().supports_defer:
            raise
        send_link_mail.using(run_after=timezone.now() + _later(attempt)).enqueue(
            link_id=link_id, attempt=attempt + 1
        )
        return False


@task()
def send_rejection_digest(organization_id: int, attempt: int = 1) -> int:
    """Mail the client one digest of its documents rejected since the last one."""
    try:
        return rejection_digest_send(organization_id=organization_id)
    except RETRYABLE:
        if attempt >= MAX_ATTEMPTS or not send_rejection_digest.get_backend().supports_defer:
            raise
        send_rejection_digest.using(run_after=timezone.now() + _later(attempt)).enqueue(
            organization_id=organization_id, attempt=attempt + 1
        )
        return 0
