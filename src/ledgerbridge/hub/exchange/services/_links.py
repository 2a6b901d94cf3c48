"""Client links: made by one side for the other's tax ID, accepted by an admin there.

The side that starts names the other by tax ID and a contact e-mail. When an organization
with that tax ID exists, its admins get the request (e-mail and app); else the contact gets
an invitation to register with the tax ID fixed. Only an admin of an organization whose tax
ID is exactly the link's may accept; either side may revoke, after which nothing new crosses
and what was sent stays readable to the office. Every step is in both sides' change log.
The request's mail is sent by a task from the row committed with the link (the outbox).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid, PermissionDenied
from ledgerbridge.hub.core.outbox import enqueue
from ledgerbridge.hub.exchange.models import (
    Category,
    ClientAssignment,
    ClientLink,
    LinkDirection,
    LinkStatus,
)
from ledgerbridge.hub.exchange.selectors import open_link_count
from ledgerbridge.hub.exchange.services._common import (
    audit_both,
    audit_one,
    clean_categories,
    link_tax_id,
)
from ledgerbridge.hub.identity.emails import clean_email
from ledgerbridge.hub.identity.hashing import sha256_hex
from ledgerbridge.hub.identity.models import AuditAction, Membership, Organization
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.identity.plans import Feature, PlanLimit
from ledgerbridge.hub.identity.services import (
    actor_membership,
    is_admin,
    plan_require,
    plan_require_feature,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledgerbridge.hub.identity.models import ApiToken, User

__all__ = [
    "LINK_REQUEST_VALIDITY",
    "admins_of",
    "client_assign",
    "client_link_accept",
    "client_link_create",
    "client_link_mail_send",
    "client_link_revoke",
    "client_link_token",
    "client_link_update",
    "client_unassign",
    "link_join_url",
    "send_mail",
]

LINK_REQUEST_VALIDITY = timedelta(days=30)
MAIL_TASK = "ledgerbridge.hub.exchange.tasks.send_link_mail"
_TOKEN_SALT = "ledgerbridge.hub.exchange.link-token"  # noqa: S105  # an HMAC salt, not a secret

_OFFICE_KINDS = {Organization.Kind.ACCOUNTING_OFFICE, Organization.Kind.BOTH}
_COMPANY_KINDS = {Organization.Kind.COMPANY, Organization.Kind.BOTH}


def client_link_token(link_id: int) -> str:
    """The raw token of a link's e-mail (URL-safe, 256 bits; rebuilt by the mail task)."""
    mac = salted_hmac(_TOKEN_SALT, f"link:{link_id}", algorithm="sha256")
    return mac.hexdigest()


def link_join_url(link: ClientLink) -> str:
    return f"{settings.SITE_URL}/links/join/{client_link_token(link.pk)}"


def _wrong_kind(*, office_side: bool) -> Invalid:
    if office_side:
        return Invalid(
            ErrorCode.WRONG_ORGANIZATION_KIND,
            _("Only an accounting office can have clients. Change the organization's kind first."),
        )
    return Invalid(
        ErrorCode.WRONG_ORGANIZATION_KIND,
        _("Only a company can connect an accounting office. Change the organization's kind first."),
    )


def _check_kind(organization: Organization, *, as_office: bool) -> None:
    kinds = _OFFICE_KINDS if as_office else _COMPANY_KINDS
    if organization.kind not in kinds:
        raise _wrong_kind(office_side=as_office)


def _open_links_between(
    organization: Organization, country: str, tax_id: str, other: Organization | None
) -> bool:
    query = Q(organization=organization, target_country=country, target_tax_id=tax_id)
    if other is not None:
        query |= Q(office=organization, client=other) | Q(office=other, client=organization)
    return ClientLink.objects.filter(query).exclude(status=LinkStatus.REVOKED).exists()


@transaction.atomic
def client_link_create(
    *,
    organization: Organization,
    tax_id: str,
    email: str,
    direction: str,
    categories: Iterable[str] | None = None,
    country: str | None = None,
    language: str = "",
    actor: User,
    token: ApiToken | None = None,
    ip: str | None,
) -> ClientLink:
    """Start a link from ``organization`` to the organization with ``tax_id``.

    ``direction`` says what the other side is: ``accounting_office`` (the company connects
    its office) or ``client`` (the office adds a client). The request waits for an admin of
    the other side. Refusals: the other side's tax ID malformed (``invalid-tax-id``) or
    one's own (``link-to-self``), an open link between the two (``link-exists``), the wrong
    kind of organization for the direction (``wrong-organization-kind``).
    """
    _manager(actor, organization)
    if direction not in LinkDirection.values:
        raise Invalid(
            ErrorCode.DIRECTION_INVALID,
            _("The direction must be accounting_office or client."),
        )
    as_office = direction == LinkDirection.CLIENT
    _check_kind(organization, as_office=as_office)
    email = clean_email(email)
    chosen = clean_categories(Category.values if categories is None else categories)
    target_country, target_tax_id = link_tax_id(
        tax_id, country=country, default_country=organization.country
    )
    if (target_country, target_tax_id) == (organization.country, organization.tax_id):
        raise Invalid(ErrorCode.LINK_TO_SELF, _("This is your own organization's tax ID."))
    other = Organization.objects.filter(country=target_country, tax_id=target_tax_id).first()
    _plan_allows_a_link(organization)
    if _open_links_between(organization, target_country, target_tax_id, other):
        raise Conflict(
            ErrorCode.LINK_EXISTS,
            _("There is already a link or an open request with this organization. "
              "Look in the list of links: an open request from them can be accepted there."),
        )  # fmt: skip
    now = timezone.now()
    link = ClientLink(
        organization=organization,
        direction=direction,
        office=organization if as_office else other,
        client=other if as_office else organization,
        target_country=target_country,
        target_tax_id=target_tax_id,
        contact_email=email,
        categories=chosen,
        status=LinkStatus.PENDING,
        token_hash=secrets.token_hex(32),  # replaced below, once the id is known
        language=language,
        created_by=actor,
        created_at=now,
        expires_at=now + LINK_REQUEST_VALIDITY,
    )
    try:
        with transaction.atomic():
            link.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            ErrorCode.LINK_EXISTS, _("There is already a link with this organization.")
        ) from None
    link.token_hash = sha256_hex(client_link_token(link.pk))
    link.save(update_fields=["token_hash"])
    audit_one(
        organization=organization, actor=actor, action=AuditAction.LINK_REQUESTED, ip=ip,
        token=token,
        details={"link_id": link.pk, "direction": direction, "country": target_country,
                 "tax_id": target_tax_id, "email": email, "categories": chosen},
    )  # fmt: skip
    enqueue(MAIL_TASK, link_id=link.pk)
    return link


def _manager(actor: User, organization: Organization) -> None:
    actor_membership(
        actor=actor, organization=organization, permission=Permission.CLIENT_LINKS_MANAGE
    )


def _plan_allows_a_link(organization: Organization, *, counted: bool = False) -> None:
    """The plan has the exchange and room for one more link (organization row locked).

    ``counted``: the link is among the organization's open links already (a request made
    for it while it existed), so it is not counted twice when accepted.
    """
    plan_require_feature(organization=organization, feature=Feature.EXCHANGE)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    plan_require(
        organization=organization, limit=PlanLimit.CLIENT_LINKS,
        current=lambda: open_link_count(organization=organization) - int(counted),
    )  # fmt: skip


def _locked(link: ClientLink) -> ClientLink:
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the office/client join.
    return (
        ClientLink.objects.select_for_update(of=("self",))
        .select_related("office", "client")
        .get(pk=link.pk)
    )


def _check_open(link: ClientLink) -> None:
    if link.status == LinkStatus.REVOKED:
        raise Conflict(ErrorCode.LINK_REVOKED, _("This link was revoked."))
    if link.status == LinkStatus.ACTIVE:
        raise Conflict(ErrorCode.LINK_ALREADY_ACTIVE, _("This link is active already."))
    if link.expires_at <= timezone.now():
        raise Conflict(
            ErrorCode.LINK_REQUEST_EXPIRED,
            _("This request has expired. Ask the other side to send a new one."),
        )


@transaction.atomic
def client_link_accept(
    *,
    link: ClientLink,
    organization: Organization,
    actor: User,
    categories: Iterable[str] | None = None,
    token: ApiToken | None = None,
    ip: str | None,
) -> ClientLink:
    """Accept ``link`` for ``organization``; only its admin, only with the link's tax ID.

    A client that accepts may narrow the shared categories. Refusals change nothing:
    ``link-own-request`` (the side that asked), ``tax-id-mismatch``, ``link-revoked``,
    ``link-already-active``, ``link-request-expired``, ``wrong-organization-kind``, and
    403 for a member who is not an admin.
    """
    membership = actor_membership(
        actor=actor, organization=organization, permission=Permission.CLIENT_LINKS_MANAGE
    )
    if not is_admin(membership):
        raise PermissionDenied(
            ErrorCode.PERMISSION_DENIED,
            _("Only an administrator of the organization can accept a link."),
        )
    link = _locked(link)
    if link.organization_id == organization.pk:
        raise Conflict(
            ErrorCode.LINK_OWN_REQUEST,
            _("Your organization sent this request; the other side has to accept it."),
        )
    _check_open(link)
    if (organization.country, organization.tax_id) != (link.target_country, link.target_tax_id):
        raise Conflict(
            ErrorCode.TAX_ID_MISMATCH,
            _("This link was made for another tax ID. Both sides must carry the tax ID the "
              "link names: ask the other side to make it for your organization's tax ID."),
        )  # fmt: skip
    as_office = link.direction == LinkDirection.ACCOUNTING_OFFICE
    _check_kind(organization, as_office=as_office)
    _plan_allows_a_link(organization, counted=_side_of(link, organization))
    if as_office:
        link.office = organization
    else:
        link.client = organization
        if categories is not None:
            link.categories = clean_categories(categories)
    link.status = LinkStatus.ACTIVE
    link.accepted_at = timezone.now()
    link.accepted_by = actor
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise Conflict(
            ErrorCode.LINK_EXISTS, _("There is already a link with this organization.")
        ) from None
    audit_both(
        link=link, actor=actor, action=AuditAction.LINK_ACCEPTED, ip=ip, token=token,
        details={"categories": link.categories},
    )  # fmt: skip
    return link


def _side_of(link: ClientLink, organization: Organization) -> bool:
    return organization.pk in {link.organization_id, link.office_id, link.client_id}


@transaction.atomic
def client_link_revoke(
    *,
    link: ClientLink,
    organization: Organization,
    actor: User,
    token: ApiToken | None = None,
    ip: str | None,
) -> ClientLink:
    """End ``link`` from either side (also a request: withdrawn or declined).

    Nothing new crosses it afterwards; what was sent stays readable to the office.
    """
    _manager(actor, organization)
    link = _locked(link)
    if link.status == LinkStatus.REVOKED:
        raise Conflict(ErrorCode.LINK_REVOKED, _("This link was revoked already."))
    if not _side_of(link, organization):
        # A request for this organization's tax ID, not yet bound: declining binds it.
        if link.direction == LinkDirection.ACCOUNTING_OFFICE:
            link.office = organization
        else:
            link.client = organization
    link.status = LinkStatus.REVOKED
    link.revoked_at = timezone.now()
    link.revoked_by_organization = organization
    link.save()
    audit_both(
        link=link, actor=actor, action=AuditAction.LINK_REVOKED, ip=ip, token=token,
        details={"by_organization_id": organization.pk},
    )  # fmt: skip
    return link


@transaction.atomic
def client_link_update(
    *,
    link: ClientLink,
    organization: Organization,
    actor: User,
    categories: Iterable[str] | None = None,
    auto_send: Iterable[str] | None = None,
    token: ApiToken | None = None,
    ip: str | None,
) -> ClientLink:
    """The client chooses which categories cross the link and which are sent by rule."""
    _manager(actor, organization)
    link = _locked(link)
    if link.client_id != organization.pk:
        raise PermissionDenied(
            ErrorCode.PERMISSION_DENIED,
            _("Only the client company chooses what crosses the link."),
        )
    if link.status == LinkStatus.REVOKED:
        raise Conflict(ErrorCode.LINK_REVOKED, _("This link was revoked."))
    before = {"categories": link.categories, "auto_send": link.auto_send}
    if categories is not None:
        link.categories = clean_categories(categories)
    if auto_send is not None:
        link.auto_send = clean_categories(auto_send)
    # A rule can only send what the link shares.
    link.auto_send = [value for value in link.auto_send if value in link.categories]
    after = {"categories": link.categories, "auto_send": link.auto_send}
    if after != before:
        link.save(update_fields=["categories", "auto_send"])
        audit_both(
            link=link, actor=actor, action=AuditAction.LINK_SETTINGS_CHANGED, ip=ip,
            token=token, details={"before": before, "after": after},
        )  # fmt: skip
    return link


def _assignable(office: Organization, client: Organization, user: User) -> None:
    linked = ClientLink.objects.filter(office=office, client=client).exclude(
        status=LinkStatus.PENDING
    )
    member = Membership.objects.filter(organization=office, user=user).exists()
    if not linked.exists() or not member:
        raise Invalid(
            ErrorCode.NOT_ASSIGNABLE,
            _("Only a member of the office can be assigned, and only to one of its clients."),
        )


@transaction.atomic
def client_assign(
    *, office: Organization, client: Organization, user: User, actor: User, ip: str | None
) -> ClientAssignment:
    """Give ``user`` (an accountant of the office) the client ``client``."""
    actor_membership(actor=actor, organization=office, permission=Permission.CLIENT_LINKS_MANAGE)
    _assignable(office, client, user)
    assignment, created = ClientAssignment.objects.get_or_create(
        organization=office, client=client, user=user
    )
    if created:
        audit_one(
            organization=office, actor=actor, action=AuditAction.CLIENT_ASSIGNED, ip=ip,
            details={"client_id": client.pk, "user_id": user.pk},
        )  # fmt: skip
    return assignment


@transaction.atomic
def client_unassign(
    *, office: Organization, client: Organization, user: User, actor: User, ip: str | None
) -> bool:
    """Take the client ``client`` away from ``user``; whether an assignment went."""
    actor_membership(actor=actor, organization=office, permission=Permission.CLIENT_LINKS_MANAGE)
    deleted, _rows = ClientAssignment.objects.filter(
        organization=office, client=client, user=user
    ).delete()
    if deleted:
        audit_one(
            organization=office, actor=actor, action=AuditAction.CLIENT_UNASSIGNED, ip=ip,
            details={"client_id": client.pk, "user_id": user.pk},
        )  # fmt: skip
    return bool(deleted)


def admins_of(organization: Organization) -> list[User]:
    memberships = Membership.objects.filter(
        organization=organization, status=Membership.Status.ACTIVE
    ).select_related("user")
    return [m.user for m in memberships if is_admin(m) and m.user.is_active]


def send_mail(template: str, context: dict[str, object], to: str, language: str) -> None:
    with translation.override(language):
        subject = render_to_string(f"exchange/email/{template}_subject.txt", context)
        text = render_to_string(f"exchange/email/{template}_message.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[to],
        headers={"Content-Language": language},
    )  # fmt: skip
    message.send()


@transaction.atomic
def client_link_mail_send(*, link_id: int) -> bool:
    """Mail the request of a link once: to the other side's admins, or an invitation.

    The row stays locked from the check to the receipt (``mailed_at``), so a retried task
    mails once; a request that was answered or revoked meanwhile is not mailed.
    """
    link = (
        ClientLink.objects.select_for_update(of=("self",))
        .select_related("organization", "office", "client")
        .filter(pk=link_id)
        .first()
    )
    if link is None or link.mailed_at is not None or link.status != LinkStatus.PENDING:
        return False
    other = link.client if link.direction == LinkDirection.CLIENT else link.office
    context: dict[str, object] = {
        "link": link,
        "requester": link.organization,
        "site_name": settings.SITE_NAME,
        "expires_at": link.expires_at,
        "is_office": link.direction == LinkDirection.CLIENT,
    }
    if other is not None:
        context["url"] = f"{settings.SITE_URL}/links/"
        for admin in admins_of(other):
            send_mail("link_request", context, admin.email, admin.language or "en")
    else:
        context["url"] = link_join_url(link)
        language = link.language or str(settings.LANGUAGE_CODE)
        send_mail("link_invitation", context, link.contact_email, language)
    link.mailed_at = timezone.now()
    link.save(update_fields=["mailed_at"])
    return True
