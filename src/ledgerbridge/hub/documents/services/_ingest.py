"""``document_ingest``: bytes in, one document per business document found, or a refusal.

The order matters: cheap checks first (idempotency key, size, the same file again), then
:func:`ledgerbridge.formats.read` outside any transaction (it may take a second on a
photo), then one transaction that checks the quota, writes the file to the default
storage under ``files/<organization>/<sha[:2]>/<sha>``, creates the rows and the audit
event. Any error on the way stores nothing: a file written by the failed transaction is
deleted again before the error leaves this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from ledgerbridge.formats import FormatError, Kind, ReadOptions, ReadResult, read
from ledgerbridge.formats.contract import to_json
from ledgerbridge.hub.core.errors import Conflict, Invalid
from ledgerbridge.hub.documents.errors import FileTooLarge, UnsupportedType, from_format_error
from ledgerbridge.hub.documents.models import Document, IngestRequest, StoredFile
from ledgerbridge.hub.documents.services._common import record_status
from ledgerbridge.hub.documents.services._extract import columns_of, dedupe_key
from ledgerbridge.hub.identity.services import audit_record

if TYPE_CHECKING:
    from ledgerbridge.formats import Document as ReadDocument
    from ledgerbridge.hub.identity.models import ApiToken, Organization, User

__all__ = [
    "DEFAULT_MAX_UPLOAD_BYTES",
    "DEFAULT_ORG_QUOTA_BYTES",
    "IngestResult",
    "document_ingest",
    "max_upload_bytes",
    "sniff_content_type",
]

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_ORG_QUOTA_BYTES = 5 * 1024 * 1024 * 1024
AUDIT_CATEGORY = "documents"

_KINDS = {
    Kind.PAYMENT_SLIP: Document.Kind.PAYMENT_SLIP,
    Kind.CREDIT_NOTE: Document.Kind.CREDIT_NOTE,
    Kind.BANK_STATEMENT: Document.Kind.BANK_STATEMENT,
}
# Codes of an intact file in which no business document was found: such a file may be
# kept as an "other" document when the caller asks for it.
_NOTHING_FOUND = frozenset({"no-document-found", "qr-not-a-qr-bill"})
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"From ", "message/rfc822"),
)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """The documents of a file; ``created`` is False when they existed already."""

    documents: list[Document]
    created: bool
    duplicate_file: bool


def max_upload_bytes() -> int:
    return int(getattr(settings, "LEDGERBRIDGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _quota_bytes() -> int:
    return int(getattr(settings, "LEDGERBRIDGE_ORG_QUOTA_BYTES", DEFAULT_ORG_QUOTA_BYTES))


def sniff_content_type(data: bytes) -> str:
    """The media type of ``data`` judged by its first bytes, never by a file name.

    >>> sniff_content_type(b"%PDF-1.7 ..."), sniff_content_type(b"<?xml version='1.0'?><a/>")
    ('application/pdf', 'application/xml')
    """
    head = data[:64]
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "image/heic"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "application/xml"
    return "text/plain" if _is_text(data[:4096]) else "application/octet-stream"


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_size(data: bytes) -> None:
    if not data:
        raise Invalid("file-empty", _("The file is empty."))
    limit = max_upload_bytes()
    if len(data) > limit:
        raise FileTooLarge(
            "file-too-large",
            _("The file has %(size)d bytes; at most %(limit)d are accepted.")
            % {"size": len(data), "limit": limit},
        )


def _replay(organization: Organization, key: str | None, sha: str) -> IngestResult | None:
    """The earlier answer to the same ``Idempotency-Key``, or a 409 for another body."""
    if not key:
        return None
    earlier = IngestRequest.objects.filter(organization=organization, key=key).first()
    if earlier is None:
        return None
    if earlier.body_sha256 != sha:
        raise Conflict(
            "idempotency-key-reused",
            _("This Idempotency-Key was already used for a different file."),
        )
    by_id = Document.objects.filter(organization=organization).in_bulk(earlier.document_ids)
    docs = [by_id[pk] for pk in earlier.document_ids if pk in by_id]
    return IngestResult(documents=docs, created=False, duplicate_file=not earlier.created)


def _existing(organization: Organization, sha: str) -> list[Document]:
    return list(
        Document.objects.filter(organization=organization, file__sha256=sha)
        .select_related("file")
        .order_by("index_in_file", "id")
    )


def _refuse_html(data: bytes) -> None:
    """A web page is never a business document, whatever its name says."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        raise UnsupportedType(
            "unsupported-format",
            _("This is an HTML page, not a PDF, image, e-invoice or QR-bill."),
        )


def _read(data: bytes, filename: str, *, keep_unreadable: bool) -> ReadResult | None:
    """What :func:`formats.read` finds; ``None`` = keep as "other" (asked for, nothing read)."""
    _refuse_html(data)
    try:
        result = read(data, filename=filename, options=ReadOptions(max_bytes=max_upload_bytes()))
    except FormatError as err:
        if keep_unreadable and err.code in _NOTHING_FOUND:
            return None
        raise from_format_error(err) from err
    if result.documents:
        return result
    if keep_unreadable:
        return None
    codes = {notice.code for notice in result.notices}
    if "qr-not-a-qr-bill" in codes:
        raise Invalid(
            "qr-not-a-qr-bill",
            _("The file holds a QR code, but it is not a Swiss QR-bill."),
        )
    raise Invalid(
        "no-document-found",
        _("No QR-bill, e-invoice or bank statement was found in the file."),
    )


def _check_quota(organization: Organization, size: int) -> None:
    used = StoredFile.objects.filter(organization=organization).aggregate(total=Sum("size"))
    if (used["total"] or 0) + size > _quota_bytes():
        raise Conflict(
            "quota-exceeded",
            _("The storage quota of this organization is used up; nothing was stored."),
        )


@dataclass(slots=True)
class _Written:
    """Names written to storage by the running ingest, to delete again on failure."""

    names: list[str]

    def discard(self) -> None:
        for name in self.names:
            default_storage.delete(name)


def _store_file(
    organization: Organization, data: bytes, sha: str, filename: str, written: _Written,
    content_type: str | None = None,
) -> StoredFile:  # fmt: skip
    known = StoredFile.objects.filter(organization=organization, sha256=sha).first()
    if known is not None:  # kept already, e.g. as the raw e-mail of another document
        return known
    name = f"files/{organization.pk}/{sha[:2]}/{sha}"
    if not default_storage.exists(name):
        # A content-addressed name: an existing file has these very bytes already.
        name = default_storage.save(name, ContentFile(data))
        written.names.append(name)
    return StoredFile.objects.create(
        organization=organization,
        sha256=sha,
        size=len(data),
        content_type=content_type or sniff_content_type(data),
        original_name=(filename or sha)[:255],
        storage_name=name,
    )


def _kind(found: ReadDocument, organization: Organization) -> str:
    if found.kind is not Kind.INVOICE:
        return _KINDS[found.kind]
    seller = getattr(found.data, "seller", None)
    ids = {getattr(seller, "vat_id", None), getattr(seller, "tax_registration_id", None)}
    own = _alnum(organization.tax_id)
    ours = bool(own) and any(own in _alnum(i) for i in ids if i)
    return Document.Kind.OUTGOING_INVOICE if ours else Document.Kind.INCOMING_INVOICE


def _alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).upper()


def _first_with_key(organization: Organization, key: str) -> Document | None:
    if not key:
        return None
    return (
        Document.objects.filter(organization=organization, dedupe_key=key, duplicate_of=None)
        .order_by("id")
        .first()
    )


@dataclass(frozen=True, slots=True)
class _Origin:
    organization: Organization
    source: str
    actor: User | None
    token: ApiToken | None
    source_file: StoredFile | None


def _new_document(origin: _Origin, stored: StoredFile, index: int, **fields: Any) -> Document:
    kind = fields["kind"]
    status = Document.Status.PENDING if kind == Document.Kind.PAYMENT_SLIP else "received"
    document = Document.objects.create(
        organization=origin.organization, source=origin.source, file=stored,
        source_file=origin.source_file, index_in_file=index, status=status,
        created_by=origin.actor, **fields,
    )  # fmt: skip
    record_status(document, "", status, actor=origin.actor, token=origin.token)
    return document


def _create_documents(
    origin: _Origin, stored: StoredFile, result: ReadResult | None
) -> list[Document]:
    if result is None:
        return [_new_document(origin, stored, 0, kind=Document.Kind.OTHER)]
    documents = []
    for index, found in enumerate(result.documents):
        key = dedupe_key(found.data)
        fields = {
            "kind": _kind(found, origin.organization),
            "format": found.format.value,
            "profile": (found.profile or "")[:200],
            "data": to_json(found.data),
            "findings": to_json(found.findings),
            "has_errors": found.has_errors,
            "dedupe_key": key,
            "duplicate_of": _first_with_key(origin.organization, key),
            **columns_of(found.data),
        }
        documents.append(_new_document(origin, stored, index, **fields))
    return documents


def _remember_key(
    origin: _Origin, key: str | None, sha: str, documents: list[Document], *, created: bool
) -> None:
    if key:
        IngestRequest.objects.create(
            organization=origin.organization, key=key, body_sha256=sha, user=origin.actor,
            token=origin.token, document_ids=[d.pk for d in documents], created=created,
        )  # fmt: skip


def _audit(origin: _Origin, stored: StoredFile, documents: list[Document], ip: str | None) -> None:
    audit_record(
        organization=origin.organization, actor=origin.actor, category=AUDIT_CATEGORY,
        action="ingest", ip=ip,
        details={
            "file_sha256": stored.sha256, "filename": stored.original_name,
            "source": origin.source, "token_id": origin.token.pk if origin.token else None,
            "documents": [
                {"id": d.pk, "kind": d.kind, "duplicate_of": d.duplicate_of_id}
                for d in documents
            ],
        },
    )  # fmt: skip


def _write(
    origin: _Origin, data: bytes, sha: str, filename: str, result: ReadResult | None,
    key: str | None, ip: str | None,
) -> IngestResult:  # fmt: skip
    written = _Written(names=[])
    try:
        with transaction.atomic():
            # Checked again inside the transaction: another request may have won the race.
            replay = _replay(origin.organization, key, sha)
            if replay is not None:
                return replay
            existing = _existing(origin.organization, sha)
            if existing:
                _remember_key(origin, key, sha, existing, created=False)
                return IngestResult(documents=existing, created=False, duplicate_file=True)
            _check_quota(origin.organization, len(data))
            stored = _store_file(origin.organization, data, sha, filename, written)
            documents = _create_documents(origin, stored, result)
            _remember_key(origin, key, sha, documents, created=True)
            _audit(origin, stored, documents, ip)
    except BaseException:
        written.discard()
        raise
    return IngestResult(documents=documents, created=True, duplicate_file=False)


def document_ingest(
    *,
    organization: Organization,
    data: bytes,
    filename: str,
    source: str,
    actor: User | None,
    token: ApiToken | None = None,
    keep_unreadable_as_other: bool = False,
    idempotency_key: str | None = None,
    source_file: StoredFile | None = None,
    ip: str | None = None,
) -> IngestResult:
    """Store ``data`` once and create one document per business document found in it.

    The same file again answers the existing documents (``created=False``,
    ``duplicate_file=True``); the same payment or invoice in another file gives a new
    document whose ``duplicate_of`` is the first one. ``source_file`` is the file the data
    arrived in when it differs (the raw e-mail of an attachment). Raises
    :class:`~ledgerbridge.hub.core.errors.Invalid` or
    :class:`~ledgerbridge.hub.core.errors.Conflict` subclasses with a stable code, and then
    nothing is stored.
    """
    if source not in Document.Source.values:
        raise Invalid("source-invalid", _("Unknown document source."))
    sha = hashlib.sha256(data).hexdigest()
    origin = _Origin(organization, source, actor, token, source_file)
    replay = _replay(organization, idempotency_key, sha)
    if replay is not None:
        return replay
    _check_size(data)
    existing = _existing(organization, sha)
    if existing:
        result: ReadResult | None = None  # not read again: the documents exist already
    else:
        result = _read(data, filename, keep_unreadable=keep_unreadable_as_other)
    try:
        return _write(origin, data, sha, filename, result, idempotency_key, ip)
    except IntegrityError:
        # A concurrent request stored the same file or used the same key first (unique
        # constraints): answer the way it was answered.
        return _write(origin, data, sha, filename, result, idempotency_key, ip)
