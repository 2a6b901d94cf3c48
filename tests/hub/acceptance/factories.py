"""Factories of the acceptance tests: tenants built through the real services.

Building organizations, members, invitations and tokens with the services (not with raw
``objects.create``) gives each tenant the audit chain and hashed secrets that production
data has, which is what the isolation and bad-input tests must see.

Swiss UIDs are numbered from a counter and get their check digit from python-stdnum, so
every call returns a fresh valid tax ID.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from stdnum.ch import uid as ch_uid

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    User,
)
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Permission, Role

__all__ = ["PASSWORD", "Tenant", "new_uid", "tenant", "verified_user"]

PASSWORD = "Sturdy-Ledger-Password-77"
_numbers = itertools.count(10_000_001)


def new_uid() -> str:
    """A valid Swiss UID never handed out before in this test run (``CHE-…``)."""
    while len(check := ch_uid.calc_check_digit(body := str(next(_numbers)))) != 1:
        pass  # a remainder of 10 has no check digit: such numbers are never issued
    return str(ch_uid.format("CHE" + body + check))


def verified_user(email: str, *, first_name: str = "", last_name: str = "") -> User:
    """A user with ``PASSWORD`` and a verified primary e-mail, as after sign-up."""
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=first_name, last_name=last_name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@dataclass
class Tenant:
    """One organization with an admin, a plain member, a pending invitation and a token."""

    organization: Organization
    admin: User
    member: User
    membership: Membership
    invitation: Invitation
    invitation_token: str
    api_token: ApiToken
    raw_api_token: str
    admin_token: str
    marker: str

    def member_without(self, email: str, *, permissions: list[str]) -> User:
        """Add a member holding exactly ``permissions`` (possibly none)."""
        user = verified_user(email)
        Membership.objects.create(
            organization=self.organization, user=user, role=Role.APP, permissions=permissions
        )
        return user


def tenant(key: str, *, name: str | None = None) -> Tenant:
    """A complete organization whose every visible string contains ``key``.

    ``key`` (lower-case letters) ends up in the organization name, the e-mail addresses,
    the names of people and the token names, so a page or an API answer that shows any of
    this tenant's data contains it.
    """
    admin = verified_user(f"{key}-admin@example.com", first_name=key.title(), last_name="Admin")
    organization = services.organization_create(
        name=name or f"{key.title()} Tenant AG",
        kind=Organization.Kind.COMPANY,
        country="CH",
        tax_id=new_uid(),
        creator=admin,
        ip="192.0.2.1",
    )
    member = verified_user(f"{key}-member@example.com", first_name=key.title(), last_name="Member")
    membership = Membership.objects.create(
        organization=organization,
        user=member,
        role=Role.EMPLOYEE,
        permissions=sorted(ROLE_PRESETS[Role.EMPLOYEE]),
    )
    invitation, invitation_token = services.invitation_create(
        organization=organization,
        actor=admin,
        email=f"{key}-invitee@example.com",
        first_name=key.title(),
        last_name="Invitee",
        ip="192.0.2.1",
    )
    api_token, raw_api_token = services.api_token_create(
        organization=organization,
        user=member,
        name=f"{key} scanner token",
        permissions=[Permission.DOCUMENTS_UPLOAD],
        ip="192.0.2.1",
    )
    _admin_token, admin_token = services.api_token_create(
        organization=organization,
        user=admin,
        name=f"{key} admin token",
        permissions=list(Permission),
        ip="192.0.2.1",
    )
    return Tenant(
        organization=organization,
        admin=admin,
        member=member,
        membership=membership,
        invitation=invitation,
        invitation_token=invitation_token,
        api_token=api_token,
        raw_api_token=raw_api_token,
        admin_token=admin_token,
        marker=key,
    )
