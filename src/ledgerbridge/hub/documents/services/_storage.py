"""Keeping original files: the per-organization quota and the content-addressed storage.

The quota is the storage limit of the organization's plan (:mod:`hub.identity.plans`; none
on the built-in unlimited plan). It is charged on the organization's :class:`StorageUsage`
row with one conditional ``UPDATE`` (``used_bytes + size <= quota``) in the transaction
that stores the file: no sum over every stored file on each upload, and no way for two
concurrent uploads to pass the check together (the row stays locked until the commit, and
a failed transaction takes its charge back with it). A missing row is created from the sum
of the files once. A file is written under ``files/<organization>/<sha[:2]>/<sha>``; the
names written by a transaction that then fails are deleted again (:class:`Written`).

A process killed between writing the file and committing leaves a file that no row
names. Its name is content-addressed, so the next ingest of the same bytes, once its row
holds the unique (organization, sha256) key, knows that nobody else can own that name:
it replaces the orphan (possibly cut short by the kill) instead of writing a second copy
beside it, and no stray file is left once the client retries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F, Sum

from ledgerbridge.hub.documents.models import StorageUsage, StoredFile
from ledgerbridge.hub.identity.plans import PlanLimit
from ledgerbridge.hub.identity.services import plan_of, plan_require

if TYPE_CHECKING:
    from collections.abc import Callable

    from ledgerbridge.hub.identity.models import Organization

__all__ = ["Written", "charge_quota", "quota_bytes", "safe_filename", "store_file"]

FILENAME_MAX = 255
_DIRECTORIES = re.compile(r"[/\\]")


def safe_filename(name: str | None) -> str:
    r"""The base name of a file name a client gave, safe to store, show and send back.

    Directories of either kind of slash go, so do control and format characters (CR, LF,
    NUL, bidi overrides) and leading dots; the name is capped at 255 characters keeping
    its extension, and nothing left gives ``document``.

    >>> safe_filename("../../etc/passwd"), safe_filename("C:\\x\\y.pdf")
    ('passwd', 'y.pdf')
    >>> safe_filename("a\r\nX-Evil: 1.pdf"), safe_filename(".."), safe_filename("März.pdf")
    ('aX-Evil: 1.pdf', 'document', 'März.pdf')
    """
    base = _DIRECTORIES.split(unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".").strip()
    if len(base) > FILENAME_MAX:
        stem, dot, extension = base.rpartition(".")
        if dot and stem and len(extension) < 16:
            base = f"{stem[: FILENAME_MAX - len(extension) - 1]}.{extension}"
        else:
            base = base[:FILENAME_MAX]
    return base or "document"


def quota_bytes(organization: Organization) -> int | None:
    """The storage limit of the organization's plan; ``None``: unlimited."""
    return plan_of(organization).limit(PlanLimit.STORAGE_BYTES)


def _refuse(organization: Organization, used: int, size: int) -> NoReturn:
    plan_require(
        organization=organization, limit=PlanLimit.STORAGE_BYTES, current=used, adding=size
    )
    raise AssertionError("plan_require let through what the conditional UPDATE refused")


def charge_quota(organization: Organization, size: int) -> None:
    """Add ``size`` bytes to the organization's usage, or refuse with ``plan-limit-reached``
    (``limit`` ``storage_bytes``) when the plan's storage limit would be exceeded.

    Call it inside the transaction that stores the file. A concurrent first charge of the
    same organization makes the ``INSERT`` of the usage row fail with an
    ``IntegrityError``, which the ingest answers by running its transaction again. Without
    a limit the row is still kept up to date (the settings page shows it).
    """
    limit = quota_bytes(organization)
    usage = StorageUsage.objects.filter(organization_id=organization.pk)
    if limit is not None:
        usage = usage.filter(used_bytes__lte=limit - size)
    if usage.update(used_bytes=F("used_bytes") + size):
        return
    row = StorageUsage.objects.filter(organization_id=organization.pk).first()
    if row is not None:
        _refuse(organization, row.used_bytes, size)
    used = StoredFile.objects.filter(organization_id=organization.pk).aggregate(total=Sum("size"))
    total = int(used["total"] or 0)
    if limit is not None and total + size > limit:
        _refuse(organization, total, size)
    StorageUsage.objects.create(organization_id=organization.pk, used_bytes=total + size)


@dataclass(slots=True)
class Written:
    """Names written to storage by the running transaction, to delete again on failure."""

    names: list[str] = field(default_factory=list)

    def discard(self) -> None:
        """Delete the names, once; call it before the rollback gives up the row's key.

        After the rollback a concurrent twin may already hold the key and have written
        the same name, which a late delete would take from it.
        """
        names, self.names = self.names, []
        for name in names:
            default_storage.delete(name)


def _known(organization: Organization, sha: str) -> StoredFile | None:
    return StoredFile.objects.filter(organization_id=organization.pk, sha256=sha).first()


def store_file(
    organization: Organization, data: bytes, sha: str, *, filename: str, content_type: str,
    written: Written, look_first: bool = True, on_new: Callable[[], None] | None = None,
) -> StoredFile:  # fmt: skip
    """The organization's file with these bytes: the known one, else a new row and file.

    ``look_first=False`` skips the lookup when the caller has just found no such file; a
    file stored meanwhile then fails the unique (organization, sha256) constraint and the
    caller's transaction is retried. ``on_new`` runs before a new file is kept (the quota).
    """
    if look_first:
        known = _known(organization, sha)
        if known is not None:  # kept already, e.g. as the raw e-mail of another document
            return known
    if on_new is not None:
        on_new()
    stored = StoredFile.objects.create(
        organization=organization,
        sha256=sha,
        size=len(data),
        content_type=content_type,
        original_name=safe_filename(filename),
        storage_name=f"files/{organization.pk}/{sha[:2]}/{sha}",
    )
    # After the row: a concurrent twin fails on the constraint before writing any bytes,
    # so a file already under this name is an orphan of a killed process: replace it.
    if default_storage.exists(stored.storage_name):
        default_storage.delete(stored.storage_name)
    name = default_storage.save(stored.storage_name, ContentFile(data))
    written.names.append(name)
    if name != stored.storage_name:
        StoredFile.objects.filter(pk=stored.pk).update(storage_name=name)
        stored.storage_name = name
    return stored
