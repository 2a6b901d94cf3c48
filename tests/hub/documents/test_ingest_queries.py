"""The fixed cost of an upload: the queries of one ingest through the API, and the running
storage usage that replaced a sum over every file.

Query COUNTS are pinned here, never times (times belong to ``benchmarks/ingest.py``): a
change that adds a query to every upload has to change this file on purpose.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from ledgerbridge.hub.core.errors import Conflict
from ledgerbridge.hub.documents.models import Document, StorageUsage, StoredFile
from ledgerbridge.hub.identity.models import ApiToken
from tests.hub.factories import admin_of, ingest, qrbill_file
from tests.hub.helpers import counts, limited, storage_files, token_client, use_plans

if TYPE_CHECKING:
    from pathlib import Path

    from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents"
# token (1), same file? (1), quota (1), file row (1), duplicate lookup (1), documents (1),
# status changes (1), audit: last link + event (2); the savepoint pair of the service's
# transaction (2: the test runs inside a transaction; the audit append takes none of its
# own); the exchange's look for links whose rule sends what was read (1). On PostgreSQL
# the audit chain also locks its organization row first (one more).
QUERIES_OF_AN_UPLOAD = 12


def _expected(count: int) -> int:
    return count + (connection.vendor == "postgresql")


def _upload(client: Client, data: bytes, name: str) -> Any:
    return client.post(f"{URL}?filename={name}", data=data, content_type="application/octet-stream")


def _token_writes(queries: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith('UPDATE "identity_apitoken"') for q in queries.captured_queries)


def _used(admin: Any) -> int:
    return StorageUsage.objects.get(organization=admin.organization).used_bytes


def _pdf_of(*names: str) -> bytes:
    """A PDF with one page per corpus QR-bill image."""
    pages = [Image.open(qrbill_file(name)[1]["path"]).convert("RGB") for name in names]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def test_one_upload_through_the_api_costs_a_fixed_number_of_queries(media: Path) -> None:
    # given: a token already used once (its last_used_at is fresh)
    client = token_client(admin_of())
    assert _upload(client, qrbill_file("s1_bill02_w900.png")[0], "first.png").status_code == 201
    data, _ = qrbill_file()
    # when
    with CaptureQueriesContext(connection) as queries:
        response = _upload(client, data, "bill.png")
    # then
    assert response.status_code == 201
    sql = "\n".join(q["sql"][:70] for q in queries.captured_queries)
    assert len(queries) == _expected(QUERIES_OF_AN_UPLOAD), sql


def test_a_file_with_three_slips_costs_no_query_more_than_one_slip(media: Path) -> None:
    # given
    client = token_client(admin_of())
    assert _upload(client, qrbill_file("s1_bill02_w900.png")[0], "first.png").status_code == 201
    pdf = _pdf_of("s1_bill03_w900.png", "s1_bill04_w900.png", "s1_bill05_w900.png")
    # when
    with CaptureQueriesContext(connection) as queries:
        response = _upload(client, pdf, "three.pdf")
    # then
    assert response.status_code == 201
    assert len(response.json()["documents"]) == 3
    assert len(queries) == _expected(QUERIES_OF_AN_UPLOAD)


def test_the_same_file_again_is_answered_without_reading_or_storing(media: Path) -> None:
    # given
    client = token_client(admin_of())
    data, _ = qrbill_file()
    first = _upload(client, data, "bill.png").json()["documents"]
    # when
    with CaptureQueriesContext(connection) as queries:
        again = _upload(client, data, "bill.png")
    # then: token, the narrow lookup, then in the transaction the documents with file and
    # creator (the answer shows both), plus the transaction's savepoint pair
    assert again.status_code == 200
    assert again.json()["documents"] == first
    assert len(queries) == 5


def test_last_used_at_is_written_at_most_once_a_minute(media: Path) -> None:
    # given
    admin = admin_of()
    client = token_client(admin)
    listing = "/api/v1/documents"
    # when
    with CaptureQueriesContext(connection) as first:
        client.get(listing)
    with CaptureQueriesContext(connection) as within_the_minute:
        client.get(listing)
        client.get(listing)
    token = ApiToken.objects.get(organization=admin.organization)
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=token.last_used_at - timedelta(seconds=61)
    )
    with CaptureQueriesContext(connection) as a_minute_later:
        client.get(listing)
    # then
    assert (_token_writes(first), _token_writes(within_the_minute)) == (1, 0)
    assert _token_writes(a_minute_later) == 1


def test_the_same_payment_twice_in_one_file_flags_the_second(media: Path) -> None:
    # given
    admin = admin_of()
    # when
    result = ingest(admin, _pdf_of("s1_bill01_w900.png", "s1_bill01_w900.png"), filename="2.pdf")
    # then
    first, second = result.documents
    assert (first.duplicate_of_id, second.duplicate_of_id) == (None, first.pk)
    assert Document.objects.get(pk=second.pk).duplicate_of_id == first.pk


def test_a_payment_seen_before_flags_every_copy_in_a_new_file_as_its_duplicate(
    media: Path,
) -> None:
    # given
    admin = admin_of()
    original = ingest(admin, qrbill_file()[0]).documents[0]
    # when
    result = ingest(admin, _pdf_of("s1_bill01_w900.png", "s1_bill01_w900.png"), filename="2.pdf")
    # then
    assert [d.duplicate_of_id for d in result.documents] == [original.pk, original.pk]


def test_the_storage_usage_follows_every_stored_file(media: Path, settings: Any) -> None:
    # given
    admin = admin_of()
    one, two = qrbill_file("s1_bill01_w900.png")[0], qrbill_file("s1_bill02_w900.png")[0]
    # when
    ingest(admin, one)
    ingest(admin, two)
    ingest(admin, one)  # the same file again: nothing stored, nothing charged
    # then
    assert _used(admin) == len(one) + len(two)
    assert _used(admin) == sum(
        f.size for f in StoredFile.objects.filter(organization=admin.organization)
    )


def test_a_refused_upload_charges_nothing(media: Path, settings: Any) -> None:
    # given: room for one photo only
    admin = admin_of()
    one, two = qrbill_file("s1_bill01_w900.png")[0], qrbill_file("s1_bill02_w900.png")[0]
    use_plans(settings, limited(storage_bytes=len(one) + len(two) - 1))
    ingest(admin, one)
    # when
    with pytest.raises(Conflict) as refused:
        ingest(admin, two)
    # then
    assert refused.value.code == "plan-limit-reached"
    assert _used(admin) == len(one)


def test_a_failed_transaction_takes_its_charge_back(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the audit log fails after the file, the documents and the charge were written
    admin = admin_of()
    ingest(admin, qrbill_file("s1_bill02_w900.png")[0])
    before = _used(admin), counts(), storage_files(media)

    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("ledgerbridge.hub.documents.services._ingest.audit_record", broken)
    # when
    with pytest.raises(RuntimeError):
        ingest(admin, qrbill_file()[0])
    # then
    assert (_used(admin), counts(), storage_files(media)) == before


def test_a_missing_usage_row_is_rebuilt_from_the_stored_files(media: Path, settings: Any) -> None:
    # given: files stored before the usage row existed (as after the migration of an
    # organization without files, or a row removed by hand)
    admin = admin_of()
    one, two = qrbill_file("s1_bill01_w900.png")[0], qrbill_file("s1_bill02_w900.png")[0]
    ingest(admin, one)
    StorageUsage.objects.filter(organization=admin.organization).delete()
    use_plans(settings, limited(storage_bytes=len(one) + len(two)))
    # when
    ingest(admin, two)
    # then: counted from the files, and the next byte is refused
    assert _used(admin) == len(one) + len(two)
    with pytest.raises(Conflict):
        ingest(admin, qrbill_file("s1_bill03_w900.png")[0])
