"""Invitations: invite, resend, revoke (admins) and the landing page of the e-mailed link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ledgerbridge.hub.core.codes import Code, ErrorCode
from ledgerbridge.hub.core.errors import NotFound, ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.identity import selectors, services
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.web.accounts import invitations
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.forms import InvitationForm, add_service_error
from ledgerbridge.hub.web.middleware import SESSION_KEY
from ledgerbridge.hub.web.views._common import confirm, run_service

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django.utils.functional import Promise

    from ledgerbridge.hub.identity.models import Invitation, User
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest


@org_permission_required(Permission.USERS_MANAGE)
def invitation_create(request: AuthedOrgRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _raw = services.invitation_create(
                organization=request.organization,
                actor=request.user,
                email=data["email"],
                salutation=data["salutation"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                permissions=data["permissions"],
                ip=client_ip(request),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("web:member_list")
    status = 422 if form.errors else 200
    return render(request, "web/members/invite.html", {"form": form}, status=status)


@require_POST
@org_permission_required(Permission.USERS_MANAGE)
def invitation_resend(request: AuthedOrgRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get(
        organization=request.organization, invitation_id=invitation_id
    )
    run_service(
        request,
        lambda: services.invitation_resend(
            invitation=invitation, actor=request.user, ip=client_ip(request)
        ),
        done=_("A new link has been sent to %(email)s; the old one no longer works.")
        % {"email": invitation.email},
    )
    return redirect("web:member_list")


@org_permission_required(Permission.USERS_MANAGE)
def invitation_revoke(request: AuthedOrgRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get(
        organization=request.organization, invitation_id=invitation_id
    )
    if request.method != "POST":
        return confirm(
            request,
            title=_("Revoke invitation"),
            question=_("Revoke the invitation of %(email)s? Its link stops working.")
            % {"email": invitation.email},
            button=_("Revoke"),
            danger=True,
            back=reverse("web:member_list"),
        )
    run_service(
        request,
        lambda: services.invitation_revoke(
            invitation=invitation, actor=request.user, ip=client_ip(request)
        ),
        done=_("The invitation of %(email)s has been revoked.") % {"email": invitation.email},
    )
    return redirect("web:member_list")


def invitation_landing(request: HttpRequest, token: str) -> HttpResponse:
    """Where the e-mailed link leads: who invites whom to what, and the one way on.

    A visitor without a session is sent to sign up (or log in, when the address has an
    account) with the invitation kept in the session: they join as soon as they are
    logged in. Someone already logged in confirms with one click.
    """
    try:
        invitation = selectors.invitation_from_token(raw_token=token)
        services.invitation_check_open(invitation)
    except ServiceError as exc:
        return _closed(request, exc)
    if not request.user.is_authenticated:
        return _logged_out(request, invitation, token)
    user: User = request.user
    if request.method == "POST":
        try:
            membership = services.invitation_accept(
                raw_token=token, user=user, ip=client_ip(request)
            )
        except ServiceError as exc:
            return _closed(request, exc, invitation=invitation)
        request.session[SESSION_KEY] = membership.organization_id
        messages.success(
            request,
            _("Welcome to %(name)s.") % {"name": membership.organization.name},
        )
        return redirect("web:home")
    return render(request, "web/invitation/accept.html", _who_invites_whom(invitation))


def _logged_out(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    """One way on: sign up (or log in) with the invitation kept in the session."""
    invitations.remember(request, token)
    has_account = selectors.invitation_has_account(invitation=invitation)
    context = {
        **_who_invites_whom(invitation),
        "has_account": has_account,
        "next_url": reverse("account_login" if has_account else "account_signup"),
    }
    return render(request, "web/invitation/welcome.html", context)


def _who_invites_whom(invitation: Invitation) -> dict[str, object]:
    inviter = invitation.created_by
    return {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter_name": (inviter.get_full_name() or inviter.email) if inviter else "",
        "invitee_name": f"{invitation.first_name} {invitation.last_name}".strip(),
        "role": invitation.get_role_display(),
    }


# The headline of a link that cannot be used, by the reason the service gave.
_CLOSED_TITLES: dict[Code, Promise] = {
    ErrorCode.INVITATION_EXPIRED: gettext_lazy("This invitation has expired"),
    ErrorCode.INVITATION_REVOKED: gettext_lazy("This invitation has been revoked"),
    ErrorCode.INVITATION_USED: gettext_lazy("This invitation has already been used"),
    ErrorCode.INVITATION_EMAIL_MISMATCH: gettext_lazy(
        "This invitation is for another e-mail address"
    ),
    ErrorCode.ALREADY_MEMBER: gettext_lazy("You are already a member"),
}


def _closed(
    request: HttpRequest, error: ServiceError, *, invitation: Invitation | None = None
) -> HttpResponse:
    """A link that cannot be used (any more): the specific reason, nothing changed."""
    status = 404 if isinstance(error, NotFound) else 410
    if error.code in (ErrorCode.INVITATION_EMAIL_MISMATCH, ErrorCode.ALREADY_MEMBER):
        status = 409
    context = {
        "error": error,
        "invitation": invitation,
        "title": _CLOSED_TITLES.get(error.code, _("This invitation link is not valid")),
        "ask_inviter": error.code in (ErrorCode.INVITATION_EXPIRED, ErrorCode.INVITATION_REVOKED),
        "email_mismatch": error.code == ErrorCode.INVITATION_EMAIL_MISMATCH,
    }
    return render(request, "web/invitation/closed.html", context, status=status)
