"""Sending documents to the accounting office, and the statuses that flow back, live.

The document list ticks documents and sends them over one of the organization's active
links (chosen when there are several); the detail page sends one. Sending is idempotent,
so the answer counts what was sent now, what had been sent before, and names each refusal
with the service's reason. Every document id is looked up in the current organization
first: a foreign one answers 404 and nothing is sent.

The statuses poll: the list's cells and the detail page's section each ask every few
seconds with the version they show (:func:`~ledgerbridge.hub.exchange.selectors.
sendings_version`, one aggregate query). Unchanged -> ``204`` with ``HX-Reswap: none``
(or ``304`` to a client that sends ``If-None-Match``), without reading a sending or
rendering anything; changed -> the new cells as out-of-band swaps, or the new section.

A sent document can be withdrawn (after a confirm step) or replaced by a corrected file,
which the service ingests and sends over the same links; a refusal is a message and
changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import NotFound, ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.documents import selectors as document_selectors
from ledgerbridge.hub.documents import services as document_services
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.views._common import confirm, run_service
from ledgerbridge.hub.web.views._document_forms import DocumentFilterForm
from ledgerbridge.hub.web.views._sendings import badge

if TYPE_CHECKING:
    from ledgerbridge.hub.exchange.models import ClientLink
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

__all__ = [
    "POLL_SECONDS",
    "detail_exchange_context",
    "document_exchange",
    "document_exchange_rows",
    "document_replace",
    "document_send",
    "document_withdraw",
]

POLL_SECONDS = 5
_MAX_SELECTED = 500
_MAX_POLLED = 100


def _ids(values: list[str], limit: int) -> list[int] | None:
    """Distinct ids in the order given; ``None`` for a value that is no id, or too many."""
    try:
        ids = list(dict.fromkeys(int(value) for value in values))
    except ValueError:
        return None
    return ids if len(ids) <= limit else None


def _list_query(source: QueryDict) -> str:
    """Only the document list's filter fields of ``source``, as a query string."""
    kept = QueryDict(mutable=True)
    for name in DocumentFilterForm.base_fields:
        value = source.get(name)
        if isinstance(value, str) and value:
            kept[name] = value
    return kept.urlencode()


def _back(request: AuthedOrgRequest, documents: list[Document]) -> HttpResponse:
    if request.POST.get("back") == "detail" and len(documents) == 1:
        return redirect("web:document_detail", document_id=documents[0].pk)
    query = _list_query(QueryDict(request.POST.get("query", "")))
    return redirect(reverse("web:document_list") + (f"?{query}" if query else ""))


def _chosen_link(request: AuthedOrgRequest, links: list[ClientLink]) -> ClientLink | None:
    """The link picked in the form; the only one when there is one. ``NotFound`` for an
    id that is not one of the organization's active links."""
    raw = request.POST.get("link", "")
    if not raw:
        return links[0] if len(links) == 1 else None
    for link in links:
        if str(link.pk) == raw:
            return link
    raise NotFound(ErrorCode.NOT_FOUND, _("No such link."))


def _name(document: Document) -> str:
    return document.creditor_name or document.file.original_name


def _report(
    request: AuthedOrgRequest, link: ClientLink, sent: int, already: int,
    refused: list[tuple[Document, str]],
) -> None:  # fmt: skip
    office = link.office.name if link.office else ""
    if sent:
        messages.success(request, ngettext(
            "%(count)d document sent to %(office)s.",
            "%(count)d documents sent to %(office)s.", sent,
        ) % {"count": sent, "office": office})  # fmt: skip
    if already:
        messages.info(request, ngettext(
            "%(count)d document had been sent to %(office)s before; it was not sent again.",
            "%(count)d documents had been sent to %(office)s before; they were not sent again.",
            already,
        ) % {"count": already, "office": office})  # fmt: skip
    for document, reason in refused:
        messages.error(request, _("Not sent: %(document)s. %(reason)s") % {
            "document": _name(document), "reason": reason,
        })  # fmt: skip


@org_permission_required(Permission.DOCUMENTS_SEND)
@require_POST
def document_send(request: AuthedOrgRequest) -> HttpResponse:
    """Send the ticked documents (``ids``) over the chosen link (``link``)."""
    ids = _ids(request.POST.getlist("ids"), _MAX_SELECTED)
    if ids is None:
        return HttpResponseBadRequest(_("The selection is not valid."))
    organization = request.organization
    documents = [
        document_selectors.document_get(organization=organization, document_id=pk) for pk in ids
    ]
    links = list(selectors.office_links_of_client(organization=organization))
    link = _chosen_link(request, links) if links else None
    back = _back(request, documents)
    if not documents:
        messages.error(request, _("Tick the documents to send."))
        return back
    if not links:
        messages.error(request, _("Connect your accounting office first: no link is active."))
        return back
    if link is None:
        messages.error(request, _("Choose the accounting office to send to."))
        return back
    sent, already, refused = 0, 0, []
    for document in documents:
        try:
            _sending, created = services.document_send(
                document=document, link=link, actor=request.user, ip=client_ip(request)
            )
        except ServiceError as exc:
            refused.append((document, str(exc.message)))
            continue
        sent, already = sent + created, already + (not created)
    _report(request, link, sent, already, refused)
    return back


def _unchanged(request: AuthedOrgRequest, version: str) -> HttpResponse | None:
    """The short answer when the poller already shows ``version``, else ``None``."""
    if request.headers.get("If-None-Match") == f'"{version}"':
        return HttpResponse(status=304, headers={"ETag": f'"{version}"'})
    if request.GET.get("v") == version:
        return HttpResponse(status=204, headers={"HX-Reswap": "none"})
    return None


def _fresh(response: HttpResponse, version: str) -> HttpResponse:
    response["ETag"] = f'"{version}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def list_exchange_context(organization: Any, documents: list[Document]) -> dict[str, Any]:
    """The list's exchange cells: each shown document with its badges, and the poller's
    version (two queries whatever the number of documents)."""
    version = selectors.sendings_version(organization=organization)
    found = selectors.sendings_by_document(
        organization=organization, document_ids=[d.pk for d in documents]
    )
    return {
        "rows": [(d, [badge(s) for s in found.get(d.pk, [])]) for d in documents],
        "exchange_version": version,
        "exchange_ids": [d.pk for d in documents],
        "poll_seconds": POLL_SECONDS,
    }


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def document_exchange_rows(request: AuthedOrgRequest) -> HttpResponse:
    """The list's exchange cells of the documents ``ids`` (out-of-band swaps)."""
    ids = _ids(request.GET.getlist("ids"), _MAX_POLLED)
    if ids is None:
        return HttpResponseBadRequest(_("The selection is not valid."))
    version = selectors.sendings_version(organization=request.organization)
    unchanged = _unchanged(request, version)
    if unchanged is not None:
        return unchanged
    found = selectors.sendings_by_document(organization=request.organization, document_ids=ids)
    context = {
        "cells": [(pk, [badge(s) for s in found.get(pk, [])]) for pk in ids],
        "exchange_version": version,
        "exchange_ids": ids,
        "poll_seconds": POLL_SECONDS,
    }
    return _fresh(render(request, "web/documents/_exchange_rows.html", context), version)


def detail_exchange_context(request: AuthedOrgRequest, document: Document) -> dict[str, Any]:
    """The detail page's exchange section: each sending with its history, the links to
    send over and whether the document can be withdrawn or replaced."""
    sendings = list(
        selectors.document_sendings(organization=request.organization, document=document)
    )
    can_send = Permission.DOCUMENTS_SEND in request.org_permissions
    sent_over = {s.link_id for s in sendings}
    links = selectors.office_links_of_client(organization=request.organization)
    return {
        "sendings": [badge(s) for s in sendings],
        "exchange_version": selectors.sendings_version(organization=request.organization),
        "poll_seconds": POLL_SECONDS,
        # the offices it can still go to (sending again would change nothing)
        "send_links": [link for link in links if link.pk not in sent_over] if can_send else [],
        "can_change_sent": can_send
        and any(s.source_state == "current" and s.link.status != "revoked" for s in sendings),
    }


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def document_exchange(request: AuthedOrgRequest, document_id: int) -> HttpResponse:
    """The detail page's exchange section, polled."""
    document = document_selectors.document_get(
        organization=request.organization, document_id=document_id
    )
    version = selectors.sendings_version(organization=request.organization)
    unchanged = _unchanged(request, version)
    if unchanged is not None:
        return unchanged
    context = {"document": document, **detail_exchange_context(request, document)}
    return _fresh(render(request, "web/documents/_exchange_section.html", context), version)


@org_permission_required(Permission.DOCUMENTS_SEND)
@require_http_methods(["GET", "POST"])
def document_withdraw(request: AuthedOrgRequest, document_id: int) -> HttpResponse:
    document = document_selectors.document_get(
        organization=request.organization, document_id=document_id
    )
    back = reverse("web:document_detail", kwargs={"document_id": document.pk})
    if request.method != "POST":
        return confirm(
            request,
            title=_("Withdraw this document from the accounting office?"),
            question=_(
                "The accounting office will see it as “cancelled at source” and should not "
                "book it. It stays in your documents, and what was sent stays readable to "
                "the office."
            ),
            button=_("Withdraw"),
            danger=True,
            back=back,
        )
    run_service(
        request,
        lambda: services.document_withdraw(
            document=document, actor=request.user, ip=client_ip(request)
        ),
        done=_("Withdrawn: the accounting office sees the document as cancelled at source."),
    )
    return redirect(back)


@org_permission_required(Permission.DOCUMENTS_SEND)
@require_http_methods(["GET", "POST"])
def document_replace(request: AuthedOrgRequest, document_id: int) -> HttpResponse:
    """Upload a corrected file for a sent document; it is sent over the same links."""
    document = document_selectors.document_get(
        organization=request.organization, document_id=document_id
    )
    context: dict[str, Any] = {"document": document, "error": ""}
    if request.method != "POST":
        return render(request, "web/documents/replace.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Choose the corrected file.")
        return render(request, "web/documents/replace.html", context, status=400)
    try:
        replacement = services.document_replace(
            document=document,
            data=upload.read(document_services.max_upload_bytes() + 1),
            filename=upload.name or "upload",
            source=Document.Source.UPLOAD,
            actor=request.user,
            ip=client_ip(request),
        )
    except ServiceError as exc:
        context["error"] = str(exc.message)
        return render(request, "web/documents/replace.html", context, status=exc.status)
    messages.success(
        request,
        ngettext(
            "The corrected document was sent to %(count)d accounting office; the office sees "
            "the earlier one as changed at source.",
            "The corrected document was sent to %(count)d accounting offices; they see the "
            "earlier one as changed at source.",
            len(replacement.sendings),
        )
        % {"count": len(replacement.sendings)},
    )
    return redirect("web:document_detail", document_id=replacement.document.pk)
