"""``document_preview``: what the ingest would make of a file, refusing alike, storing nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from ledgerbridge.hub.core.errors import Invalid
from ledgerbridge.hub.documents import services
from tests.hub.factories import (
    HTML_AS_PDF,
    admin_of,
    blank_pdf,
    bomb_png,
    ingest,
    plain_qr_png,
    qrbill_file,
)
from tests.hub.helpers import counts, storage_files

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.django_db


def test_a_preview_shows_the_fields_the_ingest_stores_and_stores_nothing(media: Path) -> None:
    # given
    admin = admin_of()
    data, entry = qrbill_file()
    # when
    [preview] = services.document_preview(
        organization=admin.organization, data=data, filename="bill.png"
    )
    # then
    assert (counts(), storage_files(media)) == ((0, 0), [])
    [stored] = ingest(admin, data).documents
    assert (preview.kind, preview.format, preview.duplicate_of) == (
        stored.kind,
        stored.format,
        None,
    )
    assert (preview.creditor_name, preview.iban, preview.amount, preview.reference) == (
        stored.creditor_name,
        stored.iban,
        stored.amount,
        stored.reference,
    )
    assert preview.amount == Decimal(entry["expected_fields"]["amount"])


def test_a_preview_of_a_payment_seen_before_names_its_first_document(media: Path) -> None:
    # given
    admin = admin_of()
    first = ingest(admin, qrbill_file()[0]).documents[0]
    payload = qrbill_file()[1]["expected_payload"].encode()
    # when
    [preview] = services.document_preview(
        organization=admin.organization, data=payload, filename="bill.txt"
    )
    # then
    assert preview.duplicate_of == first.pk


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file-empty"),
        (HTML_AS_PDF, "unsupported-format"),
        (blank_pdf(), "no-document-found"),
        (plain_qr_png(), "qr-not-a-qr-bill"),
        (bomb_png(), "limit-image-pixels"),
    ],
)
def test_a_preview_refuses_with_the_code_of_the_ingest(media: Path, data: bytes, code: str) -> None:
    # given
    admin = admin_of()
    with pytest.raises(Invalid) as by_ingest:
        ingest(admin, data, filename="file.pdf")
    # when
    with pytest.raises(Invalid) as by_preview:
        services.document_preview(organization=admin.organization, data=data, filename="file.pdf")
    # then
    assert by_preview.value.code == by_ingest.value.code == code
    assert (type(by_preview.value), counts()) == (type(by_ingest.value), (0, 0))
