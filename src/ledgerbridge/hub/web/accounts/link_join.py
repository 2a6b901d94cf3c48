"""The client link request a visitor follows, kept in the session through sign-up and login.

The e-mailed link (``/links/join/<token>``) to a contact whose organization is not on the
hub yet remembers the raw token (:func:`remember`). The sign-up form then asks for the
organization as well, with the link's country and tax ID fixed and a kind that fits the
request (:func:`pending`, :func:`organization_kinds`), and keeps what was typed in the
session (:func:`keep_organization`). Once allauth has logged the person in (right after
the e-mailed code), the adapter's ``post_login`` calls :func:`finish`: the organization is
created with the link's tax ID, whatever the browser posted, and the person lands on the
accept step. Someone who logs in to an existing account lands there as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.exchange import selectors
from ledgerbridge.hub.exchange.models import LinkDirection, LinkStatus
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import Organization
from ledgerbridge.hub.web.accounts.middleware import SESSION_ORGANIZATION_KEY

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.exchange.models import ClientLink
    from ledgerbridge.hub.identity.models import User

__all__ = [
    "ORGANIZATION_FIELDS",
    "SESSION_LINK_KEY",
    "TAX_ID_REGISTERED",
    "finish",
    "forget",
    "keep_organization",
    "organization_kinds",
    "pending",
    "remember",
]

SESSION_LINK_KEY = "ledgerbridge_link_join"
_SESSION_ORGANIZATION = "ledgerbridge_link_organization"
ORGANIZATION_FIELDS = ("name", "kind", "street", "building_number", "postal_code", "town")

# Says what to do, and never who registered the tax ID.
TAX_ID_REGISTERED = gettext_lazy(
    "An organization with this tax ID is already registered. Ask an administrator of that "
    "organization to sign in and accept the request under Client links, or to invite you."
)


def remember(request: HttpRequest, raw_token: str) -> None:
    request.session[SESSION_LINK_KEY] = raw_token


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_LINK_KEY, None)
    request.session.pop(_SESSION_ORGANIZATION, None)


def pending(request: HttpRequest | None) -> tuple[ClientLink, str] | None:
    """The still open request this session follows, and its raw token, if any."""
    raw_token = request.session.get(SESSION_LINK_KEY) if request is not None else None
    if not raw_token:
        return None
    try:
        link = selectors.client_link_from_token(raw_token=raw_token)
    except ServiceError:
        return None
    if link.status != LinkStatus.PENDING or link.expires_at <= timezone.now():
        return None
    return link, str(raw_token)


def organization_kinds(link: ClientLink) -> list[tuple[str, Any]]:
    """The kinds the new organization may be: a client company for an office's request,
    an accounting office for a company's (or both)."""
    first = (
        Organization.Kind.COMPANY
        if link.direction == LinkDirection.CLIENT
        else Organization.Kind.ACCOUNTING_OFFICE
    )
    return [
        (first.value, first.label),
        (Organization.Kind.BOTH.value, Organization.Kind.BOTH.label),
    ]


def keep_organization(request: HttpRequest, data: dict[str, str]) -> None:
    """What the sign-up form said about the organization, until the e-mail is verified."""
    request.session[_SESSION_ORGANIZATION] = {
        name: str(data.get(name, "")) for name in ORGANIZATION_FIELDS
    }


def finish(request: HttpRequest, user: User) -> str | None:
    """Create the organization kept at sign-up (with the link's tax ID) for ``user``, who
    has just logged in; the URL of the accept step, or None without a request to follow."""
    followed = pending(request)
    kept = request.session.pop(_SESSION_ORGANIZATION, None)
    raw_token = request.session.pop(SESSION_LINK_KEY, None)
    if followed is None:
        return None
    link, _raw = followed
    if kept:
        kinds = [value for value, _label in organization_kinds(link)]
        try:
            organization = services.organization_create(
                name=kept["name"],
                kind=kept["kind"] if kept["kind"] in kinds else kinds[0],
                country=link.target_country,
                tax_id=link.target_tax_id,
                street=kept["street"],
                building_number=kept["building_number"],
                postal_code=kept["postal_code"],
                town=kept["town"],
                creator=user,
                ip=client_ip(request),
            )
        except ServiceError as exc:
            text = TAX_ID_REGISTERED if exc.code == ErrorCode.TAX_ID_TAKEN else exc.message
            messages.error(request, str(text))
        else:
            request.session[SESSION_ORGANIZATION_KEY] = organization.pk
            messages.success(request, _("%(name)s has been created.") % {"name": organization.name})
    return reverse("web:link_join", kwargs={"link_token": raw_token})
