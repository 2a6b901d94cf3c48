"""API tokens of the caller and the organization's change log (JSON or CSV).

``GET /tokens`` lists the caller's own tokens, or every token of the organization for a
member with ``users.manage``; the same rule decides which token ``DELETE`` may find. A
request made with a token needs ``tokens.manage`` in that token to manage tokens at all,
and sees, mints and revokes only tokens within that token's own rights: a narrow token
cannot revoke a broader one, even of its own user.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from django.http import HttpResponse
from ninja import Query, Router, Status

from ledgerbridge.hub.api._common import ERRORS, paginate
from ledgerbridge.hub.api.auth import API_AUTH, client_ip, principal, require
from ledgerbridge.hub.api.schemas import (
    AuditEventOut,
    AuditEventPage,
    AuditQuery,
    Id,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from ledgerbridge.hub.core.errors import NotFound, PermissionDenied
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from ledgerbridge.hub.api.auth import Principal
    from ledgerbridge.hub.identity.models import ApiToken, AuditEvent

router = Router(auth=API_AUTH)

CSV_COLUMNS = (
    "time", "seq", "category", "action", "actor", "subject", "ip", "details", "hash",
)  # fmt: skip


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        user_email=token.user.email,
        permissions=list(token.permissions),
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


def _visible_tokens(caller: Principal) -> QuerySet[ApiToken]:
    mine_only = Permission.USERS_MANAGE not in caller.permissions
    tokens = selectors.api_token_list(
        organization=caller.organization, user=caller.user if mine_only else None
    )
    if caller.token is None:
        return tokens
    if Permission.TOKENS_MANAGE not in caller.permissions:
        raise PermissionDenied()
    # A token sees only the tokens whose every right it holds itself; the rest are as
    # invisible as another organization's. Permission lists are short JSON: compared here.
    return tokens.filter(pk__in=[t.pk for t in tokens if t.permission_set <= caller.permissions])


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, tags=["tokens"])
def token_list(request: HttpRequest) -> list[TokenOut]:
    """The caller's tokens (every token of the organization with ``users.manage``).

    Called with a token: only with ``tokens.manage``, and only tokens within its rights.
    """
    return [token_out(token) for token in _visible_tokens(principal(request))]


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS}, tags=["tokens"])
def token_create(request: HttpRequest, body: TokenIn) -> Status[TokenCreatedOut]:
    """Create a token with a subset of the caller's permissions; the answer shows it once.

    Called with a token: only with ``tokens.manage``, and within that token's rights.
    """
    caller = principal(request)
    token, raw = services.api_token_create(
        organization=caller.organization, user=caller.user, name=body.name,
        permissions=body.permissions, ip=client_ip(request), via_token=caller.token,
    )  # fmt: skip
    # dict() of a schema is shallow: the fields of the TokenOut, as they are.
    return Status(201, TokenCreatedOut(**dict(token_out(token)), token=raw))


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS}, tags=["tokens"])
def token_revoke(request: HttpRequest, token_id: Id) -> Status[None]:
    """Revoke a token at once (own tokens; any token of the organization with ``users.manage``).

    Called with a token: only with ``tokens.manage``, and only a token within its rights.
    """
    caller = principal(request)
    # Someone else's token is as invisible as one of another organization: 404 for both.
    token = _visible_tokens(caller).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    services.api_token_revoke(
        token=token, actor=caller.user, ip=client_ip(request), via_token=caller.token
    )
    return Status(204, None)


def _events(request: HttpRequest, query: AuditQuery) -> QuerySet[AuditEvent]:
    caller = require(request, Permission.AUDIT_VIEW)
    return selectors.audit_event_list(
        organization=caller.organization, user_id=query.user_id, category=query.category,
        since=query.since, until=query.until,
    )  # fmt: skip


def audit_event_out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        id=event.pk,
        seq=event.seq,
        created_at=event.created_at,
        category=AuditCategory(event.category),
        action=AuditAction(event.action),
        actor_id=event.actor_id,
        actor_email=event.actor.email if event.actor else None,
        subject_user_id=event.subject_user_id,
        subject_email=event.subject_user.email if event.subject_user else None,
        details=event.details,
        ip=event.ip,
        hash=event.hash,
        prev_hash=event.prev_hash,
    )


def _csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(events: QuerySet[AuditEvent]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=1000):
        row = audit_event_out(event)
        writer.writerow(
            _csv_cell(cell)
            for cell in (
                row.created_at.isoformat(), row.seq, row.category, row.action,
                row.actor_email, row.subject_email, row.ip,
                json.dumps(row.details, sort_keys=True, ensure_ascii=False), row.hash,
            )
        )  # fmt: skip
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    return response


@router.get(
    "/audit-events",
    response={200: AuditEventPage, **ERRORS},
    tags=["audit"],
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def audit_event_list(
    request: HttpRequest, query: Query[AuditQuery]
) -> AuditEventPage | HttpResponse:
    """The change log, newest first, filtered; ``?format=csv`` for a CSV file (``audit.view``)."""
    events = _events(request, query)
    if query.format == "csv":
        return _csv_response(events)
    return paginate(AuditEventPage, events, query=query, out=audit_event_out)


@router.get(
    "/audit-events.csv",
    response=ERRORS,
    tags=["audit"],
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def audit_event_csv(request: HttpRequest, query: Query[AuditQuery]) -> HttpResponse:
    """The filtered change log as CSV (``audit.view``); pagination does not apply."""
    return _csv_response(_events(request, query))
