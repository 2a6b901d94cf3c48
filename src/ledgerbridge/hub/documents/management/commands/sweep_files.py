"""``sweep_files``: delete the files that killed uploads left without a row.

Without options it sweeps now (one bounded run). ``--schedule`` is what ``ledgerbridge
worker`` runs on start: it enqueues the periodic sweep task unless one is waiting
already, so restarts and several workers do not multiply the schedule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ledgerbridge.hub.documents.services import orphan_files_sweep
from ledgerbridge.hub.documents.tasks import sweep_orphan_files

if TYPE_CHECKING:
    from argparse import ArgumentParser


class Command(BaseCommand):
    help = "Delete stored files that no document row names (left by killed uploads)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="enqueue the periodic sweep task unless one is already waiting",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["schedule"]:
            self.stdout.write(f"deleted {orphan_files_sweep()} orphan file(s)")
            return
        waiting = DBTaskResult.objects.filter(
            task_path=sweep_orphan_files.module_path, status=TaskResultStatus.READY
        )
        if not waiting.exists():
            sweep_orphan_files.enqueue()
