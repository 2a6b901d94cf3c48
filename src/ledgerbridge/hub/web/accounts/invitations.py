"""The invitation a visitor follows, kept in the session through sign-up, code and login.

The landing page of an e-mailed link (``/invite/<token>``) remembers the raw token in the
session (:func:`remember`). The sign-up form then pre-fills the invited names and fixes
the invited address (:func:`pending`), and once allauth has logged the person in — right
after the e-mailed code at sign-up, or after password (and MFA) for an existing account —
the adapter's ``post_login`` calls :func:`join`. The token leaves the session the moment
it is tried, so it is consumed once; the service's row lock refuses a second acceptance
from anywhere else ("already used").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.utils.translation import gettext as _

from ledgerbridge.hub.core.errors import ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.web.accounts.middleware import SESSION_ORGANIZATION_KEY

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.identity.models import Invitation, Membership, User

__all__ = ["SESSION_INVITATION_KEY", "forget", "join", "pending", "remember"]

SESSION_INVITATION_KEY = "ledgerbridge_invitation"


def remember(request: HttpRequest, raw_token: str) -> None:
    """Keep the link's token until the visitor has an account and is logged in."""
    request.session[SESSION_INVITATION_KEY] = raw_token


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_INVITATION_KEY, None)


def pending(request: HttpRequest | None) -> Invitation | None:
    """The still open invitation this session follows, if any."""
    raw_token = request.session.get(SESSION_INVITATION_KEY) if request is not None else None
    if not raw_token:
        return None
    try:
        invitation = selectors.invitation_from_token(raw_token=raw_token)
        services.invitation_check_open(invitation)
    except ServiceError:
        return None
    return invitation


def join(request: HttpRequest, user: User) -> Membership | None:
    """Accept the invitation this session follows for ``user``, who has just logged in.

    On success the organization becomes the current one and the person is welcomed; a
    link that cannot be used (closed meanwhile, another address) says why and joins
    nobody. Either way the token is gone from the session.
    """
    raw_token = request.session.pop(SESSION_INVITATION_KEY, None)
    if not raw_token:
        return None
    try:
        membership = services.invitation_accept(
            raw_token=raw_token, user=user, ip=client_ip(request)
        )
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return None
    request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
    messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organization.name})
    return membership
