"""``/client-links``: make, list, accept, revoke and set up the links between a company and
its accounting office (``client_links.manage``; the list also for ``documents.send``, to
choose the link to send over)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ninja import Query, Status

from ledgerbridge.hub.api._common import ERRORS, paginate
from ledgerbridge.hub.api.auth import client_ip, principal, require
from ledgerbridge.hub.api.exchange._common import link_out, router
from ledgerbridge.hub.api.exchange._schemas import (
    LinkAcceptIn,
    LinkIn,
    LinkOut,
    LinkPage,
    LinkPatch,
    LinkQuery,
)
from ledgerbridge.hub.api.schemas import Id  # noqa: TC001  # ninja reads the annotation at run time
from ledgerbridge.hub.core.errors import PermissionDenied
from ledgerbridge.hub.exchange import selectors, services
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.http import HttpRequest

    from ledgerbridge.hub.api.auth import Principal
    from ledgerbridge.hub.exchange.models import ClientLink

TAGS = ["client links"]


def _values(categories: Sequence[str] | None) -> list[str] | None:
    return None if categories is None else [str(c) for c in categories]


@router.post("/client-links", response={201: LinkOut, **ERRORS}, tags=TAGS)
def client_link_create(request: HttpRequest, body: LinkIn) -> Status[LinkOut]:
    """Ask the organization with ``tax_id`` to link up (``client_links.manage``).

    ``direction`` says what the other side is. When an organization with that tax ID is
    registered, its admins get the request; else ``email`` gets an invitation to register
    with the tax ID fixed. The link is ``pending`` until an admin there accepts. Refusals
    change nothing: ``invalid-tax-id`` (422, a tax ID of the wrong shape), ``link-to-self``
    (422), ``wrong-organization-kind`` (422), ``category-invalid`` (422), ``link-exists``
    (409, an open link or request between the two)."""
    caller = require(request, Permission.CLIENT_LINKS_MANAGE)
    link = services.client_link_create(
        organization=caller.organization, tax_id=body.tax_id, email=body.email,
        direction=body.direction, categories=_values(body.categories), country=body.country,
        language=caller.user.language or "", actor=caller.user, token=caller.token,
        ip=client_ip(request),
    )  # fmt: skip
    return Status(201, link_out(link, caller.organization))


@router.get("/client-links", response={200: LinkPage, **ERRORS}, tags=TAGS)
def client_link_list(request: HttpRequest, query: Query[LinkQuery]) -> LinkPage:
    """Every link and request of the organization, both directions, newest first
    (``client_links.manage``). With ``documents.send`` alone: the links over which the
    organization sends, as a client, to choose one (an accountant of an office who does not
    manage links sees none: the office's clients are in ``/clients``, as assigned)."""
    caller = principal(request)
    if not caller.permissions & {Permission.CLIENT_LINKS_MANAGE, Permission.DOCUMENTS_SEND}:
        raise PermissionDenied()
    links = selectors.client_link_list(organization=caller.organization)
    if Permission.CLIENT_LINKS_MANAGE not in caller.permissions:
        links = links.filter(client=caller.organization)
    if query.status is not None:
        links = links.filter(status=query.status)
    return paginate(
        LinkPage, links, query=query, out=lambda link: link_out(link, caller.organization)
    )


def _link(request: HttpRequest, link_id: int) -> tuple[Principal, ClientLink]:
    caller = require(request, Permission.CLIENT_LINKS_MANAGE)
    return caller, selectors.client_link_get(organization=caller.organization, link_id=link_id)


@router.post("/client-links/{link_id}/accept", response={200: LinkOut, **ERRORS}, tags=TAGS)
def client_link_accept(
    request: HttpRequest, link_id: Id, body: LinkAcceptIn | None = None
) -> LinkOut:
    """Accept a request made for this organization (an admin holding
    ``client_links.manage``; else 403). A client may narrow ``categories``; an office
    accepting keeps the client's choice. Refusals change nothing: ``tax-id-mismatch`` (409,
    the link names another tax ID), ``link-own-request``, ``link-already-active``,
    ``link-revoked``, ``link-request-expired`` (409), ``wrong-organization-kind`` (422)."""
    caller, link = _link(request, link_id)
    categories = _values(body.categories) if body is not None else None
    accepted = services.client_link_accept(
        link=link, organization=caller.organization, actor=caller.user,
        categories=categories, token=caller.token, ip=client_ip(request),
    )  # fmt: skip
    return link_out(accepted, caller.organization)


@router.post("/client-links/{link_id}/revoke", response={200: LinkOut, **ERRORS}, tags=TAGS)
def client_link_revoke(request: HttpRequest, link_id: Id) -> LinkOut:
    """End a link from either side, or withdraw or decline a request
    (``client_links.manage``). Nothing new crosses it; what was sent stays readable to the
    office, read-only. A link revoked before answers 409 ``link-revoked``."""
    caller, link = _link(request, link_id)
    revoked = services.client_link_revoke(
        link=link, organization=caller.organization, actor=caller.user, token=caller.token,
        ip=client_ip(request),
    )  # fmt: skip
    return link_out(revoked, caller.organization)


@router.patch("/client-links/{link_id}", response={200: LinkOut, **ERRORS}, tags=TAGS)
def client_link_update(request: HttpRequest, link_id: Id, body: LinkPatch) -> LinkOut:
    """The client chooses what crosses the link (``categories``) and what is sent by rule
    once read (``auto_send``, kept within ``categories``); ``client_links.manage``. The
    office answers 403; a revoked link 409 ``link-revoked``."""
    caller, link = _link(request, link_id)
    updated = services.client_link_update(
        link=link, organization=caller.organization, actor=caller.user,
        categories=_values(body.categories), auto_send=_values(body.auto_send),
        token=caller.token, ip=client_ip(request),
    )  # fmt: skip
    return link_out(updated, caller.organization)
