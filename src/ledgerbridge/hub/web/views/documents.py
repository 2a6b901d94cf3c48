"""Documents: upload several files at once, list with filters and search, detail, download.

The upload page posts one or more files (the page's script sends each file in its own
request to show per-file progress; without a script the form posts them all at once).
Each file goes through :func:`~ledgerbridge.hub.documents.services.document_ingest`; the
answer per file is "created", "already there" (the same file again), "possible duplicate"
or the service's specific refusal. A script asking with ``Accept: application/json`` gets
the same results as JSON.

The detail page shows the original beside the extracted fields as
:mod:`ledgerbridge.hub.documents.originals` prepares it, and the document's data per kind
as :mod:`ledgerbridge.hub.documents.presenters` lays it out; :func:`document_page` serves a
PDF page as PNG, cached by the browser only, with a link that opens the PDF itself.
A person who may upload corrects the document's category there (:func:`document_kind`,
a plain POST that comes back to the page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.core.http import client_ip, content_disposition
from ledgerbridge.hub.documents import originals, presenters, selectors, services
from ledgerbridge.hub.documents.categories import CHOOSABLE_KINDS, allowed_kinds
from ledgerbridge.hub.documents.errors import finding_message
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange import selectors as exchange_selectors
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.templatetags.ledger_l10n import money
from ledgerbridge.hub.web.views._common import paginate
from ledgerbridge.hub.web.views._document_forms import DocumentFilterForm
from ledgerbridge.hub.web.views.sending import detail_exchange_context, list_exchange_context

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

__all__ = [
    "document_detail",
    "document_file",
    "document_kind",
    "document_list",
    "document_page",
    "document_upload",
]

_PAGE_SIZE = 25


def _document_row(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "url": reverse("web:document_detail", kwargs={"document_id": document.pk}),
        "kind": document.kind,
        "label": str(document.get_kind_display()),
        "creditor": document.creditor_name,
        "amount": str(document.amount) if document.amount is not None else "",
        "currency": document.currency,
        # as the portal writes it: "CHF 3'009.64" in the regional format, with a no-break space
        "amount_display": money(document.amount, document.currency),
        "duplicate_of": document.duplicate_of_id,
    }


def ingest_outcome(result: services.IngestResult) -> str:
    """``created``, ``existing`` (the same file again) or ``duplicate`` (the same payment)."""
    if not result.created:
        return "existing"
    if any(d.duplicate_of_id for d in result.documents):
        return "duplicate"
    return "created"


_OUTCOME_MESSAGES = {
    "created": lambda: _("Stored."),
    "existing": lambda: _("Already there: this file was uploaded before; nothing new stored."),
    "duplicate": lambda: _("Stored, but flagged as a possible duplicate of an earlier document."),
}


def _keep_arguments(request: AuthedOrgRequest) -> dict[str, Any]:
    """The uploader's category for documents the content does not sort (``keep_as``), and
    whether to keep a file without a readable document at all."""
    kind = request.POST.get("keep_as") or Document.Kind.OTHER
    arguments: dict[str, Any] = {"kind": kind}
    if kind == Document.Kind.PURCHASE_RECEIPT:
        arguments["receipt_category"] = request.POST.get("category", "")
    if request.POST.get("keep_unreadable") in {"on", "1", "true"}:
        arguments["keep_unreadable_as_other"] = True
    return arguments


def _kind_choices(kinds: frozenset[str]) -> list[tuple[str, str]]:
    """``(value, label)`` of ``kinds`` in the order of :class:`Document.Kind`."""
    return [(value, str(label)) for value, label in Document.Kind.choices if value in kinds]


def _ingest_upload(
    request: AuthedOrgRequest, upload: UploadedFile[bytes], *, keep: dict[str, Any]
) -> dict[str, Any]:
    name = upload.name or "upload"
    # One byte past the limit is enough for the service to answer ``file-too-large``
    # without this process reading a huge upload into memory.
    data = upload.read(services.max_upload_bytes() + 1)
    try:
        result = services.document_ingest(
            organization=request.organization,
            data=data,
            filename=name,
            source=Document.Source.UPLOAD,
            actor=request.user,
            **keep,
            ip=client_ip(request),
        )
    except ServiceError as exc:
        return {"name": name, "outcome": "error", "status": exc.status, "code": exc.code,
                "message": str(exc.message), "documents": []}  # fmt: skip
    outcome = ingest_outcome(result)
    return {
        "name": name, "outcome": outcome, "status": 201 if result.created else 200,
        "code": outcome, "message": _OUTCOME_MESSAGES[outcome](),
        "documents": [_document_row(d) for d in result.documents],
    }  # fmt: skip


def _overall_status(results: list[dict[str, Any]]) -> int:
    """201 when something new was stored; a refusal's own status when every file failed."""
    if results and all(r["outcome"] == "error" for r in results):
        return int(results[0]["status"])
    return 201 if any(r["status"] == 201 for r in results) else 200


@org_permission_required(Permission.DOCUMENTS_UPLOAD)
@require_http_methods(["GET", "POST"])
def document_upload(request: AuthedOrgRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "max_bytes": services.max_upload_bytes(),
        "results": [],
        "receipt_categories": Document.ReceiptCategory.choices,
        # "other" first: the default, the same as choosing nothing
        "chosen_kinds": sorted(
            _kind_choices(CHOOSABLE_KINDS), key=lambda c: c[0] != Document.Kind.OTHER
        ),
        "labels": {
            "created": _("created"), "existing": _("already there"),
            "duplicate": _("possible duplicate"), "error": _("refused"),
            "uploading": _("uploading"),
            # the script puts the refusal's code in; it is shown small, for support
            "supportCode": _("Code for support: %(code)s"),
        },
    }  # fmt: skip
    if request.method != "POST":
        return render(request, "web/documents/upload.html", context)
    keep = _keep_arguments(request)
    uploads = request.FILES.getlist("files")
    if uploads:
        results = [_ingest_upload(request, upload, keep=keep) for upload in uploads]
    else:
        results = [{"name": "", "outcome": "error", "status": 400, "code": ErrorCode.FILE_MISSING,
                    "message": _("Choose at least one file."), "documents": []}]  # fmt: skip
    status = _overall_status(results)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"results": results}, status=status)
    context["results"] = results
    return render(request, "web/documents/upload.html", context, status=status)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def document_list(request: AuthedOrgRequest) -> HttpResponse:
    organization = request.organization
    form = DocumentFilterForm(request.GET)
    valid = form.is_valid()
    documents = selectors.document_list(
        organization=organization, **(form.selector_arguments() if valid else {})
    )
    if valid and form.cleaned_data.get("exchange"):
        documents = exchange_selectors.documents_by_exchange_state(
            documents, organization=organization, state=form.cleaned_data["exchange"]
        )
    if not valid:
        documents = documents.none()
    page = paginate(request, documents, _PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    shown = list(page.object_list)
    can_send = Permission.DOCUMENTS_SEND in request.org_permissions
    context = {
        "form": form,
        "page": page,
        "documents": shown,
        "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "can_upload": Permission.DOCUMENTS_UPLOAD in request.org_permissions,
        "exchanges": exchange_selectors.client_has_offices(organization=organization),
        "send_links": list(exchange_selectors.office_links_of_client(organization=organization))
        if can_send
        else [],
        **list_exchange_context(organization, shown),
    }
    template = "web/documents/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "document-table":
        template += "#document-table"
    return render(request, template, context, status=200 if valid else 422)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def document_detail(request: AuthedOrgRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(organization=request.organization, document_id=document_id)
    return _detail(request, document)


def _detail(
    request: AuthedOrgRequest, document: Document, *, refusal: ServiceError | None = None
) -> HttpResponse:
    """The detail page; with ``refusal``, the category form's error and its status."""
    history = list(selectors.document_status_history(document=document))
    siblings = (
        selectors.document_list(organization=request.organization)
        .filter(file_id=document.file_id)
        .exclude(pk=document.pk)
    )
    context = {
        "document": document,
        "original": originals.original_view(document.file),
        "view": presenters.document_data_view(
            document.kind,
            document.data,
            page=request.GET.get("page"),
            data_format=document.format,
        ),
        "history": history,
        "findings": [{**f, "text": finding_message(f)} for f in document.findings or []],
        "kind_choices": _kind_choices(allowed_kinds(document.format) | {document.kind}),
        "can_set_kind": _may_set_kind(request),
        "duplicates": list(document.duplicates.filter(organization=request.organization)),
        "siblings": list(siblings),
        "can_process": Permission.PAYMENT_SLIPS_PROCESS in request.org_permissions,
        **detail_exchange_context(request, document),
        "kind_refusal": refusal,
    }
    status = refusal.status if refusal is not None else 200
    return render(request, "web/documents/detail.html", context, status=status)


def _may_set_kind(request: AuthedOrgRequest) -> bool:
    """``documents.upload`` corrects the category the uploader could have chosen; on the
    web, from the detail page, which ``documents.view`` shows."""
    permissions = request.org_permissions
    return {Permission.DOCUMENTS_UPLOAD, Permission.DOCUMENTS_VIEW} <= permissions


@org_permission_required(Permission.DOCUMENTS_UPLOAD)
@require_POST
def document_kind(request: AuthedOrgRequest, document_id: int) -> HttpResponse:
    """Correct the document's category (``kind``): back to its page when done; a refusal
    shows the page again with the reason and the refusal's status (422), nothing changed."""
    if not _may_set_kind(request):
        return render(
            request, "web/403.html", {"permission": Permission.DOCUMENTS_VIEW}, status=403
        )
    document = selectors.document_get(organization=request.organization, document_id=document_id)
    before = document.kind
    try:
        changed = services.document_set_kind(
            document=document, kind=request.POST.get("kind", ""), actor=request.user,
            ip=client_ip(request),
        )  # fmt: skip
    except ServiceError as exc:
        return _detail(request, document, refusal=exc)
    if changed.kind != before:
        messages.success(
            request,
            _("Category changed to %(kind)s.") % {"kind": changed.get_kind_display()},
        )
    return redirect("web:document_detail", document_id=document.pk)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def document_file(request: AuthedOrgRequest, document_id: int) -> HttpResponse:
    """The original file; ``?inline=1`` shows a PDF or image in the page's frame."""
    document = selectors.document_get(organization=request.organization, document_id=document_id)
    stored = document.file
    inline = request.GET.get("inline") == "1" and stored.content_type in originals.INLINE_TYPES
    response = HttpResponse(originals.original_bytes(stored), content_type=stored.content_type)
    # safe_filename again for a name stored before names were cleaned on the way in
    response["Content-Disposition"] = content_disposition(
        services.safe_filename(stored.original_name), as_attachment=not inline
    )
    if inline:
        # the detail page frames the PDF: allow it for this response, from this site only
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = "frame-ancestors 'self'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def document_page(request: AuthedOrgRequest, document_id: int, page: int) -> HttpResponse:
    """One page of a PDF original as a PNG image (the first pages only); 404 otherwise."""
    document = selectors.document_get(organization=request.organization, document_id=document_id)
    stored = document.file
    if stored.content_type != "application/pdf":
        raise Http404
    png = originals.render_pdf_page(originals.original_bytes(stored), page)
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    # the original never changes (content-addressed), so the browser may keep the image
    response["Cache-Control"] = "private, max-age=86400"
    return response
