"""Files and helpers for the documents tests: real QR-bills from the corpus, bad inputs built here.

``qrbill_file(n)`` is a generated QR-bill photo of the shared corpus with its manifest
entry; the bad inputs (an HTML page, a decompression bomb, a plain QR code, a PDF with
nothing to read) are built in memory so that every test says what it feeds in.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import qrcode
from PIL import Image

from ledgerbridge.hub.documents import services
from ledgerbridge.hub.documents.models import Document, StoredFile
from tests.hub.factories import admin_of

if TYPE_CHECKING:
    from ledgerbridge.hub.documents.services import IngestResult
    from ledgerbridge.hub.identity.models import Membership, Organization

REPO = Path(__file__).resolve().parents[3]
QRBILL_GENERATED = (
    Path(os.environ.get("LEDGERBRIDGE_CORPUS", REPO.parent / "shared" / "corpus"))
    / "qrbill"
    / "generated"
)


def qrbill_manifest() -> list[dict[str, Any]]:
    """Every entry of ``qrbill/generated/manifest.json``, each with ``path`` added."""
    entries: list[dict[str, Any]] = json.loads(
        (QRBILL_GENERATED / "manifest.json").read_text("utf-8")
    )
    for entry in entries:
        entry["path"] = QRBILL_GENERATED / entry["file"]
    return entries


def qrbill_file(name: str = "s1_bill01_w900.png") -> tuple[bytes, dict[str, Any]]:
    """The bytes of one generated QR-bill image and its manifest entry."""
    entry = next(e for e in qrbill_manifest() if e["file"] == name)
    return entry["path"].read_bytes(), entry


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def blank_pdf() -> bytes:
    """A valid one-page PDF with nothing to read on it."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "white").save(buffer, "PDF")
    return buffer.getvalue()


def plain_qr_png(text: str = "https://example.com/menu") -> bytes:
    """A PNG with a QR code that is not a Swiss QR-bill."""
    return _png(qrcode.make(text).get_image())


def bomb_png() -> bytes:
    """A 48 kB PNG that would decode to 400 million pixels."""
    return _png(Image.new("1", (20_000, 20_000)))


HTML_AS_PDF = b"<!DOCTYPE html><html><head><title>Invoice</title></head><body>hi</body></html>"


def counts() -> tuple[int, int]:
    """(stored files, documents) in the database."""
    return StoredFile.objects.count(), Document.objects.count()


def storage_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def ingest(membership: Membership, data: bytes, **kwargs: Any) -> IngestResult:
    kwargs.setdefault("filename", "file.bin")
    kwargs.setdefault("source", Document.Source.UPLOAD)
    return services.document_ingest(
        organization=membership.organization, data=data, actor=membership.user, **kwargs
    )


def member(**kwargs: Any) -> Membership:
    """An admin of a fresh organization (holds every documents permission)."""
    return admin_of(**kwargs)


def make_payment_slip(
    organization: Organization, name: str = "s1_bill01_w900.png", **kwargs: Any
) -> Document:
    """A pending payment slip of ``organization``, ingested from a corpus QR-bill image
    (the file is written to the default storage: point ``MEDIA_ROOT`` at a temp folder)."""
    kwargs.setdefault("source", Document.Source.SCAN)
    result = services.document_ingest(
        organization=organization, data=qrbill_file(name)[0], filename=name, actor=None,
        **kwargs,
    )  # fmt: skip
    return result.documents[0]
