"""Two requests with the same new file at the same moment: one stores it, the other finds it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection

from ledgerbridge.hub.documents.services import _ingest
from tests.hub.factories import admin_of, ingest, qrbill_file
from tests.hub.helpers import counts, storage_files

if TYPE_CHECKING:
    from pathlib import Path

    from ledgerbridge.hub.documents.services import IngestResult

# Each thread has its own database connection and must see the other's commits.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_file_sent_twice_at_once_is_stored_once(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: both requests have read the file before either writes
    if connection.vendor != "postgresql":
        # SQLite runs one writer at a time; its in-memory test database answers a second
        # writer "table is locked" at once instead of waiting like the file database does.
        pytest.skip("concurrent writers need PostgreSQL: set LEDGERBRIDGE_TEST_DATABASE_URL")
    admin = admin_of()
    data, _ = qrbill_file()
    both_read = threading.Barrier(2, timeout=20)
    real_read = _ingest.read_upload

    def read_together(*args: Any, **kwargs: Any) -> Any:
        result = real_read(*args, **kwargs)
        both_read.wait()
        return result

    monkeypatch.setattr(_ingest, "read_upload", read_together)
    results: list[IngestResult] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            results.append(ingest(admin, data))
        except BaseException as err:  # reported by the assertion below
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then
    assert errors == []
    assert sorted(r.created for r in results) == [False, True]
    assert len({r.documents[0].pk for r in results}) == 1
    assert counts() == (1, 1)
    assert len(storage_files(media)) == 1
