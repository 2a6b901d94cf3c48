"""The pending payment slips ("ES-Vorschau"): live list, process, reject, pain.001 export.

The table polls :func:`payment_slip_rows` every few seconds with the version it shows
(:func:`~ledgerbridge.hub.documents.selectors.pending_slips_version`, one aggregate
query). Nothing changed -> ``204`` with ``HX-Reswap: none``: no rows are read, no HTML is
rendered, htmx leaves the page alone. Anything changed -> the new rows (the page's
script keeps the ticked boxes ticked across the swap).

Acting on the ticked slips is all or nothing: every id is looked up in the current
organization first (a foreign id answers 404 and changes nothing), then the services run
in one transaction, so a conflict on one slip leaves the others untouched as well.

An exported slip leaves the default (pending) list; the status filter shows it again
with its badge naming the file. Ticking a slip that was exported before and downloading
again stops at a confirm step listing each earlier export (file, who, when).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ledgerbridge.hub.core.errors import Conflict
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.documents import selectors, services
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.views._common import run_service
from ledgerbridge.hub.web.views._document_forms import (
    SLIP_SORTS,
    SLIP_STATUSES,
    Pain001Form,
    SlipFilterForm,
    SlipProcessForm,
    SlipRejectForm,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from django import forms
    from django.db.models import QuerySet

    from ledgerbridge.hub.documents.models import DocumentStatusChange
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

__all__ = [
    "POLL_SECONDS",
    "payment_slip_export",
    "payment_slip_list",
    "payment_slip_process",
    "payment_slip_reject",
    "payment_slip_rows",
]

POLL_SECONDS = 3
_SESSION_DEBTOR = "ledgerbridge_pain001_debtor"
_MAX_SELECTED = 500


def _pending(request: AuthedOrgRequest, form: SlipFilterForm) -> QuerySet[Document]:
    data = form.cleaned_data if form.is_valid() else {}
    slips = selectors.document_list(
        organization=request.organization,
        kind=Document.Kind.PAYMENT_SLIP,
        duplicate={"yes": True, "no": False}.get(data.get("duplicate") or ""),
        search=data.get("q") or "",
    ).select_related("created_by", "duplicate_of")
    slips = slips.filter(status__in=SLIP_STATUSES[data.get("status") or "pending"])
    if data.get("currency"):
        slips = slips.filter(currency=data["currency"])
    return slips.order_by(*SLIP_SORTS[data.get("sort") or "oldest"][1])


def _filters(source: QueryDict) -> QueryDict:
    """Only the filter fields of ``source`` (the page's own query, or a form's ``query``)."""
    kept = QueryDict(mutable=True)
    for name in SlipFilterForm.base_fields:
        value = source.get(name)
        if isinstance(value, str) and value:
            kept[name] = value
    return kept


def _rows_context(request: AuthedOrgRequest, filters: QueryDict) -> dict[str, Any]:
    form = SlipFilterForm(filters)
    slips = list(_pending(request, form))
    exports = selectors.payment_slip_exports(
        organization=request.organization,
        document_ids=[s.pk for s in slips if s.status == Document.Status.EXPORTED],
    )
    return {
        "form": form,
        "slips": slips,
        "rows": [(slip, exports.get(slip.pk)) for slip in slips],
        "status": (form.cleaned_data.get("status") if form.is_valid() else None) or "pending",
        "total": len(slips),
        "version": selectors.pending_slips_version(organization=request.organization),
        "query": filters.urlencode(),
        "poll_seconds": POLL_SECONDS,
        "can_process": Permission.PAYMENT_SLIPS_PROCESS in request.org_permissions,
    }


def _page(
    request: AuthedOrgRequest, *, pain001: Pain001Form | None = None, status: int = 200,
    filters: QueryDict | None = None, selected: frozenset[int] = frozenset(),
) -> HttpResponse:  # fmt: skip
    debtor = request.session.get(_SESSION_DEBTOR) or {}
    context = _rows_context(request, _filters(request.GET) if filters is None else filters)
    context |= {
        "process_form": SlipProcessForm(),
        "reject_form": SlipRejectForm(),
        "pain001_form": pain001
        or Pain001Form(
            initial={
                "debtor_name": debtor.get("name") or request.organization.name,
                "debtor_iban": debtor.get("iban", ""),
                "execution_date": timezone.localdate(),
            }
        ),
        "selected": selected,
    }
    return render(request, "web/payment_slips/list.html", context, status=status)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def payment_slip_list(request: AuthedOrgRequest) -> HttpResponse:
    return _page(request)


@org_permission_required(Permission.DOCUMENTS_VIEW)
@require_GET
def payment_slip_rows(request: AuthedOrgRequest) -> HttpResponse:
    """The table partial; ``204`` + ``HX-Reswap: none`` while ``?v=`` is still current."""
    shown = request.GET.get("v")
    if shown and shown == selectors.pending_slips_version(organization=request.organization):
        return HttpResponse(status=204, headers={"HX-Reswap": "none"})
    context = _rows_context(request, _filters(request.GET))
    return render(request, "web/payment_slips/list.html#slip-rows", context)


def _selected(request: AuthedOrgRequest) -> list[Document] | None:
    """The ticked slips of this organization in the order ticked; ``None`` for bad ids."""
    raw = request.POST.getlist("ids")
    try:
        ids = list(dict.fromkeys(int(value) for value in raw))
    except ValueError:
        return None
    if len(ids) > _MAX_SELECTED:
        return None
    return [
        selectors.payment_slip_get(organization=request.organization, document_id=pk) for pk in ids
    ]


def _back(request: AuthedOrgRequest) -> HttpResponse:
    query = _filters(QueryDict(request.POST.get("query", ""))).urlencode()
    return redirect(reverse("web:payment_slip_list") + (f"?{query}" if query else ""))


def _apply_to_selection(
    request: AuthedOrgRequest,
    form: forms.Form,
    *,
    nothing_ticked: str,
    apply: Callable[[Document, forms.Form], object],
    done: Callable[[int], str],
) -> HttpResponse:
    """Run ``apply`` on every ticked slip in one transaction: all of them or none."""
    slips = _selected(request)
    if slips is None:
        return HttpResponseBadRequest(_("The selection is not valid."))
    if not slips or not form.is_valid():
        messages.error(request, nothing_ticked)
        return _back(request)

    def apply_all() -> None:
        with transaction.atomic():
            for slip in slips:
                apply(slip, form)

    run_service(request, apply_all, done=done(len(slips)))
    return _back(request)


@org_permission_required(Permission.PAYMENT_SLIPS_PROCESS)
@require_POST
def payment_slip_process(request: AuthedOrgRequest) -> HttpResponse:
    return _apply_to_selection(
        request,
        SlipProcessForm(request.POST),
        nothing_ticked=_("Tick the payment slips to mark as processed."),
        apply=lambda slip, form: services.payment_slip_mark_processed(
            document=slip, actor=request.user, ip=client_ip(request),
            booking_reference=form.cleaned_data["booking_reference"],
        ),
        done=lambda count: ngettext(
            "%(count)d payment slip marked as processed.",
            "%(count)d payment slips marked as processed.",
            count,
        )
        % {"count": count},
    )  # fmt: skip


@org_permission_required(Permission.PAYMENT_SLIPS_PROCESS)
@require_POST
def payment_slip_reject(request: AuthedOrgRequest) -> HttpResponse:
    return _apply_to_selection(
        request,
        SlipRejectForm(request.POST),
        nothing_ticked=_("Tick the payment slips to reject."),
        apply=lambda slip, form: services.payment_slip_reject(
            document=slip, actor=request.user, ip=client_ip(request),
            reason=form.cleaned_data["reason"],
        ),
        done=lambda count: ngettext(
            "%(count)d payment slip rejected.", "%(count)d payment slips rejected.", count
        )
        % {"count": count},
    )  # fmt: skip


def _pain001(request: AuthedOrgRequest, slips: list[Document], form: Pain001Form) -> bytes:
    return services.payment_slips_export_pain001(
        organization=request.organization,
        documents=slips,
        debtor_name=form.cleaned_data["debtor_name"],
        debtor_iban=form.cleaned_data["debtor_iban"],
        execution_date=form.cleaned_data["execution_date"],
        actor=request.user,
        ip=client_ip(request),
        allow_reexport=form.cleaned_data["allow_reexport"],
    )


def _confirm_reexport(
    request: AuthedOrgRequest, slips: list[Document], form: Pain001Form,
    exports: list[DocumentStatusChange],
) -> HttpResponse:  # fmt: skip
    """The warning before paying slips again: each earlier export, and the same order
    to send once more with ``allow_reexport`` (``409``: nothing was exported)."""
    by_id = {slip.pk: slip for slip in slips}
    context = {
        "form": form,
        "slips": slips,
        "exports": [(by_id[step.document_id], step) for step in exports],
        "query": request.POST.get("query", ""),
        "back": _back(request)["Location"],
    }
    return render(request, "web/payment_slips/confirm_export.html", context, status=409)


@org_permission_required(Permission.PAYMENT_SLIPS_PROCESS)
@require_POST
def payment_slip_export(request: AuthedOrgRequest) -> HttpResponse:
    """The ticked slips as a pain.001.001.09 credit transfer order (an XML download)."""
    slips = _selected(request)
    if slips is None:
        return HttpResponseBadRequest(_("The selection is not valid."))
    form = Pain001Form(request.POST)
    filters = _filters(QueryDict(request.POST.get("query", "")))
    selected = frozenset(s.pk for s in slips)
    if not slips:
        form.add_error(None, _("Tick the payment slips to pay."))
    if not form.is_valid():
        return _page(request, pain001=form, status=422, filters=filters, selected=selected)
    try:
        xml = _pain001(request, slips, form)
    except services.SlipAlreadyExported as exc:
        return _confirm_reexport(request, slips, form, exc.exports)
    except (services.SlipNotPayable, Conflict) as exc:  # not payable, processed, rejected
        form.add_error(None, str(exc.message))
    except services.Pain001Refused as exc:  # the writer's rule: a bad debtor IBAN, ...
        form.add_error(exc.field, str(exc.message))
    else:
        request.session[_SESSION_DEBTOR] = {
            "name": form.cleaned_data["debtor_name"], "iban": form.cleaned_data["debtor_iban"],
        }  # fmt: skip
        response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="pain001-{stamp}.xml"'
        return response
    return _page(request, pain001=form, status=422, filters=filters, selected=selected)
