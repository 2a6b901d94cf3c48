"""Typed shortcuts over the shared factories for the web tests (factory_boy is untyped)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.test import Client

from tests.hub.factories import MembershipFactory, OrganizationFactory

if TYPE_CHECKING:
    from collections.abc import Callable

    from ledgerbridge.hub.identity.models import Membership, Organization

# Typed handles: calling the untyped factory classes directly would be an untyped call.
_membership_factory: Callable[..., Any] = MembershipFactory
_membership_batch: Callable[..., Any] = MembershipFactory.create_batch
_organization_factory: Callable[..., Any] = OrganizationFactory


def make_member(**kwargs: Any) -> Membership:
    """A membership built by ``MembershipFactory`` (employee of a new organization)."""
    return cast("Membership", _membership_factory(**kwargs))


def make_members(count: int, **kwargs: Any) -> list[Membership]:
    return cast("list[Membership]", _membership_batch(count, **kwargs))


def make_organization(**kwargs: Any) -> Organization:
    return cast("Organization", _organization_factory(**kwargs))


def client_for(membership: Membership) -> Client:
    """A test client logged in as the membership's user."""
    client = Client()
    client.force_login(membership.user)
    return client
