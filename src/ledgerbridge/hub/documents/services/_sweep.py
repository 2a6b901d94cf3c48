"""``orphan_files_sweep``: delete stored files that no row names (left by a killed upload).

An upload writes its file after inserting the :class:`StoredFile` row, in one transaction
that holds the organization's :class:`StorageUsage` row locked (the quota charge) until
it commits. A process killed in between leaves a file without a row; the next upload of
the same bytes replaces it, but other bytes stay for ever. The sweep walks
``files/<organization>/<sha[:2]>/``, takes the files older than a grace period that no
row names, and deletes them only after taking the same lock and looking again: an upload
of the same bytes in flight has either committed its row (the file stays) or waits for
the lock and writes its file afresh after the delete. One run examines and deletes a
bounded number of files, starting at a random shard so that big stores are covered
across runs.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from ledgerbridge.hub.documents.models import StorageUsage, StoredFile

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

__all__ = ["ORPHAN_GRACE", "orphan_files_sweep"]

# Far longer than any upload's transaction: a file this old without a row is no upload's.
ORPHAN_GRACE = timedelta(hours=1)
_ROOT = "files"


def _listdir(path: str) -> tuple[list[str], list[str]]:
    try:
        return default_storage.listdir(path)
    except FileNotFoundError:  # the file system has no folder before the first file
        return [], []


def _shards() -> list[tuple[int, str]]:
    """Every ``(organization id, folder)`` of the store, rotated to a random start."""
    shards = [
        (int(organization), f"{_ROOT}/{organization}/{shard}")
        for organization in _listdir(_ROOT)[0]
        if organization.isdigit()
        for shard in _listdir(f"{_ROOT}/{organization}")[0]
    ]
    start = secrets.randbelow(len(shards)) if shards else 0
    return shards[start:] + shards[:start]


def _named(organization_id: int, names: list[str]) -> set[str]:
    rows = StoredFile.objects.filter(organization_id=organization_id, storage_name__in=names)
    return set(rows.values_list("storage_name", flat=True))


def _unnamed_old(shards: list[tuple[int, str]], cutoff: datetime, budget: int) -> Iterator[
    tuple[int, list[str]]
]:  # fmt: skip
    """Per folder, the files no row names that are older than ``cutoff`` (``budget`` looked at)."""
    for organization_id, folder in shards:
        if budget <= 0:
            return
        names = [f"{folder}/{name}" for name in _listdir(folder)[1][:budget]]
        budget -= len(names)
        named = _named(organization_id, names) if names else set()
        old = [
            name
            for name in names
            if name not in named and default_storage.get_modified_time(name) < cutoff
        ]
        if old:
            yield organization_id, old


def _lock_usage(organization_id: int) -> bool:
    """Lock the organization's usage row as the upload's quota charge does (create it if
    missing, as that charge would); False when that cannot be done now (skip the folder)."""
    if StorageUsage.objects.filter(organization_id=organization_id).update(
        used_bytes=F("used_bytes")
    ):
        return True
    used = StoredFile.objects.filter(organization_id=organization_id).aggregate(total=Sum("size"))
    try:
        with transaction.atomic():
            StorageUsage.objects.create(
                organization_id=organization_id, used_bytes=int(used["total"] or 0)
            )
    except IntegrityError:  # a concurrent first upload, or the organization is gone
        return False
    return True


@transaction.atomic
def _delete_unclaimed(organization_id: int, names: list[str]) -> int:
    if not _lock_usage(organization_id):
        return 0
    claimed = _named(organization_id, names)  # an upload that committed meanwhile
    gone = [name for name in names if name not in claimed]
    for name in gone:
        default_storage.delete(name)
    return len(gone)


def orphan_files_sweep(
    *, grace: timedelta = ORPHAN_GRACE, max_examined: int = 10_000, max_deleted: int = 500
) -> int:
    """Delete up to ``max_deleted`` files older than ``grace`` that no row names; how many."""
    cutoff = timezone.now() - grace
    deleted = 0
    for organization_id, names in _unnamed_old(_shards(), cutoff, max_examined):
        deleted += _delete_unclaimed(organization_id, names[: max_deleted - deleted])
        if deleted >= max_deleted:
            break
    return deleted
