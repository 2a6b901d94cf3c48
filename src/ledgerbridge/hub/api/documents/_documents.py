"""``/documents``: upload (multipart or raw body, ``Idempotency-Key``), list, detail, download.

The upload never lets Django read more than the cap: the declared ``Content-Length`` is
checked before the body is touched, and a raw body is read with a limit. A chunked body
(``Transfer-Encoding: chunked``, no length) is read from the server's input stream up to
one byte past the cap, and a multipart one parsed from those bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext_lazy as _
from ninja import Query, Status

from ledgerbridge.hub.api._common import ERRORS, paginate
from ledgerbridge.hub.api.auth import client_ip, require
from ledgerbridge.hub.api.documents._common import (
    UPLOAD_ERRORS,
    document_out,
    router,
    sending_out,
    status_change_out,
    visible_documents,
)
from ledgerbridge.hub.api.documents._schemas import (
    DocumentDetailOut,
    DocumentPage,
    DocumentQuery,
    IngestOut,
    KindIn,
    UploadQuery,
)
from ledgerbridge.hub.api.schemas import Id  # noqa: TC001  # ninja reads the annotation at run time
from ledgerbridge.hub.core.codes import ErrorCode, FormatCode
from ledgerbridge.hub.core.errors import Invalid, NotFound
from ledgerbridge.hub.core.http import content_disposition
from ledgerbridge.hub.documents import selectors, services
from ledgerbridge.hub.documents.errors import FileTooLarge
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange import selectors as exchange_selectors
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.api.auth import Principal

# Room for the multipart boundaries and headers around the file itself.
MULTIPART_OVERHEAD = 64 * 1024
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "image/*": {"schema": {"type": "string", "format": "binary"}},
        "application/xml": {"schema": {"type": "string", "format": "binary"}},
    },
}
# The original is answered with its own media type, judged by its content when it came in.
_ORIGINAL_FILE = {
    "description": "the original file, as an attachment, with the media type judged by its "
    "content: application/pdf, image/png, image/jpeg, image/webp, image/tiff, image/heic, "
    "application/xml, text/plain, message/rfc822, else application/octet-stream",
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}
_IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "the same key with the same file answers the same documents (200)",
}


def _too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(
        FormatCode.FILE_TOO_LARGE, _("The file is larger than %(limit)d bytes.") % {"limit": limit}
    )


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as err:
        raise Invalid(
            ErrorCode.CONTENT_LENGTH_INVALID, _("The Content-Length is not a number.")
        ) from err


def _chunked(request: HttpRequest) -> bool:
    """A body without a length: Django reads none of it, so it is read here."""
    encoding = str(request.META.get("HTTP_TRANSFER_ENCODING", "")).lower()
    return "chunked" in encoding and not request.META.get("CONTENT_LENGTH")


def _read_stream(request: HttpRequest, cap: int) -> bytes:
    """Up to ``cap + 1`` bytes of a chunked body from the WSGI server's decoded input."""
    stream = request.META["wsgi.input"]
    parts: list[bytes] = []
    size = 0
    while size <= cap:
        part = stream.read(min(64 * 1024, cap + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _multipart_files(request: HttpRequest, limit: int) -> Any:
    """The multipart files; a chunked body is read (capped) and parsed from memory."""
    if not _chunked(request):
        return request.FILES
    body = _read_stream(request, limit + MULTIPART_OVERHEAD)
    if len(body) > limit + MULTIPART_OVERHEAD:
        raise _too_large(limit)
    meta = {**request.META, "CONTENT_LENGTH": str(len(body))}
    parser = MultiPartParser(meta, io.BytesIO(body), request.upload_handlers, request.encoding)
    _fields, files = parser.parse()
    return files


def _multipart_file(request: HttpRequest, limit: int) -> tuple[bytes, str]:
    if _declared_length(request) > limit + MULTIPART_OVERHEAD:
        raise _too_large(limit)
    try:
        uploaded = _multipart_files(request, limit).get("file")
    except (MultiPartParserError, SuspiciousOperation) as err:
        raise Invalid(
            ErrorCode.MULTIPART_INVALID, _("The multipart body cannot be parsed.")
        ) from err
    if uploaded is None:
        raise Invalid(ErrorCode.FILE_MISSING, _("Send the file in the multipart field 'file'."))
    if uploaded.size is not None and uploaded.size > limit:
        raise _too_large(limit)
    return uploaded.read(limit + 1), uploaded.name or "upload"


def _raw_body(request: HttpRequest, limit: int) -> bytes:
    if _declared_length(request) > limit:
        raise _too_large(limit)
    if _chunked(request):
        return _read_stream(request, limit)
    # Read from the stream, not request.body: only ``limit + 1`` bytes are ever buffered.
    return request.read(limit + 1)


def _raw_name(request: HttpRequest) -> str | None:
    """The name of a raw body: ``?filename=``, else the ``Content-Disposition`` header's."""
    if "filename" in request.GET:
        return None  # the query's, validated by its schema
    _value, parameters = parse_header_parameters(request.headers.get("Content-Disposition", ""))
    return parameters.get("filename") or None


def read_upload(request: HttpRequest) -> tuple[bytes, str | None]:
    """The uploaded file's bytes (capped) and its name, from multipart or a raw body."""
    limit = services.max_upload_bytes()
    name: str | None
    if request.content_type == "multipart/form-data":
        data, name = _multipart_file(request, limit)
    else:
        data, name = _raw_body(request, limit), _raw_name(request)
    if len(data) > limit:
        raise _too_large(limit)
    return data, name


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 200:
        raise Invalid(
            ErrorCode.IDEMPOTENCY_KEY_INVALID, _("An Idempotency-Key has 1 to 200 characters.")
        )
    return key


def _keep_arguments(query: UploadQuery) -> dict[str, Any]:
    """``keep_unreadable`` and ``kind``/``category`` as the ingest service takes them."""
    arguments: dict[str, Any] = {}
    if query.kind is not None:
        arguments["kind"] = query.kind.value
    if query.kind == Document.Kind.PURCHASE_RECEIPT:
        # the service refuses a missing category with ``receipt-category-invalid``
        arguments["receipt_category"] = query.category.value if query.category else ""
    if query.keep_unreadable:
        arguments["keep_unreadable_as_other"] = True
    return arguments


@router.post(
    "/documents",
    response={200: IngestOut, 201: IngestOut, **UPLOAD_ERRORS},
    tags=["documents"],
    openapi_extra={"requestBody": _UPLOAD_BODY, "parameters": [_IDEMPOTENCY_HEADER]},
)
def document_upload(request: HttpRequest, query: Query[UploadQuery]) -> Status[IngestOut]:
    """Upload one file (``documents.upload``): multipart field ``file`` or the raw body with
    its ``Content-Type`` and ``?filename=`` (or a ``Content-Disposition`` with a file name;
    only the base name is kept). 201 with the documents found; 200 when the
    same file or the same ``Idempotency-Key`` was sent before. A file in which nothing is
    found is refused (422) unless ``keep_unreadable=true``: then it is kept as an ``other``
    document, or with ``kind=purchase_receipt&category=meals`` (for example) as a purchase
    receipt of that category — a photo of a till receipt. ``kind`` also names the category
    of an e-invoice that names neither this organization nor a linked one (it gets the
    warning finding ``not-addressed-to-organization``)."""
    caller = require(request, Permission.DOCUMENTS_UPLOAD)
    key = _idempotency_key(request)
    data, name = read_upload(request)
    result = services.document_ingest(
        organization=caller.organization, data=data, filename=name or query.filename,
        source=query.source, actor=caller.user, token=caller.token,
        idempotency_key=key, ip=client_ip(request), **_keep_arguments(query),
    )  # fmt: skip
    body = IngestOut(
        documents=[document_out(d) for d in result.documents],
        created=result.created,
        duplicate_file=result.duplicate_file,
    )
    return Status(201 if result.created else 200, body)


@router.get("/documents", response={200: DocumentPage, **ERRORS}, tags=["documents"])
def document_list(request: HttpRequest, query: Query[DocumentQuery]) -> DocumentPage:
    """The organization's documents, newest first, filtered and searched (``documents.view``;
    with only ``documents.upload``: the caller's own)."""
    _caller, documents = visible_documents(
        request, kind=query.kind, status=query.status, source=query.source,
        duplicate=query.duplicate, since=query.since, until=query.until, search=query.q,
    )  # fmt: skip
    return paginate(DocumentPage, documents, query=query, out=document_out)


def _visible_document(request: HttpRequest, document_id: int) -> tuple[Principal, Document]:
    caller, documents = visible_documents(request)
    document = documents.filter(pk=document_id).first()
    if document is None:
        raise NotFound(ErrorCode.DOCUMENT_NOT_FOUND, _("No such document."))
    return caller, document


def _document(request: HttpRequest, document_id: int) -> Document:
    return _visible_document(request, document_id)[1]


@router.get(
    "/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS}, tags=["documents"]
)
def document_detail(request: HttpRequest, document_id: Id) -> DocumentDetailOut:
    """One document with its status history and, under ``exchange``, where it was sent:
    each link's office, the office's status (with reference or reason), what happened at
    source, and the history of that sending."""
    caller, document = _visible_document(request, document_id)
    history = selectors.document_status_history(document=document)
    sendings = exchange_selectors.document_sendings(
        organization=caller.organization, document=document
    )
    # dict() of a schema is shallow: the fields of the DocumentOut, as they are.
    return DocumentDetailOut(
        **dict(document_out(document)),
        history=[status_change_out(c) for c in history],
        exchange=[sending_out(s) for s in sendings],
    )


@router.patch(
    "/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS}, tags=["documents"]
)
def document_set_kind(request: HttpRequest, document_id: Id, body: KindIn) -> DocumentDetailOut:
    """Correct the document's category (``documents.upload``; without ``documents.view``
    only for one's own uploads). The same kind again changes nothing. 422
    ``document-kind-needs-qr-bill`` (payment_slip for anything but a QR-bill),
    ``document-kind-needs-bank-statement`` (bank_statement for anything but camt.053),
    ``document-kind-slip-not-pending`` (a slip exported for payment, processed or rejected
    stays a slip); a payment slip entering or leaving moves between pending and received.
    Audited as ``document_kind_changed``."""
    caller = require(request, Permission.DOCUMENTS_UPLOAD)
    document = _document(request, document_id)
    services.document_set_kind(
        document=document, kind=body.kind.value, actor=caller.user, token=caller.token,
        ip=client_ip(request),
    )  # fmt: skip
    return document_detail(request, document_id)


@router.get(
    "/documents/{document_id}/file",
    response=ERRORS,
    tags=["documents"],
    url_name="document_file",
    openapi_extra={"responses": {200: _ORIGINAL_FILE}},
)
def document_file(request: HttpRequest, document_id: Id) -> FileResponse:
    """Download the original file the document was read from."""
    stored = _document(request, document_id).file
    response = FileResponse(
        default_storage.open(stored.storage_name, "rb"), content_type=stored.content_type
    )
    # safe_filename again for a name stored before names were cleaned on the way in
    response["Content-Disposition"] = content_disposition(
        services.safe_filename(stored.original_name)
    )
    response["ETag"] = f'"{stored.sha256}"'  # content-addressed: the hash is the version
    return response
