"""Clients for API tests: a session client with a current organization, or a bearer token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client

from ledgerbridge.hub.api.auth import SESSION_KEY
from ledgerbridge.hub.identity import services

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import Membership


def session_client(membership: Membership, *, enforce_csrf: bool = False) -> Client:
    """A logged-in browser session acting for ``membership``'s organization."""
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.organization_id
    session.save()
    return client


def token_client(membership: Membership, permissions: list[str] | None = None) -> Client:
    """A client that sends a fresh API token of ``membership`` as ``Authorization: Bearer``."""
    _token, raw = services.api_token_create(
        organization=membership.organization, user=membership.user, name="test",
        permissions=permissions or list(membership.permissions), ip=None,
    )  # fmt: skip
    return Client(headers={"Authorization": f"Bearer {raw}"})
