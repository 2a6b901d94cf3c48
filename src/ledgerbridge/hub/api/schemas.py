"""Request and response schemas of the identity API (pydantic, via django-ninja).

Every request schema (query or body) derives from :class:`RequestSchema`: a body must be
a JSON object, and no text anywhere in it may hold a NUL byte (422 ``text-nul-byte``).
Numbers are bounded by the shared types :data:`Id` and :data:`PageNumber`, so nothing a
client sends overflows an integer column of either database; a point in time is an
:data:`Instant`, read in UTC, so no offset reaches a database that cannot hold it.

>>> _in_utc(datetime.fromisoformat("2024-01-01T20:13:00+20:13"))
datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)
>>> _in_utc(datetime(2024, 1, 1)).tzinfo
datetime.timezone.utc
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ledgerbridge.formats import ErrorCode as FormatErrorCode
from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.validators import MAX_ID, MAX_PAGE, find_nul
from ledgerbridge.hub.identity.models import (  # pydantic needs them at run time
    AuditAction,
    AuditCategory,
    Membership,
    Organization,
)
from ledgerbridge.hub.identity.permissions import Role  # noqa: TC001  # pydantic needs it at run time

if TYPE_CHECKING:
    from enum import Enum

    from pydantic import ValidatorFunctionWrapHandler


def inline_enum(enum: type[Enum]) -> WithJsonSchema:
    """The values of ``enum`` written into each schema that uses it. The OpenAPI document
    has one namespace of schema names, where ``Document.Status`` and ``Membership.Status``
    would both be ``Status``, and one would silently replace the other."""
    return WithJsonSchema({"type": "string", "enum": [member.value for member in enum]})


OrganizationKind = Annotated[Organization.Kind, inline_enum(Organization.Kind)]
MembershipStatus = Annotated[Membership.Status, inline_enum(Membership.Status)]
# A file the formats library refuses keeps that library's code (``malformed-xml``,
# ``limit-image-pixels``, ...). Inline, as that class is named ``ErrorCode`` too.
FormatErrorCodeOut = Annotated[FormatErrorCode, inline_enum(FormatErrorCode)]
# An error ninja raised itself with no code of ours.
HttpStatusCode = Annotated[str, Field(pattern=r"^http-[0-9]{3}$")]
# The id of a row: what a bigint primary key can hold.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A page number of a list: from 1 to MAX_PAGE.
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]


def _in_utc(value: datetime) -> datetime:
    """``value`` in UTC (without an offset it is taken as UTC). PostgreSQL refuses an
    offset past 15:59 that Python accepts (``+20:13``), and year 1 or 9999 with an
    offset may not exist in UTC at all: that one is refused."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "datetime_range", "Input is outside the range of dates in UTC"
        ) from None


# A point in time a client names (a filter's bound): read in UTC.
Instant = Annotated[datetime, AfterValidator(_in_utc)]


class RequestSchema(Schema):
    """What a client sends: a JSON object (or a query) without NUL bytes in any text.

    The check wraps ninja's own validation, so it sees the input as it came: a JSON
    array or ``null`` as a body is not an object with every field missing, and a NUL
    byte (which PostgreSQL cannot store nor compare) is refused on every database alike.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_hostile_input(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            raise PydanticCustomError(
                "model_type", "Input should be an object", {"class_name": cls.__name__}
            )
        where = find_nul(value)
        if where is not None:
            raise PydanticCustomError(
                ErrorCode.TEXT_NUL_BYTE.value,
                "{field} must not contain a NUL byte",
                {"field": where},
            )
        return handler(value)


class ErrorOut(Schema):
    code: ErrorCode | FormatErrorCodeOut | HttpStatusCode = Field(
        description="an ErrorCode of the hub, the code of the formats library that refused "
        "the file, or http-<status> for a request the API framework refused itself",
        examples=[ErrorCode.PERMISSION_DENIED.value],
    )
    message: str
    details: dict[str, Any] | None = Field(
        default=None,
        description="what the refusal is about, when the code has more to say: "
        "plan-limit-reached gives limit (documents_per_month, storage_bytes, client_links, "
        "members), allowed and current; plan-feature-disabled gives feature",
    )


class _Page(Schema):
    count: int
    page: int
    page_size: int


class PageQuery(RequestSchema):
    page: PageNumber = 1
    page_size: int = Field(10, ge=1, le=100)


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str
    kind: OrganizationKind
    country: str
    tax_id: str = Field(description="formatted, e.g. CHE-123.456.789")
    tax_id_compact: str
    street: str
    building_number: str
    postal_code: str
    town: str
    require_mfa: bool
    created_at: datetime


class OrganizationPatch(RequestSchema):
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    tax_id: str | None = None
    street: str | None = None
    building_number: str | None = None
    postal_code: str | None = None
    town: str | None = None
    require_mfa: bool | None = None


class MemberOut(Schema):
    id: int
    user_id: int
    email: str
    first_name: str
    last_name: str
    last_login: datetime | None
    status: MembershipStatus
    role: Role
    permissions: list[str]
    created_at: datetime


class MemberPage(_Page):
    items: list[MemberOut]


class MemberQuery(PageQuery):
    search: str = ""
    status: MembershipStatus | None = None


class MemberPatch(RequestSchema):
    role: str | None = None
    permissions: list[str] | None = None


class InvitationIn(RequestSchema):
    email: str = Field(max_length=254)
    salutation: str = ""
    first_name: str = ""
    last_name: str = ""
    role: str = "employee"
    permissions: list[str] | None = Field(None, description="default: the role's preset")
    language: str | None = Field(None, description="e-mail language; default: the invitee's")


class InvitationOut(Schema):
    id: int
    email: str
    salutation: str
    first_name: str
    last_name: str
    role: str
    permissions: list[str]
    status: str = Field(description="pending, accepted, revoked or expired")
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    sent_count: int


class InvitationPage(_Page):
    items: list[InvitationOut]


class InvitationQuery(PageQuery):
    pending_only: bool = False


class TokenIn(RequestSchema):
    name: str = Field(max_length=100)
    permissions: list[str]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    user_email: str
    permissions: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="the raw token, shown only in this answer")


class AuditEventOut(Schema):
    id: int
    seq: int
    created_at: datetime
    category: AuditCategory
    action: AuditAction
    actor_id: int | None
    actor_email: str | None
    subject_user_id: int | None
    subject_email: str | None
    details: dict[str, Any]
    ip: str | None
    hash: str
    prev_hash: str


class AuditEventPage(_Page):
    items: list[AuditEventOut]


class AuditQuery(PageQuery):
    user_id: Id | None = None
    category: AuditCategory | None = None
    since: date | None = None
    until: date | None = None
    format: str = Field("json", pattern="^(json|csv)$")
