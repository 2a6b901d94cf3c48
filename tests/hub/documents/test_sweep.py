"""The sweep of orphan files: old files without a row go, fresh ones and claimed ones stay."""

from __future__ import annotations

import hashlib
import os
import time
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ledgerbridge.hub.documents.models import StoredFile
from ledgerbridge.hub.documents.services import _sweep, orphan_files_sweep
from ledgerbridge.hub.documents.tasks import sweep_orphan_files
from tests.hub.factories import admin_of, ingest, qrbill_file
from tests.hub.helpers import storage_files

if TYPE_CHECKING:
    from pathlib import Path

    from ledgerbridge.hub.identity.models import Membership

pytestmark = pytest.mark.django_db

TWO_HOURS = 2 * 3600


def _orphan(
    media: Path, member: Membership, data: bytes, *, age: float, cut_at: int | None = None
) -> Path:
    """A file as a killed upload leaves it: where the ingest writes it, with no row."""
    sha = hashlib.sha256(data).hexdigest()
    path = media / "files" / str(member.organization.pk) / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[:cut_at])
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_the_sweep_deletes_old_orphans_and_keeps_fresh_and_stored_files(media: Path) -> None:
    # given: an old orphan, a fresh orphan, and an old file that a document names
    member = admin_of()
    old = _orphan(media, member, b"old orphan", age=TWO_HOURS)
    fresh = _orphan(media, member, b"fresh orphan", age=60)
    stored = ingest(member, qrbill_file()[0]).documents[0].file
    stored_path = media / stored.storage_name
    os.utime(stored_path, (time.time() - TWO_HOURS,) * 2)
    # when
    deleted = orphan_files_sweep()
    # then
    assert deleted == 1
    assert storage_files(media) == sorted([fresh, stored_path])
    assert not old.exists()


def test_a_file_uploaded_while_the_sweep_runs_survives(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: an old orphan of a bill, and an upload of the same bill that lands after the
    # sweep has listed the orphan and before it takes the lock
    member = admin_of()
    data = qrbill_file()[0]
    path = _orphan(media, member, data, age=TWO_HOURS, cut_at=1000)  # cut short by the kill
    real_lock = _sweep._lock_usage
    uploaded = []

    def upload_then_lock(organization_id: int) -> bool:
        uploaded.append(ingest(member, data))
        return real_lock(organization_id)

    monkeypatch.setattr(_sweep, "_lock_usage", upload_then_lock)
    # when
    deleted = orphan_files_sweep()
    # then
    assert deleted == 0
    assert [r.created for r in uploaded] == [True]
    assert StoredFile.objects.get().storage_name == str(path.relative_to(media))
    assert path.read_bytes() == data


def test_the_sweep_task_runs_the_sweep(media: Path) -> None:
    # given
    member = admin_of()
    old = _orphan(media, member, b"old orphan", age=TWO_HOURS)
    # when
    result = sweep_orphan_files.enqueue()
    # then
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    assert not old.exists()


def test_the_worker_start_schedules_one_sweep_however_often_it_starts(settings: Any) -> None:
    # given: the database task backend, as ``ledgerbridge worker`` runs it
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # when
    call_command("sweep_files", "--schedule")
    call_command("sweep_files", "--schedule")
    # then
    waiting = DBTaskResult.objects.filter(task_path=sweep_orphan_files.module_path)
    assert list(waiting.values_list("status", flat=True)) == [TaskResultStatus.READY]
