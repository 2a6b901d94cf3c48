"""factory_boy factories for the identity domain, shared by every hub test package.

``MembershipFactory(role=Role.ADMIN)`` gives that role's preset permissions unless
``permissions`` is passed; ``verified_user(...)`` adds allauth's verified address.
"""

from __future__ import annotations

# factory_boy types its factories (Generic) but not its declarations (Sequence, SubFactory …).
# mypy: disable-error-code="no-untyped-call"
import itertools
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken, Membership, Organization, User
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Role

# Valid Swiss UIDs (mod-11 check digit), one per organization built in a test session.
_uid_bases = itertools.count(10_000_000)


def _swiss_uid(n: int) -> str:
    """A valid compact Swiss UID: 8 digits + check digit (weights 5,4,3,2,7,6,5,4)."""
    while True:
        digits = f"{next(_uid_bases) if n < 0 else n:08d}"
        total = sum(int(d) * w for d, w in zip(digits, (5, 4, 3, 2, 7, 6, 5, 4), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return f"CHE{digits}{check}"
        n = -1


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = Sequence(lambda n: f"user{n}@example.test")
    first_name = Sequence(lambda n: f"First{n}")
    last_name = Sequence(lambda n: f"Last{n}")
    # Unusable by default: hashing a real password costs ~0.5 s; tests log in with
    # force_login. Pass password=make_password("...") where a real one is needed.
    password = LazyFunction(lambda: make_password(None))
    language = "en"


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = Sequence(lambda n: f"Company {n} AG")
    slug = Sequence(lambda n: f"company-{n}")
    kind = Organization.Kind.COMPANY
    country = "CH"
    tax_id = LazyFunction(lambda: _swiss_uid(-1))
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


def verified_user(**kwargs: Any) -> User:
    """A user whose e-mail is verified for allauth (primary address)."""
    user = make_user(**kwargs)
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def admin_of(organization: Organization | None = None, **user_kwargs: Any) -> Membership:
    """An active admin membership (a new organization unless one is given)."""
    kwargs: dict[str, Any] = {"role": Role.ADMIN, "user": verified_user(**user_kwargs)}
    if organization is not None:
        kwargs["organization"] = organization
    return make_membership(**kwargs)


# Typed entry points: factory_boy's classes return themselves to the type checker.
def make_user(**kwargs: Any) -> User:
    return UserFactory.create(**kwargs)


def make_organization(**kwargs: Any) -> Organization:
    return OrganizationFactory.create(**kwargs)


def make_membership(**kwargs: Any) -> Membership:
    return MembershipFactory.create(**kwargs)


def make_token(
    membership: Membership,
    *,
    name: str = "Agent",
    permissions: tuple[str, ...] = ("documents.view",),
) -> ApiToken:
    """An API token of ``membership``'s user, created (and audited) by the service."""
    token, _raw = services.api_token_create(
        organization=membership.organization,
        user=membership.user,
        name=name,
        permissions=list(permissions),
        ip=None,
    )
    return token
