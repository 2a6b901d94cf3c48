"""Background tasks of the documents domain: the periodic sweep of orphan files.

django-tasks has no schedule, so the sweep keeps its own: each run enqueues the next one
:data:`SWEEP_EVERY` later (on a backend that can defer), and ``ledgerbridge worker``
enqueues one on start unless one is waiting already (``sweep_files --schedule``), which
also restarts the chain after a worker was killed mid-run. The sweep is idempotent and
bounded per run (:func:`ledgerbridge.hub.documents.services.orphan_files_sweep`).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from ledgerbridge.hub.documents.services import orphan_files_sweep

__all__ = ["SWEEP_EVERY", "sweep_orphan_files"]

SWEEP_EVERY = timedelta(hours=1)


@task()
def sweep_orphan_files() -> int:
    """Delete the orphan files of killed uploads (a bounded batch); how many went."""
    try:
        return orphan_files_sweep()
    finally:
        # the next run also after a failed one: a passing storage error must not end it
        again = sweep_orphan_files
        if again.get_backend().supports_defer:
            again.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()
