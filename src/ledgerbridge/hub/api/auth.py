"""Who is calling the API, for which organization, with which permissions.

Two ways in, tried in this order:

- ``Authorization: Bearer lb_<prefix>_<secret>``: an API token; it acts for its own
  organization with the token's permissions (never more than its membership holds now).
- the browser session (with CSRF): the organization chosen in the session key
  ``ledgerbridge_org`` (else the user's first active membership), with the membership's
  permissions.

Either way ``request.auth`` is a :class:`Principal`. A locked membership or a deactivated
user stops both at once: a token answers 401, a session 403 ``access-locked``. Without a
logged-in session and a valid token, every operation answers 401 (the CSRF check guards
a session only, so it never turns a missing login into a 403). Endpoints call
:func:`require` with the permission they need.

Bearer tokens that do not work are counted per client address: after
:data:`TOKEN_FAILURES_ALLOWED` within :data:`TOKEN_FAILURE_WINDOW` seconds, that client's
failing tokens are answered 429 with ``Retry-After`` until the window ends. Only the
guessing client is slowed; nobody else's requests are refused. A working token is never
throttled and costs no extra query: its 256-bit secret cannot be guessed, so the counter
is read only after a token failed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import PermissionDenied
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.models import Membership

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.identity.models import ApiToken, Organization, User
    from ledgerbridge.hub.identity.permissions import Permission

# client_ip is re-exported: the API handlers take it from here with the rest of auth.
__all__ = [
    "API_AUTH",
    "SESSION_KEY",
    "TOKEN_FAILURES_ALLOWED",
    "TOKEN_FAILURE_WINDOW",
    "Principal",
    "TooManyFailedAttempts",
    "client_ip",
    "principal",
    "require",
]

SESSION_KEY = "ledgerbridge_org"

TOKEN_FAILURES_ALLOWED = 10
TOKEN_FAILURE_WINDOW = 300  # seconds


class TooManyFailedAttempts(HttpError):
    """429: this client sent too many tokens that do not work; ``Retry-After`` says when."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(429, "too many failed token attempts from this client; try again later")
        self.code = ErrorCode.TOO_MANY_FAILED_ATTEMPTS
        self.retry_after = retry_after


def _count_failure(request: HttpRequest) -> None:
    """Count a failed token of this client; raise 429 once it has had its allowance.

    One fixed window per client, opened by its first failure; a lost update between two
    concurrent failures only lets one more attempt through.
    """
    now = time.time()
    key = f"ledgerbridge:api:token-failures:{client_ip(request) or 'unknown'}"
    started, count = cache.get(key, (now, 0))
    if now - started >= TOKEN_FAILURE_WINDOW:
        started, count = now, 0
    retry_after = math.ceil(started + TOKEN_FAILURE_WINDOW - now)
    if count >= TOKEN_FAILURES_ALLOWED:
        raise TooManyFailedAttempts(retry_after)
    cache.set(key, (started, count + 1), retry_after)


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a user acting for one organization, through a session or a token."""

    user: User
    organization: Organization
    membership: Membership
    permissions: frozenset[Permission]
    token: ApiToken | None = None


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        # A machine's call is API use: raises 403 plan-feature-disabled when the plan has
        # no API (the web UI's own session calls are not API use).
        grant = services.api_token_authenticate(token)
        if grant is None:
            _count_failure(request)
            return None
        return Principal(
            user=grant.token.user,
            organization=grant.token.organization,
            membership=grant.membership,
            permissions=grant.permissions,
            token=grant.token,
        )


class OrganizationSessionAuth(APIKeyCookie):
    """Django's session cookie, CSRF-checked, plus the session's current organization."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF protects a session; without a logged-in one there is nothing to protect,
        # and a request with no (or a revoked) token is simply not authenticated: 401.
        if not request.user.is_authenticated:
            return None
        # ninja's CSRF refusal is a bare HttpError(403); give it the API's stable code.
        try:
            return super()._get_key(request)
        except HttpError as exc:
            raise PermissionDenied(
                ErrorCode.CSRF_FAILED,
                _("The CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."),
            ) from exc

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        user = request.user
        if not user.is_authenticated:
            return None
        chosen = request.session.get(SESSION_KEY)
        memberships = selectors.memberships_of(user=user)
        # Like the web UI: the chosen organization, else (none chosen, or no longer a
        # member there) the first active membership.
        membership = memberships.filter(organization_id=chosen).first() if chosen else None
        if membership is None:
            membership = memberships.filter(status=Membership.Status.ACTIVE).first()
        if membership is None:
            # Locked out of every organization: say so (403), as the web UI does, rather
            # than answer as if nobody had logged in.
            membership = memberships.first()
        if membership is None:
            return None
        if not membership.is_active or not user.is_active:
            raise PermissionDenied(
                ErrorCode.ACCESS_LOCKED, _("Your access to this organization is locked.")
            )
        return Principal(
            user=user,
            organization=membership.organization,
            membership=membership,
            permissions=membership.permission_set,
        )


API_AUTH: list[Any] = [BearerTokenAuth(), OrganizationSessionAuth()]


def principal(request: HttpRequest) -> Principal:
    """The authenticated caller (endpoints run only after authentication succeeded)."""
    found = getattr(request, "auth", None)
    if not isinstance(found, Principal):  # pragma: no cover - ninja guarantees it
        raise PermissionDenied()
    return found


def require(request: HttpRequest, permission: Permission) -> Principal:
    """The caller, if they hold ``permission`` in their current organization; else 403."""
    caller = principal(request)
    if permission not in caller.permissions:
        raise PermissionDenied()
    return caller
