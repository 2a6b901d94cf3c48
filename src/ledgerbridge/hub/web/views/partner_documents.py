"""One document a client sent to the office: the snapshot, its status, history and actions.

The page is the company's document detail (original beside the data and findings, the
data laid out per kind by :mod:`ledgerbridge.hub.documents.presenters`) drawn from the
SNAPSHOT the client sent (``SentDocument.data``, ``findings`` and ``file``), never from
the live document. Opening it the first time marks it received. The original belongs to
the client: it is served only through the office's selector, from the sent document.
Over a revoked link the page is read-only (no actions; the service refuses anyway).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.core.http import client_ip, content_disposition
from ledgerbridge.hub.documents import originals, presenters
from ledgerbridge.hub.documents.errors import finding_message
from ledgerbridge.hub.documents.services import safe_filename
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.exchange.models import ExchangeStatus, LinkStatus, SourceState
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.views._partner_forms import StatusForm
from ledgerbridge.hub.web.views.partner import client_of

if TYPE_CHECKING:
    from ledgerbridge.hub.exchange.models import SentDocument
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

__all__ = [
    "client_document_detail",
    "client_document_file",
    "client_document_page",
    "client_document_status",
]


def _sent(request: AuthedOrgRequest, client_id: int, sent_id: int) -> SentDocument:
    link = selectors.office_client_get(
        office=request.organization, membership=request.membership, client_id=client_id
    )
    return selectors.client_sent_get(
        office=request.organization, client=client_of(link), sent_id=sent_id
    )


def _detail(
    request: AuthedOrgRequest, sent: SentDocument, *, form: StatusForm | None = None,
    status: int = 200, error: str = "",
) -> HttpResponse:  # fmt: skip
    history = list(sent.changes.select_related("actor", "actor_token", "by_organization"))
    context: dict[str, Any] = {
        "sent": sent,
        "client": sent.organization,
        "original": originals.original_view(sent.file),
        "view": presenters.document_data_view(
            sent.kind, sent.data, page=request.GET.get("page"), data_format=sent.format
        ),
        "findings": [{**f, "text": finding_message(f)} for f in sent.findings or []],
        "history": history,
        "readonly": sent.link.status == LinkStatus.REVOKED,
        "form": form or StatusForm(),
        "error": error,
        "can_book": sent.source_state == SourceState.CURRENT,
        "newer_url": reverse(
            "web:client_document_detail",
            kwargs={"client_id": sent.organization_id, "sent_id": sent.replaced_by_id},
        ) if sent.replaced_by_id else "",
    }  # fmt: skip
    return render(request, "web/partner/detail.html", context, status=status)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def client_document_detail(request: AuthedOrgRequest, client_id: int, sent_id: int) -> HttpResponse:
    sent = _sent(request, client_id, sent_id)
    if sent.status == ExchangeStatus.SENT and sent.link.status != LinkStatus.REVOKED:
        services.sent_documents_mark_received(
            office=request.organization, sent_ids=[sent.pk], actor=request.user,
            ip=client_ip(request),
        )  # fmt: skip
        sent = _sent(request, client_id, sent_id)
    return _detail(request, sent)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_POST
def client_document_status(request: AuthedOrgRequest, client_id: int, sent_id: int) -> HttpResponse:
    """Set the office's status of one document (a refusal answers with its own status)."""
    sent = _sent(request, client_id, sent_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, sent, form=form, status=422)
    try:
        changed = services.sent_document_set_status(
            sent=sent, office=request.organization, status=form.cleaned_data["status"],
            reference=form.cleaned_data["reference"], reason=form.cleaned_data["reason"],
            actor=request.user, ip=client_ip(request),
        )  # fmt: skip
    except ServiceError as exc:
        return _detail(request, sent, form=form, status=exc.status, error=str(exc.message))
    if changed:
        messages.success(request, _("Status saved: the client sees it."))
    return redirect("web:client_document_detail", client_id=client_id, sent_id=sent_id)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def client_document_file(request: AuthedOrgRequest, client_id: int, sent_id: int) -> HttpResponse:
    """The original as sent; ``?inline=1`` shows a PDF or image in the page."""
    stored = _sent(request, client_id, sent_id).file
    inline = request.GET.get("inline") == "1" and stored.content_type in originals.INLINE_TYPES
    response = HttpResponse(originals.original_bytes(stored), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition(
        safe_filename(stored.original_name), as_attachment=not inline
    )
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = "frame-ancestors 'self'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def client_document_page(
    request: AuthedOrgRequest, client_id: int, sent_id: int, page: int
) -> HttpResponse:
    """One page of a PDF original as a PNG image (the first pages only); 404 otherwise."""
    stored = _sent(request, client_id, sent_id).file
    if stored.content_type != "application/pdf":
        raise Http404
    png = originals.render_pdf_page(originals.original_bytes(stored), page)
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response
