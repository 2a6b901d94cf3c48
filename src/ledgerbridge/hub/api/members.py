"""API of the current organization, its members and its invitations.

Every endpoint acts on the caller's current organization only: an id of another
organization answers 404 exactly like a missing one; a missing permission answers 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from ninja import Query, Router, Status

from ledgerbridge.hub.api._common import ERRORS, paginate
from ledgerbridge.hub.api.auth import API_AUTH, client_ip, principal, require
from ledgerbridge.hub.api.schemas import (
    Id,
    InvitationIn,
    InvitationOut,
    InvitationPage,
    InvitationQuery,
    MemberOut,
    MemberPage,
    MemberPatch,
    MemberQuery,
    OrganizationOut,
    OrganizationPatch,
)
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.models import Membership, Organization
from ledgerbridge.hub.identity.permissions import Permission, Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.identity.models import Invitation

router = Router(auth=API_AUTH, tags=["organization"])


def organization_out(organization: Organization) -> OrganizationOut:
    return OrganizationOut(
        id=organization.pk,
        slug=organization.slug,
        name=organization.name,
        kind=Organization.Kind(organization.kind),
        country=organization.country,
        tax_id=organization.tax_id_display,
        tax_id_compact=organization.tax_id,
        street=organization.street,
        building_number=organization.building_number,
        postal_code=organization.postal_code,
        town=organization.town,
        require_mfa=organization.require_mfa,
        created_at=organization.created_at,
    )


def member_out(membership: Membership) -> MemberOut:
    user = membership.user
    return MemberOut(
        id=membership.pk,
        user_id=user.pk,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        last_login=user.last_login,
        status=Membership.Status(membership.status),
        role=Role(membership.role),
        permissions=list(membership.permissions),
        created_at=membership.created_at,
    )


def invitation_out(invitation: Invitation) -> InvitationOut:
    return InvitationOut(
        id=invitation.pk,
        email=invitation.email,
        salutation=invitation.salutation,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        role=invitation.role,
        permissions=list(invitation.permissions),
        status=invitation.status,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        accepted_at=invitation.accepted_at,
        revoked_at=invitation.revoked_at,
        sent_count=invitation.sent_count,
    )


@router.get("/organization", response={200: OrganizationOut, **ERRORS})
def organization_current(request: HttpRequest) -> OrganizationOut:
    """The caller's current organization (any active member may read it)."""
    return organization_out(principal(request).organization)


@router.patch("/organization", response={200: OrganizationOut, **ERRORS})
def organization_patch(request: HttpRequest, body: OrganizationPatch) -> OrganizationOut:
    """Change the organization's settings (``organization.manage``)."""
    caller = require(request, Permission.ORGANIZATION_MANAGE)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    require_mfa = changes.pop("require_mfa", None)
    organization = caller.organization
    with transaction.atomic():
        if changes:
            services.organization_update(
                organization=organization, actor=caller.user, ip=client_ip(request), **changes
            )
        if require_mfa is not None:
            services.organization_set_require_mfa(
                organization=organization, actor=caller.user, require_mfa=require_mfa,
                ip=client_ip(request),
            )  # fmt: skip
    organization.refresh_from_db()
    return organization_out(organization)


@router.get("/members", response={200: MemberPage, **ERRORS}, tags=["members"])
def member_list(request: HttpRequest, query: Query[MemberQuery]) -> MemberPage:
    """Members with search (name, e-mail) and pagination (``users.manage``)."""
    caller = require(request, Permission.USERS_MANAGE)
    members = selectors.membership_list(
        organization=caller.organization, search=query.search, status=query.status
    )
    return paginate(MemberPage, members, query=query, out=member_out)


@router.post("/members", response={201: InvitationOut, **ERRORS}, tags=["members"])
def member_invite(request: HttpRequest, body: InvitationIn) -> Status[InvitationOut]:
    """Add a member by invitation: same as ``POST /invitations`` (``users.manage``)."""
    return invitation_create(request, body)


@router.get("/members/{membership_id}", response={200: MemberOut, **ERRORS}, tags=["members"])
def member_get(request: HttpRequest, membership_id: Id) -> MemberOut:
    caller = require(request, Permission.USERS_MANAGE)
    return member_out(
        selectors.membership_get(organization=caller.organization, membership_id=membership_id)
    )


@router.patch("/members/{membership_id}", response={200: MemberOut, **ERRORS}, tags=["members"])
def member_patch(request: HttpRequest, membership_id: Id, body: MemberPatch) -> MemberOut:
    """Change role and/or permissions (``users.manage``); a missing field stays as it is."""
    caller = require(request, Permission.USERS_MANAGE)
    membership = selectors.membership_get(
        organization=caller.organization, membership_id=membership_id
    )
    updated = services.membership_update_permissions(
        membership=membership,
        actor=caller.user,
        role=body.role if body.role is not None else membership.role,
        permissions=body.permissions if body.permissions is not None else membership.permissions,
        ip=client_ip(request),
    )
    return member_out(updated)


@router.delete("/members/{membership_id}", response={204: None, **ERRORS}, tags=["members"])
def member_delete(request: HttpRequest, membership_id: Id) -> Status[None]:
    """Remove a member from the organization (``users.manage``)."""
    caller = require(request, Permission.USERS_MANAGE)
    membership = selectors.membership_get(
        organization=caller.organization, membership_id=membership_id
    )
    services.membership_delete(membership=membership, actor=caller.user, ip=client_ip(request))
    return Status(204, None)


@router.post("/members/{membership_id}/lock", response={200: MemberOut, **ERRORS}, tags=["members"])
def member_lock(request: HttpRequest, membership_id: Id) -> MemberOut:
    """Lock a member out at once: sessions and tokens stop working (``users.manage``)."""
    caller = require(request, Permission.USERS_MANAGE)
    membership = selectors.membership_get(
        organization=caller.organization, membership_id=membership_id
    )
    return member_out(
        services.membership_lock(membership=membership, actor=caller.user, ip=client_ip(request))
    )


@router.post(
    "/members/{membership_id}/unlock", response={200: MemberOut, **ERRORS}, tags=["members"]
)
def member_unlock(request: HttpRequest, membership_id: Id) -> MemberOut:
    caller = require(request, Permission.USERS_MANAGE)
    membership = selectors.membership_get(
        organization=caller.organization, membership_id=membership_id
    )
    return member_out(
        services.membership_unlock(membership=membership, actor=caller.user, ip=client_ip(request))
    )


@router.get("/invitations", response={200: InvitationPage, **ERRORS}, tags=["invitations"])
def invitation_list(request: HttpRequest, query: Query[InvitationQuery]) -> InvitationPage:
    caller = require(request, Permission.USERS_MANAGE)
    invitations = selectors.invitation_list(
        organization=caller.organization, pending_only=query.pending_only
    )
    return paginate(InvitationPage, invitations, query=query, out=invitation_out)


@router.post("/invitations", response={201: InvitationOut, **ERRORS}, tags=["invitations"])
def invitation_create(request: HttpRequest, body: InvitationIn) -> Status[InvitationOut]:
    """Invite by e-mail; the link goes only to the invitee (``users.manage``)."""
    caller = require(request, Permission.USERS_MANAGE)
    invitation, _raw = services.invitation_create(
        organization=caller.organization, actor=caller.user, ip=client_ip(request),
        **body.model_dump(),
    )  # fmt: skip
    return Status(201, invitation_out(invitation))


@router.get(
    "/invitations/{invitation_id}", response={200: InvitationOut, **ERRORS}, tags=["invitations"]
)
def invitation_get(request: HttpRequest, invitation_id: Id) -> InvitationOut:
    caller = require(request, Permission.USERS_MANAGE)
    return invitation_out(
        selectors.invitation_get(organization=caller.organization, invitation_id=invitation_id)
    )


@router.post(
    "/invitations/{invitation_id}/resend",
    response={200: InvitationOut, **ERRORS},
    tags=["invitations"],
)
def invitation_resend(request: HttpRequest, invitation_id: Id) -> InvitationOut:
    """Send a new link (the old one stops working), valid 7 more days."""
    caller = require(request, Permission.USERS_MANAGE)
    invitation = selectors.invitation_get(
        organization=caller.organization, invitation_id=invitation_id
    )
    services.invitation_resend(invitation=invitation, actor=caller.user, ip=client_ip(request))
    return invitation_out(invitation)


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **ERRORS},
    tags=["invitations"],
)
def invitation_revoke(request: HttpRequest, invitation_id: Id) -> InvitationOut:
    caller = require(request, Permission.USERS_MANAGE)
    invitation = selectors.invitation_get(
        organization=caller.organization, invitation_id=invitation_id
    )
    services.invitation_revoke(invitation=invitation, actor=caller.user, ip=client_ip(request))
    return invitation_out(invitation)
