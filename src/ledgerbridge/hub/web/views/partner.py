"""The partner space of an accounting office: its clients, and each client's documents.

:func:`client_list` shows the office's clients (an accountant only the assigned ones: the
selector decides) with the link's counters, searchable, sortable by each column and paged.
:func:`client_documents` shows what one client sent, in category tabs with filters. Its
table polls :func:`client_rows` every few seconds; the answer carries an ``ETag`` made
from one aggregate over the client's sent documents, so an unchanged table costs a
``304`` without reading a row (the page's script then leaves the table alone).

The ticked documents are booked, rejected (with a reason) or downloaded as one ZIP of
their originals. Acting is all or nothing: every id is looked up through the office's
selector first (a foreign id answers 404 and changes nothing), then the services run in
one transaction; a refusal (link revoked, document withdrawn) answers with its status.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import NotFound, ServiceError
from ledgerbridge.hub.core.http import client_ip, content_disposition
from ledgerbridge.hub.documents.services import safe_filename
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.exchange.models import Category, ExchangeStatus, LinkStatus
from ledgerbridge.hub.identity.models import Organization
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.views._common import paginate
from ledgerbridge.hub.web.views._partner_forms import (
    CLIENT_COLUMNS,
    BookForm,
    ClientSearchForm,
    RejectForm,
    SentFilterForm,
)
from ledgerbridge.hub.web.views._zipstream import unique_names, zip_stream

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ledgerbridge.hub.exchange.models import ClientLink, SentDocument
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

__all__ = [
    "POLL_SECONDS",
    "client_book",
    "client_documents",
    "client_download",
    "client_list",
    "client_reject",
    "client_rows",
]

POLL_SECONDS = 4
CLIENTS_PER_PAGE = 25
DOCUMENTS_PER_PAGE = 25
MAX_SELECTED = 200
# The ZIP of ticked originals: at most this much, so one click cannot stream gigabytes.
MAX_ZIP_BYTES = 200 * 1024 * 1024
_CHUNK = 256 * 1024
_OFFICE_KINDS = {Organization.Kind.ACCOUNTING_OFFICE, Organization.Kind.BOTH}


def _link(request: AuthedOrgRequest, client_id: int) -> ClientLink:
    return selectors.office_client_get(
        office=request.organization, membership=request.membership, client_id=client_id
    )


def client_of(link: ClientLink) -> Organization:
    """The client of an accepted link (the office's selectors return no other)."""
    if link.client is None:
        raise NotFound(ErrorCode.NOT_FOUND, _("No such client."))
    return link.client


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def client_list(request: AuthedOrgRequest) -> HttpResponse:
    form = ClientSearchForm(request.GET)
    valid = form.is_valid()
    links = selectors.office_clients(
        office=request.organization,
        membership=request.membership,
        filters=form.filters() if valid else None,
    )
    page = paginate(request, links if valid else links.none(), CLIENTS_PER_PAGE)
    sort = (form.cleaned_data.get("sort") if valid else "") or "name"
    search = form.cleaned_data.get("q", "") if valid else ""
    context = {
        "form": form,
        "page": page,
        "links": list(page.object_list),
        "columns": _columns(sort, search),
        "query": _query(request.GET, drop=("page",)),
        "search": search,
        "is_office": request.organization.kind in _OFFICE_KINDS,
    }
    template = "web/partner/clients.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "client-table":
        template += "#client-table"
    return render(request, template, context, status=200 if valid else 422)


def _columns(sort: str, search: str) -> list[dict[str, Any]]:
    """Each column's header: its link (the other order when it is the sorted one)."""
    out = []
    for key, label, numeric in CLIENT_COLUMNS:
        first = f"-{key}" if numeric else key
        current = sort.removeprefix("-") == key
        target = (key if sort.startswith("-") else f"-{key}") if current else first
        query = QueryDict(mutable=True)
        if search:
            query["q"] = search
        query["sort"] = target
        out.append({
            "key": key, "label": label, "numeric": numeric, "url": f"?{query.urlencode()}",
            "order": ("descending" if sort.startswith("-") else "ascending") if current else "",
        })  # fmt: skip
    return out


def _joined(*parts: str) -> str:
    """``?a&b`` of the non-empty ``parts``; nothing when all are empty."""
    kept = [part for part in parts if part]
    return "?" + "&".join(kept) if kept else ""


def _query(source: QueryDict, *, drop: tuple[str, ...]) -> str:
    kept = source.copy()
    for name in drop:
        kept.pop(name, None)
    return kept.urlencode()


# --- one client's documents -------------------------------------------------------------


def _etag(request: AuthedOrgRequest, link: ClientLink, query: str) -> str:
    """The table's ETag: its data, the filters and page, the language, who looks."""
    parts = (
        selectors.client_documents_version(office=request.organization, client=client_of(link)),
        link.status, query, get_language() or "",
        str(request.membership.pk), str(request.organization.region_for(request.user)),
    )  # fmt: skip
    return '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'


def _tab_counts(request: AuthedOrgRequest, link: ClientLink) -> dict[str, int]:
    """Documents per tab in one query (a QR-bill that is an invoice counts in both)."""
    sent = selectors.client_documents(office=request.organization, client=client_of(link))
    counts = {
        value: Count("id", filter=Q(category=value)) for value in Category.values
    } | {
        Category.INCOMING_INVOICE.value: Count(
            "id", filter=Q(category=Category.INCOMING_INVOICE) | Q(also_invoice=True)
        ),
        "all": Count("id"),
    }  # fmt: skip
    return dict(sent.order_by().aggregate(**counts))


def _rows_context(
    request: AuthedOrgRequest, link: ClientLink, filters: QueryDict
) -> dict[str, Any]:
    form = SentFilterForm(filters)
    valid = form.is_valid()
    sent = selectors.client_documents(
        office=request.organization, client=client_of(link),
        filters=form.filters() if valid else None,
    ).select_related("status_by")  # fmt: skip
    # The table shows no data or findings: their JSON is neither fetched nor decoded.
    sent = sent.defer("data", "findings", "replaced_by__data", "replaced_by__findings")
    page = paginate(request, sent if valid else sent.none(), DOCUMENTS_PER_PAGE)
    category = form.cleaned_data.get("category", "") if valid else ""
    counts = _tab_counts(request, link)
    tab_query = _query(filters, drop=("page", "category"))
    client_url = reverse("web:client_documents", kwargs={"client_id": link.client_id})
    tabs = [
        {"key": key, "label": label, "count": counts[key or "all"], "current": key == category,
         "url": client_url + _joined(tab_query, f"category={key}" if key else "")}
        for key, label in (("", _("All")), *Category.choices)
    ]  # fmt: skip
    query = _query(filters, drop=("page",))
    rows_url = reverse("web:client_rows", kwargs={"client_id": link.client_id})
    page_query = _joined(query, f"page={page.number}" if page.number > 1 else "")
    return {
        "link": link,
        "client": client_of(link),
        "form": form,
        "valid": valid,
        "page": page,
        "documents": list(page.object_list),
        "tabs": tabs,
        "category": category,
        "query": query,
        "filtered": any(v for k, v in filters.items() if k not in {"page", "category"}),
        "rows_url": rows_url + page_query,
        "poll_seconds": POLL_SECONDS,
        "readonly": link.status == LinkStatus.REVOKED,
    }


def _page(
    request: AuthedOrgRequest, link: ClientLink, *, filters: QueryDict | None = None,
    book: BookForm | None = None, reject: RejectForm | None = None,
    selected: frozenset[int] = frozenset(), status: int = 200, error: str = "",
) -> HttpResponse:  # fmt: skip
    context = _rows_context(request, link, request.GET if filters is None else filters)
    context |= {
        "book_form": book or BookForm(),
        "reject_form": reject or RejectForm(),
        "selected": selected,
        "error": error,
        "max_zip_mb": MAX_ZIP_BYTES // (1024 * 1024),
    }  # fmt: skip
    if status == 200 and not context["valid"]:
        status = 422
    return render(request, "web/partner/documents.html", context, status=status)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def client_documents(request: AuthedOrgRequest, client_id: int) -> HttpResponse:
    return _page(request, _link(request, client_id))


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def client_rows(request: AuthedOrgRequest, client_id: int) -> HttpResponse:
    """The tabs and the table; ``304`` while the ``If-None-Match`` ETag is still current."""
    link = _link(request, client_id)
    etag = _etag(request, link, request.GET.urlencode())
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Cookie"}
    if etag in {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}:
        return HttpResponse(status=304, headers=headers)
    context = _rows_context(request, link, request.GET)
    response = render(request, "web/partner/documents.html#sent-rows", context)
    for name, value in headers.items():
        response[name] = value
    return response


# --- acting on the ticked documents -----------------------------------------------------


def _selected(request: AuthedOrgRequest, link: ClientLink) -> list[SentDocument] | None:
    """The ticked documents of this client, in the order ticked; ``None`` for bad ids."""
    try:
        ids = list(dict.fromkeys(int(value) for value in request.POST.getlist("ids")))
    except ValueError:
        return None
    if len(ids) > MAX_SELECTED:
        return None
    found = {
        sent.pk: sent
        for sent in selectors.client_documents(office=request.organization, client=client_of(link))
        .filter(pk__in=ids)
        .select_related("file")
    }
    if len(found) != len(ids):  # a foreign id answers exactly like a missing one
        raise NotFound(ErrorCode.DOCUMENT_NOT_FOUND, _("No such document."))
    return [found[pk] for pk in ids]


def _filters_of(request: AuthedOrgRequest) -> QueryDict:
    return QueryDict(request.POST.get("query", ""))


def _back(link: ClientLink, request: AuthedOrgRequest) -> HttpResponse:
    query = _filters_of(request).urlencode()
    url = reverse("web:client_documents", kwargs={"client_id": link.client_id})
    return redirect(url + (f"?{query}" if query else ""))


def _act(
    request: AuthedOrgRequest, client_id: int, form: BookForm | RejectForm, *, status: str,
    done: Callable[[int], str],
) -> HttpResponse:  # fmt: skip
    """Set ``status`` on every ticked document in one transaction: all of them or none."""
    link = _link(request, client_id)
    chosen = _selected(request, link)
    if chosen is None:
        return HttpResponseBadRequest(_("The selection is not valid."))
    selected = frozenset(s.pk for s in chosen)
    if not chosen:
        form.add_error(None, _("Tick the documents first."))
    references = {s.pk: (request.POST.get(f"ref-{s.pk}") or "").strip() for s in chosen}
    if any(len(value) > 200 for value in references.values()):
        form.add_error(None, _("A booking reference is too long (200 characters at most)."))
    if not form.is_valid():
        return _page(
            request, link, filters=_filters_of(request), selected=selected, status=422,
            book=form if isinstance(form, BookForm) else None,
            reject=form if isinstance(form, RejectForm) else None,
        )  # fmt: skip
    common = form.cleaned_data.get("reference", "")
    try:
        with transaction.atomic():
            for sent in chosen:
                services.sent_document_set_status(
                    sent=sent, office=request.organization, status=status,
                    reference=references[sent.pk] or common,
                    reason=form.cleaned_data.get("reason", ""),
                    actor=request.user, ip=client_ip(request),
                )  # fmt: skip
    except ServiceError as exc:
        return _page(request, link, filters=_filters_of(request), selected=selected,
                     status=exc.status, error=str(exc.message))  # fmt: skip
    messages.success(request, done(len(chosen)) % {"count": len(chosen)})
    return _back(link, request)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_POST
def client_book(request: AuthedOrgRequest, client_id: int) -> HttpResponse:
    return _act(
        request, client_id, BookForm(request.POST), status=ExchangeStatus.BOOKED,
        done=lambda n: ngettext("%(count)d document booked.", "%(count)d documents booked.", n),
    )  # fmt: skip


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_POST
def client_reject(request: AuthedOrgRequest, client_id: int) -> HttpResponse:
    return _act(
        request, client_id, RejectForm(request.POST), status=ExchangeStatus.REJECTED,
        done=lambda n: ngettext(
            "%(count)d document rejected.", "%(count)d documents rejected.", n
        ),
    )  # fmt: skip


def _chunks(sent: SentDocument) -> Iterator[bytes]:
    with default_storage.open(sent.file.storage_name, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield bytes(chunk)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_POST
def client_download(
    request: AuthedOrgRequest, client_id: int
) -> HttpResponse | StreamingHttpResponse:
    """The ticked originals as one ZIP, streamed; the first download marks them received."""
    link = _link(request, client_id)
    chosen = _selected(request, link)
    if chosen is None:
        return HttpResponseBadRequest(_("The selection is not valid."))
    error = ""
    if not chosen:
        error = _("Tick the documents first.")
    elif sum(s.file.size for s in chosen) > MAX_ZIP_BYTES:
        error = _("The ticked originals are larger than %(size)d MB: tick fewer.") % {
            "size": MAX_ZIP_BYTES // (1024 * 1024)
        }
    if error:
        return _page(request, link, filters=_filters_of(request), status=422, error=error,
                     selected=frozenset(s.pk for s in chosen))  # fmt: skip
    services.sent_documents_mark_received(
        office=request.organization, sent_ids=[s.pk for s in chosen], actor=request.user,
        ip=client_ip(request),
    )  # fmt: skip
    names = unique_names(safe_filename(s.file.original_name) for s in chosen)
    response = StreamingHttpResponse(
        zip_stream((name, _chunks(s)) for name, s in zip(names, chosen, strict=True)),
        content_type="application/zip",
    )
    response["Content-Disposition"] = content_disposition(
        safe_filename(f"{client_of(link).name} {_('documents')}.zip")
    )
    response["Cache-Control"] = "private, no-store"
    return response
