"""``document_ingest``: bytes in, one document per business document found, or a refusal.

The order matters: cheap checks first (idempotency key, size, the same file again), then
:func:`ledgerbridge.formats.read` outside any transaction (it may take a second on a
photo), then one transaction that charges the quota, stores the file (see
:mod:`._storage`), creates the rows and the audit event. Any error on the way stores
nothing: a file written by the failed transaction is deleted again before the error
leaves this module.

Every upload pays this path, so it is kept to a fixed, small number of queries (pinned by
a test): the same-file lookup runs once, before the read; the transaction does not look
again but lets the unique constraints catch a concurrent twin (an ``IntegrityError``
runs the transaction once more, now looking first); the duplicate lookup is one
index-only query for all documents of the file; documents and their first status are
inserted in one statement each.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ledgerbridge.formats import (
    Finding,
    FormatError,
    Invoice,
    ReadOptions,
    ReadResult,
    Severity,
    read,
)
from ledgerbridge.formats.contract import to_json
from ledgerbridge.hub.core.codes import ErrorCode, FindingCode, FormatCode
from ledgerbridge.hub.core.errors import Conflict, Invalid
from ledgerbridge.hub.documents.categories import CHOOSABLE_KINDS, Classification, classify
from ledgerbridge.hub.documents.counterparts import linked_tax_ids
from ledgerbridge.hub.documents.errors import FileTooLarge, UnsupportedType, from_format_error
from ledgerbridge.hub.documents.events import DocumentEvent, publish
from ledgerbridge.hub.documents.models import Document, DocumentStatusChange, IngestRequest
from ledgerbridge.hub.documents.searchtext import search_text
from ledgerbridge.hub.documents.selectors import document_count_this_month
from ledgerbridge.hub.documents.services._extract import columns_of, dedupe_key
from ledgerbridge.hub.documents.services._storage import (
    Written,
    charge_quota,
    safe_filename,
    store_file,
)
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.identity.plans import Feature, PlanLimit
from ledgerbridge.hub.identity.services import audit_record, plan_require, plan_require_feature

if TYPE_CHECKING:
    from ledgerbridge.formats import Document as ReadDocument
    from ledgerbridge.hub.documents.models import StoredFile
    from ledgerbridge.hub.identity.models import ApiToken, Organization, User

__all__ = [
    "IngestResult",
    # The ingest's steps that the preview (_preview) and the mail inbox (_mail) share, so
    # they refuse and classify exactly as the ingest does; not part of the package facade.
    "Origin",
    "check_size",
    "document_ingest",
    "found_fields",
    "max_upload_bytes",
    "new_document",
    "originals",
    "read_upload",
    "sniff_content_type",
]


# The warning on an e-invoice that names neither the organization nor a linked one; its
# message is English like the formats library's, people read FINDING_MESSAGES' sentence.
_NOT_ADDRESSED = Finding(
    Severity.WARNING,
    FindingCode.NOT_ADDRESSED_TO_ORGANIZATION,
    "",
    "not addressed to this organization: neither seller nor buyer carries its tax ID "
    "or that of a linked organization",
)
# Codes of an intact file in which no business document was found: such a file may be
# kept as an "other" document or a purchase receipt when the caller asks for it. A photo
# without a QR code (a till receipt) is such a file too.
_NOTHING_FOUND = frozenset(
    {FormatCode.NO_DOCUMENT_FOUND, FormatCode.NO_QR_BILL_FOUND, ErrorCode.QR_NOT_A_QR_BILL}
)
# The sources that only a feature of the plan opens (the API is checked at its door).
_SOURCE_FEATURES: dict[str, Feature] = {
    Document.Source.SCAN: Feature.SCAN_APP,
    Document.Source.EMAIL: Feature.EMAIL_INBOX,
}
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"From ", "message/rfc822"),
)


@dataclass(frozen=True, slots=True)
class Kept:
    """The uploader's choice of kind (and, for a receipt, its category): how a file without
    a readable document is kept, and the kind of a document its data does not determine."""

    kind: str = Document.Kind.OTHER
    category: str = ""


def _choice(*, kind: str | None, receipt_category: str | None) -> Kept | None:
    """The uploader's choice, checked; a receipt category alone chooses a purchase receipt."""
    if kind is None and receipt_category is None:
        return None
    kind = kind or Document.Kind.PURCHASE_RECEIPT
    if kind not in CHOOSABLE_KINDS:
        raise Invalid(
            ErrorCode.DOCUMENT_KIND_INVALID,
            _(
                "Choose incoming invoice, outgoing invoice, credit note, purchase receipt "
                "or other as the document's category."
            ),
        )
    if kind != Document.Kind.PURCHASE_RECEIPT:
        return Kept(kind)
    if receipt_category not in Document.ReceiptCategory.values:
        raise Invalid(ErrorCode.RECEIPT_CATEGORY_INVALID, _("Choose a category for the receipt."))
    return Kept(kind, str(receipt_category))


@dataclass(frozen=True, slots=True)
class IngestResult:
    """The documents of a file; ``created`` is False when they existed already."""

    documents: list[Document]
    created: bool
    duplicate_file: bool


def max_upload_bytes() -> int:
    return int(settings.LEDGERBRIDGE_MAX_UPLOAD_BYTES)  # default in hub.config.env


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


def check_size(data: bytes) -> None:
    """Refuse an empty file or one above :func:`max_upload_bytes`."""
    if not data:
        raise Invalid(FormatCode.FILE_EMPTY, _("The file is empty."))
    limit = max_upload_bytes()
    if len(data) > limit:
        raise FileTooLarge(
            FormatCode.FILE_TOO_LARGE,
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
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            _("This Idempotency-Key was already used for a different file."),
        )
    by_id = Document.objects.filter(organization=organization).in_bulk(earlier.document_ids)
    docs = [by_id[pk] for pk in earlier.document_ids if pk in by_id]
    return IngestResult(documents=docs, created=False, duplicate_file=not earlier.created)


def _existing(organization: Organization, sha: str) -> list[Document]:
    return list(
        Document.objects.filter(organization_id=organization.pk, file__sha256=sha)
        .select_related("file", "created_by")
        .order_by("index_in_file", "id")
    )


def _known_file(organization: Organization, sha: str) -> bool:
    """Whether documents of this file exist (a narrow query: most uploads are new)."""
    return (
        Document.objects.filter(organization_id=organization.pk, file__sha256=sha)
        .order_by()
        .values_list("pk")[:1]
        .exists()
    )


def _refuse_html(data: bytes) -> None:
    """A web page is never a business document, whatever its name says."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        raise UnsupportedType(
            FormatCode.UNSUPPORTED_FORMAT,
            _("This is an HTML page, not a PDF, image, e-invoice or QR-bill."),
        )


def read_upload(data: bytes, filename: str, *, keep_unreadable: bool) -> ReadResult | None:
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
    if ErrorCode.QR_NOT_A_QR_BILL in codes:
        raise Invalid(
            ErrorCode.QR_NOT_A_QR_BILL,
            _("The file holds a QR code, but it is not a Swiss QR-bill."),
        )
    raise Invalid(
        FormatCode.NO_DOCUMENT_FOUND,
        _("No QR-bill, e-invoice or bank statement was found in the file."),
    )


def _classify(origin: Origin, found: ReadDocument) -> Classification:
    """The kind of ``found`` (:func:`.categories.classify`); the linked organizations' tax
    IDs are asked for only when the organization's own does not decide."""
    organization = origin.organization
    own = (organization.country, organization.tax_id)
    chosen = origin.chosen.kind if origin.chosen else None
    result = classify(found, own=own, chosen=chosen)
    if result.addressed or not isinstance(found.data, Invoice):
        return result
    return classify(found, own=own, linked=linked_tax_ids(organization), chosen=chosen)


def originals(organization: Organization, keys: set[str]) -> dict[str, int]:
    """The first document of each dedupe key (one index-only query for the whole file)."""
    if not keys:
        return {}
    first: dict[str, int] = {}
    rows = (
        Document.objects.filter(
            organization_id=organization.pk, dedupe_key__in=keys, duplicate_of__isnull=True
        )
        .order_by()
        .values_list("dedupe_key", "pk")
    )
    for key, pk in rows:
        first[key] = min(pk, first.get(key, pk))
    return first


@dataclass(frozen=True, slots=True)
class Origin:
    """Who and what a new document comes from (the columns every document row carries)."""

    organization: Organization
    source: str
    actor: User | None
    token: ApiToken | None
    source_file: StoredFile | None
    # What the uploader chose for documents whose data does not determine their kind.
    chosen: Kept | None = None


def _status_of(kind: str) -> str:
    return Document.Status.PENDING if kind == Document.Kind.PAYMENT_SLIP else "received"


def _insert(
    origin: Origin, stored: StoredFile, fields: list[dict[str, Any]], *, first_index: int = 0
) -> list[Document]:
    """Insert the documents and their first status change, one statement each.

    Every way in (upload, API, scan, e-mail) ends here, so here the plan's documents per
    month are counted: after the file's quota charge, which holds the organization's usage
    row locked, so concurrent ingests count one after the other.
    """
    plan_require(
        organization=origin.organization, limit=PlanLimit.DOCUMENTS_PER_MONTH,
        current=lambda: document_count_this_month(organization=origin.organization),
        adding=len(fields),
    )  # fmt: skip
    documents = Document.objects.bulk_create(
        Document(
            organization=origin.organization, source=origin.source, file=stored,
            source_file=origin.source_file, index_in_file=first_index + index,
            status=_status_of(values["kind"]), created_by=origin.actor,
            search_text=_search_text(values, stored), **values,
        )
        for index, values in enumerate(fields)
    )  # fmt: skip
    DocumentStatusChange.objects.bulk_create(
        DocumentStatusChange(
            organization_id=origin.organization.pk, document=document, from_status="",
            to_status=document.status, actor=origin.actor, actor_token=origin.token,
        )
        for document in documents
    )  # fmt: skip
    return documents


def _search_text(values: dict[str, Any], stored: StoredFile) -> str:
    return search_text(
        creditor_name=values.get("creditor_name", ""), iban=values.get("iban", ""),
        reference=values.get("reference", ""), invoice_number=values.get("invoice_number", ""),
        file_name=stored.original_name, amount=values.get("amount"),
    )  # fmt: skip


def new_document(origin: Origin, stored: StoredFile, index: int, **fields: Any) -> Document:
    """One document at ``index`` of ``stored`` (with its first status change)."""
    (document,) = _insert(origin, stored, [fields], first_index=index)
    return document


def found_fields(origin: Origin, found: ReadDocument) -> dict[str, Any]:
    """The row values of one business document that :func:`formats.read` found."""
    classified = _classify(origin, found)
    findings = to_json(found.findings)
    if not classified.addressed:
        findings.append(to_json(_NOT_ADDRESSED))
    chosen_receipt = not classified.determined and origin.chosen is not None
    return {
        "kind": classified.kind,
        "category": origin.chosen.category if chosen_receipt and origin.chosen else "",
        "format": found.format.value,
        "profile": (found.profile or "")[:200],
        "data": to_json(found.data),
        "findings": findings,
        "has_errors": found.has_errors,
        "dedupe_key": dedupe_key(found.data),
        **columns_of(found.data),
    }


def _link_twins_in_file(documents: list[Document], known: dict[str, int]) -> None:
    """The same payment twice in one file: the later ones are duplicates of the first."""
    first: dict[str, Document] = {}
    twins = []
    for document in documents:
        key = document.dedupe_key
        if not key or key in known:
            continue
        if key in first:
            document.duplicate_of = first[key]
            twins.append(document)
        else:
            first[key] = document
    if twins:
        Document.objects.bulk_update(twins, ["duplicate_of"])


def _create_documents(
    origin: Origin, stored: StoredFile, result: ReadResult | Kept
) -> list[Document]:
    if isinstance(result, Kept):
        return _insert(origin, stored, [{"kind": result.kind, "category": result.category}])
    fields = [found_fields(origin, found) for found in result.documents]
    known = originals(origin.organization, {f["dedupe_key"] for f in fields} - {""})
    for values in fields:
        values["duplicate_of_id"] = known.get(values["dedupe_key"])
    documents = _insert(origin, stored, fields)
    _link_twins_in_file(documents, known)
    return documents


def _remember_key(
    origin: Origin, key: str | None, sha: str, documents: list[Document], *, created: bool
) -> None:
    if key:
        IngestRequest.objects.create(
            organization=origin.organization, key=key, body_sha256=sha, user=origin.actor,
            token=origin.token, document_ids=[d.pk for d in documents], created=created,
        )  # fmt: skip


def _audit(origin: Origin, stored: StoredFile, documents: list[Document], ip: str | None) -> None:
    audit_record(
        organization=origin.organization, actor=origin.actor, category=AuditCategory.DOCUMENTS,
        action=AuditAction.INGEST, ip=ip,
        details={
            "file_sha256": stored.sha256, "filename": stored.original_name,
            "source": origin.source, "token_id": origin.token.pk if origin.token else None,
            "documents": [
                {"id": d.pk, "kind": d.kind, "duplicate_of": d.duplicate_of_id}
                for d in documents
            ],
        },
    )  # fmt: skip


def _answer_known(origin: Origin, sha: str, key: str | None) -> IngestResult | None:
    """Inside the transaction: the earlier answer when the key or the file is known."""
    replay = _replay(origin.organization, key, sha)
    if replay is not None:
        return replay
    existing = _existing(origin.organization, sha)
    if not existing:
        return None
    _remember_key(origin, key, sha, existing, created=False)
    return IngestResult(documents=existing, created=False, duplicate_file=True)


def _write(
    origin: Origin, data: bytes, sha: str, filename: str, result: ReadResult | Kept,
    key: str | None, ip: str | None, *, look_first: bool,
) -> IngestResult:  # fmt: skip
    """One transaction that stores the file and its documents.

    ``look_first=False`` (nothing was known a moment ago) skips the lookups; a concurrent
    request that stored the same file or used the same key first then makes an insert
    fail on a unique constraint, and the caller runs this again with ``look_first=True``.
    """
    written = Written()
    try:
        with transaction.atomic():
            try:
                if look_first:
                    known = _answer_known(origin, sha, key)
                    if known is not None:
                        return known
                stored = store_file(
                    origin.organization, data, sha, filename=filename, written=written,
                    content_type=sniff_content_type(data), look_first=look_first,
                    on_new=lambda: charge_quota(origin.organization, len(data)),
                )  # fmt: skip
                documents = _create_documents(origin, stored, result)
                _remember_key(origin, key, sha, documents, created=True)
                _audit(origin, stored, documents, ip)
                publish(DocumentEvent.READ, documents)
            except BaseException:
                written.discard()  # while the row's unique key is still ours
                raise
    except BaseException:
        written.discard()  # the commit itself failed
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
    receipt_category: str | None = None,
    kind: str | None = None,
    idempotency_key: str | None = None,
    source_file: StoredFile | None = None,
    ip: str | None = None,
) -> IngestResult:
    """Store ``data`` once and create one document per business document found in it.

    The same file again answers the existing documents (``created=False``,
    ``duplicate_file=True``); the same payment or invoice in another file gives a new
    document whose ``duplicate_of`` is the first one. ``source_file`` is the file the data
    arrived in when it differs (the raw e-mail of an attachment). A file in which nothing
    is found (a PDF letter, a photo without a QR code) is refused unless the caller asks to
    keep it: ``keep_unreadable_as_other`` keeps it as an "other" document (or as ``kind``),
    ``receipt_category`` (a :class:`Document.ReceiptCategory`) as a purchase receipt.
    ``kind`` (one of :data:`.categories.CHOOSABLE_KINDS`) is the uploader's choice for every
    document whose data does not determine its kind (see :mod:`.categories`): a kept file,
    an e-invoice naming neither the organization nor a linked one. Raises
    :class:`~ledgerbridge.hub.core.errors.Invalid` or
    :class:`~ledgerbridge.hub.core.errors.Conflict` subclasses with a stable code, and then
    nothing is stored.
    """
    if source not in Document.Source.values:
        raise Invalid(ErrorCode.SOURCE_INVALID, _("Unknown document source."))
    if source in _SOURCE_FEATURES:
        plan_require_feature(organization=organization, feature=_SOURCE_FEATURES[source])
    chosen = _choice(kind=kind, receipt_category=receipt_category)
    # a receipt category without a kind is the scan app's "keep this photo as a receipt"
    keep = keep_unreadable_as_other or (kind is None and receipt_category is not None)
    kept = (chosen or Kept()) if keep else None
    filename = safe_filename(filename)  # a client's name: no directories, no line breaks
    sha = hashlib.sha256(data).hexdigest()
    origin = Origin(organization, source, actor, token, source_file, chosen)
    replay = _replay(organization, idempotency_key, sha)
    if replay is not None:
        return replay
    check_size(data)
    known = _known_file(organization, sha)
    # A known file is not read again: its documents exist already.
    found = None if known else read_upload(data, filename, keep_unreadable=kept is not None)
    result: ReadResult | Kept = found if found is not None else kept or Kept()
    try:
        return _write(origin, data, sha, filename, result, idempotency_key, ip, look_first=known)
    except IntegrityError:
        # A concurrent request stored the same file or used the same key first (unique
        # constraints), or the file is kept already as an e-mail: answer as it was answered.
        return _write(origin, data, sha, filename, result, idempotency_key, ip, look_first=True)
