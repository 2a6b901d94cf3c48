"""The one set of factories of the hub tests: people, tenants, tokens and documents.

factory_boy builds the identity rows (``UserFactory``, ``OrganizationFactory``,
``MembershipFactory``); the ``make_*`` functions are their typed entry points.
``MembershipFactory(role=Role.ADMIN)`` gives that role's preset permissions unless
``permissions`` is passed. ``verified_user`` adds allauth's verified address and the
shared ``PASSWORD``; ``tenant`` builds a whole organization through the real services, so
it carries the audit chain and hashed secrets that production data has. Documents are
ingested by the service from the QR-bill photos of the shared corpus, and the bad inputs
(an HTML page, a decompression bomb, a plain QR code, a PDF with nothing to read) are
built in memory so that every test says what it feeds in.

Swiss UIDs are numbered from one counter and get their check digit from python-stdnum,
so every organization of a test run has a fresh valid tax ID.
"""

from __future__ import annotations

# factory_boy types its factories (Generic) but not its declarations (Sequence, SubFactory …).
# mypy: disable-error-code="no-untyped-call"
import io
import itertools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import qrcode
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory
from PIL import Image, ImageDraw
from stdnum.ch import uid as ch_uid

from ledgerbridge.hub.documents import services as document_services
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.exchange import services as exchange_services
from ledgerbridge.hub.exchange.models import ClientLink, LinkDirection, SentDocument
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken, Invitation, Membership, Organization, User
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Permission, Role

if TYPE_CHECKING:
    from ledgerbridge.hub.documents.services import IngestResult

PASSWORD = "Sturdy-Ledger-Password-77"
CORPUS = Path(
    os.environ.get("LEDGERBRIDGE_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus")
)
QRBILL_GENERATED = CORPUS / "qrbill" / "generated"

_uid_numbers = itertools.count(10_000_001)


def swiss_uid() -> str:
    """A valid compact Swiss UID (``CHE`` + 9 digits) never handed out before in this run."""
    while len(check := ch_uid.calc_check_digit(body := str(next(_uid_numbers)))) != 1:
        pass  # a remainder of 10 has no check digit: such numbers are never issued
    return f"CHE{body}{check}"


def new_uid() -> str:
    """``swiss_uid()`` as people type it: ``CHE-123.456.789``."""
    return str(ch_uid.format(swiss_uid()))


# --- identity ------------------------------------------------------------------------


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = Sequence(lambda n: f"user{n}@example.test")
    first_name = Sequence(lambda n: f"First{n}")
    last_name = Sequence(lambda n: f"Last{n}")
    # Unusable unless given: tests log in with force_login; verified_user sets PASSWORD.
    password = LazyFunction(lambda: make_password(None))
    language = "en"


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = Sequence(lambda n: f"Company {n} AG")
    slug = Sequence(lambda n: f"company-{n}")
    kind = Organization.Kind.COMPANY
    country = "CH"
    tax_id = LazyFunction(swiss_uid)
    street = "Bahnhofstrasse"
    building_number = "1"
    postal_code = "8001"
    town = "Zürich"


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organization = SubFactory(OrganizationFactory)
    user = SubFactory(UserFactory)
    role = Role.EMPLOYEE
    permissions = LazyAttribute(lambda m: sorted(ROLE_PRESETS[Role(m.role)]))
    status = Membership.Status.ACTIVE


# Typed entry points: factory_boy's classes return themselves to the type checker.
def make_user(**kwargs: Any) -> User:
    return UserFactory.create(**kwargs)


def make_organization(**kwargs: Any) -> Organization:
    return OrganizationFactory.create(**kwargs)


def make_membership(**kwargs: Any) -> Membership:
    """A membership (an employee of a new organization unless told otherwise)."""
    return MembershipFactory.create(**kwargs)


def make_memberships(count: int, **kwargs: Any) -> list[Membership]:
    return MembershipFactory.create_batch(count, **kwargs)


def verified_user(email: str | None = None, *, password: str = PASSWORD, **fields: Any) -> User:
    """A user with ``password`` and a verified primary e-mail address, as after sign-up."""
    if email is not None:
        fields["email"] = email
    user = make_user(password=make_password(password), **fields)
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def admin_of(organization: Organization | None = None, **user_fields: Any) -> Membership:
    """An active admin membership (of a new organization unless one is given)."""
    kwargs: dict[str, Any] = {"role": Role.ADMIN, "user": verified_user(**user_fields)}
    if organization is not None:
        kwargs["organization"] = organization
    return make_membership(**kwargs)


def make_token(
    membership: Membership,
    *,
    name: str = "Agent",
    permissions: tuple[str, ...] = ("documents.view",),
) -> ApiToken:
    """An API token of ``membership``'s user, created (and audited) by the service."""
    return make_token_with_secret(membership, name=name, permissions=permissions)[0]


def make_token_with_secret(
    membership: Membership,
    *,
    name: str = "Agent",
    permissions: tuple[str, ...] = ("documents.view",),
) -> tuple[ApiToken, str]:
    """``make_token`` and the raw token a client sends (shown only once)."""
    return services.api_token_create(
        organization=membership.organization,
        user=membership.user,
        name=name,
        permissions=list(permissions),
        ip=None,
    )


def make_invitation(
    admin: Membership, email: str = "new@example.test", **fields: Any
) -> tuple[Invitation, str]:
    """A pending invitation to ``admin``'s organization and its raw link token."""
    return services.invitation_create(
        organization=admin.organization, actor=admin.user, email=email, ip=None, **fields
    )


def with_totp(user: User) -> str:
    """Activate an authenticator app for ``user``; return the (clear) secret."""
    secret: str = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


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
        user = verified_user(email, first_name="", last_name="")
        make_membership(
            organization=self.organization, user=user, role=Role.APP, permissions=permissions
        )
        return user


def tenant(key: str, *, name: str | None = None) -> Tenant:
    """A complete organization whose every visible string contains ``key``.

    ``key`` (lower-case letters) ends up in the organization name, the e-mail addresses,
    the names of people and the token names, so a page or an API answer that shows any of
    this tenant's data contains it. Each call builds a new tenant.
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
    membership = make_membership(organization=organization, user=member)
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


# --- documents -----------------------------------------------------------------------


def qrbill_manifest() -> list[dict[str, Any]]:
    """Every entry of ``qrbill/generated/manifest.json``, each with ``path`` added."""
    entries: list[dict[str, Any]] = json.loads(
        (QRBILL_GENERATED / "manifest.json").read_text("utf-8")
    )
    for entry in entries:
        entry["path"] = QRBILL_GENERATED / entry["file"]
    return entries


def qrbill_file(name: str = "s1_bill01_w900.png") -> tuple[bytes, dict[str, Any]]:
    """The bytes of one generated QR-bill image and its manifest entry."""
    entry = next(e for e in qrbill_manifest() if e["file"] == name)
    return entry["path"].read_bytes(), entry


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def blank_pdf() -> bytes:
    """A valid one-page PDF with nothing to read on it."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "white").save(buffer, "PDF")
    return buffer.getvalue()


def plain_qr_png(text: str = "https://example.com/menu") -> bytes:
    """A PNG with a QR code that is not a Swiss QR-bill."""
    return _png(qrcode.make(text).get_image())


def receipt_jpeg() -> bytes:
    """A phone photo of a till receipt: a JPEG with lines of "text" and no QR code."""
    image = Image.new("RGB", (600, 900), (246, 244, 236))
    draw = ImageDraw.Draw(image)
    for row in range(12):
        draw.rectangle((60, 80 + row * 60, 420 + (row * 37) % 120, 100 + row * 60), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def bomb_png() -> bytes:
    """A 48 kB PNG that would decode to 400 million pixels."""
    return _png(Image.new("1", (20_000, 20_000)))


HTML_AS_PDF = b"<!DOCTYPE html><html><head><title>Invoice</title></head><body>hi</body></html>"


def ingest(membership: Membership, data: bytes, **kwargs: Any) -> IngestResult:
    """``data`` ingested by the service as an upload of ``membership``'s user."""
    kwargs.setdefault("filename", "file.bin")
    kwargs.setdefault("source", Document.Source.UPLOAD)
    return document_services.document_ingest(
        organization=membership.organization, data=data, actor=membership.user, **kwargs
    )


DEBTOR_IBAN = "CH5604835012345678009"


def make_slip(membership: Membership, bill: str = "s1_bill01") -> Document:
    """A pending slip read from the QR text of a generated corpus bill (fast: no image)."""
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == bill)
    payload = entry["expected_payload"].encode()
    return ingest(membership, payload, filename=f"{bill}.txt").documents[0]


def make_payment_slip(
    organization: Organization, name: str = "s1_bill01_w900.png", **kwargs: Any
) -> Document:
    """A pending payment slip of ``organization``, ingested from a corpus QR-bill image
    (the file is written to the default storage: use the ``media`` fixture)."""
    kwargs.setdefault("source", Document.Source.SCAN)
    result = document_services.document_ingest(
        organization=organization,
        data=qrbill_file(name)[0],
        filename=name,
        actor=None,
        **kwargs,
    )
    return result.documents[0]


def make_slip_to(
    membership: Membership, *, creditor: str, amount: str, bill: str = "s1_bill01"
) -> Document:
    """A pending slip like :func:`make_slip`, paid to ``creditor`` for ``amount`` (the
    creditor's name and the amount lines of the corpus bill's QR text replaced)."""
    entry = next(e for e in qrbill_manifest() if e["bill_id"] == bill)
    lines = entry["expected_payload"].split("\r\n")
    lines[5], lines[18] = creditor, amount  # Swiss Implementation Guidelines, section 4.3
    payload = "\r\n".join(lines).encode()
    return ingest(membership, payload, filename=f"{bill}.txt").documents[0]


# --- exchange ------------------------------------------------------------------------


def office_admin(**user_fields: Any) -> Membership:
    """The admin of a new accounting office."""
    return admin_of(make_organization(kind=Organization.Kind.ACCOUNTING_OFFICE), **user_fields)


def make_link(
    office: Membership, client: Membership, *, categories: list[str] | None = None,
    accept: bool = True,
) -> ClientLink:  # fmt: skip
    """A link the office (``office``'s admin) made for ``client``'s organization, accepted
    by ``client``'s admin unless ``accept`` is false."""
    link = exchange_services.client_link_create(
        organization=office.organization, tax_id=client.organization.tax_id,
        country=client.organization.country, email=client.user.email,
        direction=LinkDirection.CLIENT, categories=categories, actor=office.user, ip=None,
    )  # fmt: skip
    if accept:
        link = exchange_services.client_link_accept(
            link=link, organization=client.organization, actor=client.user, ip=None
        )
    return link


def send(client: Membership, link: ClientLink, document: Document) -> SentDocument:
    """``document`` sent over ``link`` by ``client``'s user (the service: a snapshot)."""
    sent, _created = exchange_services.document_send(
        document=document, link=link, actor=client.user, ip=None
    )
    return sent


def ingest_corpus(membership: Membership, name: str) -> Document:
    """The first document read from the shared corpus file ``name`` (e.g. ``ubl/...xml``)."""
    path = CORPUS / name
    return ingest(membership, path.read_bytes(), filename=path.name).documents[0]
