"""The organization-wide change log with filters, pagination and CSV export."""

from __future__ import annotations

import csv
import json
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ledgerbridge.hub.identity import selectors
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.describe import action_label, describe, person
from ledgerbridge.hub.web.forms import AuditFilterForm
from ledgerbridge.hub.web.views._common import paginate

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ledgerbridge.hub.identity.models import AuditEvent
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest

_PAGE_SIZE = 25
# A spreadsheet runs a cell that starts like a formula; such cells get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _filtered(request: AuthedOrgRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    users = [
        (m.user_id, m.user.get_full_name() or m.user.email)
        for m in selectors.membership_list(organization=request.organization)
    ]
    form = AuditFilterForm(request.GET or None, users=users)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "user_id": data["user"],
            "category": data["category"] or None,
            "since": data["since"],
            "until": data["until"],
        }
    events = selectors.audit_event_list(organization=request.organization, **filters)
    return form, events


@org_permission_required(Permission.AUDIT_VIEW)
def audit_list(request: AuthedOrgRequest) -> HttpResponse:
    form, events = _filtered(request)
    if form.errors:
        events = events.none()
    page = paginate(request, events, _PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [describe(e) for e in page.object_list],
        "query": query.urlencode(),
    }
    status = 422 if form.errors else 200
    return render(request, "web/audit/list.html", context, status=status)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@org_permission_required(Permission.AUDIT_VIEW)
def audit_export(request: AuthedOrgRequest) -> HttpResponse:
    """The filtered change log as CSV (UTF-8 with BOM so spreadsheets detect the encoding)."""
    form, events = _filtered(request)
    if form.errors:
        return HttpResponse(form.errors.as_text(), status=422, content_type="text/plain")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="changelog-{request.organization.slug}-{stamp}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["seq", "time_utc", "category", "action", "action_label", "actor", "actor_email",
         "subject", "subject_email", "ip", "details", "hash"]
    )  # fmt: skip
    for event in events.iterator(chunk_size=500):
        writer.writerow(
            _cell(v)
            for v in (
                event.seq,
                event.created_at.astimezone(UTC).isoformat(),
                event.category,
                event.action,
                action_label(event.action),
                person(event.actor),
                event.actor.email if event.actor else "",
                person(event.subject_user) if event.subject_user_id else "",
                event.subject_user.email if event.subject_user else "",
                event.ip,
                json.dumps(event.details, ensure_ascii=False, sort_keys=True),
                event.hash,
            )
        )
    return response


@org_permission_required(Permission.AUDIT_VIEW)
def audit_detail(request: AuthedOrgRequest, event_id: int) -> HttpResponse:
    """One event in full: every detail, and the hashes that chain it to the one before."""
    event = (
        selectors.audit_event_list(organization=request.organization).filter(pk=event_id).first()
    )
    if event is None:
        raise Http404
    details = json.dumps(event.details, ensure_ascii=False, indent=2, sort_keys=True)
    context = {"row": describe(event), "event": event, "details_json": details}
    return render(request, "web/audit/detail.html", context)
