"""``requeue_outbox``: enqueue again the outbox work that a killed worker left behind.

django-tasks marks a task RUNNING when a worker takes it and never runs it again if that
worker dies (SIGKILL, power loss). ``ledgerbridge worker`` runs this first: every
invitation whose current link has not been mailed gets its mail task again. Sending is
idempotent, so a task that is in fact still queued or running elsewhere costs nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ledgerbridge.hub.identity.services import invitation_mail_requeue


class Command(BaseCommand):
    help = "Enqueue again the invitation mails that no worker has sent yet."

    def handle(self, *args: Any, **options: Any) -> None:
        enqueued = invitation_mail_requeue()
        if enqueued:
            self.stdout.write(f"re-enqueued {enqueued} invitation mail(s) not yet sent")
