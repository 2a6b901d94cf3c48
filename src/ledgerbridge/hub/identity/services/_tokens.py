"""API tokens: ``lb_<prefix>_<secret>``, stored as SHA-256, for one user in one organization.

A token works only while it is not revoked, its user is active and its membership is
active; it never grants more than the membership currently holds. A request made with a
token (``via_token``) may manage tokens only when that token holds ``tokens.manage``, and
only tokens whose rights it holds itself: a narrow token can neither mint nor revoke a
broader one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Conflict, Invalid, PermissionDenied
from ledgerbridge.hub.identity.hashing import sha256_hex
from ledgerbridge.hub.identity.models import (
    ApiToken,
    AuditAction,
    AuditCategory,
    Membership,
    Organization,
    User,
)
from ledgerbridge.hub.identity.permissions import Permission, parse_permissions
from ledgerbridge.hub.identity.plans import Feature
from ledgerbridge.hub.identity.services._audit import audit_record
from ledgerbridge.hub.identity.services._common import save_audited
from ledgerbridge.hub.identity.services._plans import plan_require_feature

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from django.db.models import Model
    from django.db.models.expressions import Col

    Converter = Callable[[Any, Any, Any], Any]

# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """What an authenticated token may do right now."""

    token: ApiToken
    membership: Membership
    permissions: frozenset[Permission]


@transaction.atomic
def api_token_create(
    *,
    organization: Organization,
    user: User,
    name: str,
    permissions: Iterable[str],
    ip: str | None,
    via_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Create a token with a subset of ``user``'s permissions; the raw token is returned once.

    ``via_token`` is the token the request came with, if any: the new token must then
    stay within that token's rights too.
    """
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is None or not membership.is_active or not user.is_active:
        raise PermissionDenied()
    plan_require_feature(organization=organization, feature=Feature.API)
    ceiling = membership.permission_set
    if via_token is not None:
        ceiling = _rights_to_manage_tokens(via_token)
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise Invalid(
            ErrorCode.TOKEN_NAME_REQUIRED, _("Give the token a name (at most 100 characters).")
        )
    wanted = parse_permissions(permissions)
    if not wanted:
        raise Invalid(ErrorCode.TOKEN_PERMISSIONS_EMPTY, _("Choose at least one permission."))
    if not set(wanted) <= ceiling:
        raise Invalid(
            ErrorCode.TOKEN_PERMISSIONS_EXCEED_USER,
            _("A token cannot have permissions that you do not have yourself."),
        )
    prefix = secrets.token_hex(4)
    raw_token = f"lb_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organization=organization,
        user=user,
        name=name,
        prefix=prefix,
        token_hash=sha256_hex(raw_token),
        permissions=[p.value for p in wanted],
    )
    audit_record(
        organization=organization,
        actor=user,
        category=AuditCategory.SECURITY,
        action=AuditAction.TOKEN_CREATED,
        subject_user=user,
        details={"token_id": token.pk, "name": name, "prefix": prefix,
                 "permissions": token.permissions},
        ip=ip,
    )  # fmt: skip
    return token, raw_token


@transaction.atomic
def api_token_revoke(
    *, token: ApiToken, actor: User, ip: str | None, via_token: ApiToken | None = None
) -> ApiToken:
    """Revoke a token (its owner, or a member who manages users).

    With ``via_token`` (the request came with a token), that token must hold
    ``tokens.manage`` and every right of the token it revokes.
    """
    if via_token is not None and not token.permission_set <= _rights_to_manage_tokens(via_token):
        raise PermissionDenied()
    if token.user_id != actor.pk:
        acting = Membership.objects.filter(
            organization_id=token.organization_id, user=actor
        ).first()
        if (
            acting is None
            or not actor.is_active
            or not acting.has_permission(Permission.USERS_MANAGE)
        ):
            raise PermissionDenied()
    target = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if target.revoked_at is not None:
        raise Conflict(ErrorCode.TOKEN_REVOKED, _("This token has already been revoked."))
    target.revoked_at = timezone.now()
    save_audited(
        target, fields=["revoked_at"], actor=actor, category=AuditCategory.SECURITY,
        action=AuditAction.TOKEN_REVOKED, subject_user=target.user,
        details={"token_id": target.pk, "name": target.name, "prefix": target.prefix}, ip=ip,
    )  # fmt: skip
    token.refresh_from_db()
    return target


def _token_rights(token: ApiToken) -> frozenset[Permission]:
    """What ``token`` may do now: its permissions that its user's membership still holds."""
    membership = Membership.objects.filter(
        organization_id=token.organization_id, user_id=token.user_id
    ).first()
    if membership is None or not membership.is_active or token.revoked_at is not None:
        return frozenset()
    return token.permission_set & membership.permission_set


def _rights_to_manage_tokens(via_token: ApiToken) -> frozenset[Permission]:
    """The rights a token may hand out or take away; refused without ``tokens.manage``."""
    rights = _token_rights(via_token)
    if Permission.TOKENS_MANAGE not in rights:
        raise PermissionDenied()
    return rights


def api_token_authenticate(raw_token: str) -> TokenGrant | None:
    """The grant of a raw bearer token, or ``None`` when it does not work (any reason).

    One query reads the token with its user, its organization and the user's membership
    there (every API request pays it, so its SQL is built once, see :func:`_token_row`);
    ``last_used_at`` is written at most once per :data:`LAST_USED_RESOLUTION`. Raises
    ``plan-feature-disabled`` when the organization's plan does not include the API.
    """
    parts = raw_token.split("_", 2)
    if len(parts) != 3 or parts[0] != "lb" or not parts[2]:
        return None
    found = _token_row(parts[1], sha256_hex(raw_token))
    if found is None:
        return None
    token, membership = found
    if not token.user.is_active or membership is None or not membership.is_active:
        return None
    # A good token of an organization whose plan has no API: 403, and not even "used".
    plan_require_feature(organization=token.organization, feature=Feature.API)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    membership.organization = token.organization
    membership.user = token.user
    return TokenGrant(token, membership, token.permission_set & membership.permission_set)


# --- the token lookup, with its SQL built once -------------------------------------------
# Compiling the equivalent ORM query (a filtered LEFT JOIN and two select_related) cost more
# CPU than anything else an API request does outside the endpoint; the SQL below is the
# same query, written once per database vendor from the models' metadata.


@dataclass(frozen=True, slots=True)
class _Columns:
    """One model's columns in the lookup's SELECT: attribute names and their converters."""

    model: type[Model]
    attnames: tuple[str, ...]
    converters: tuple[tuple[tuple[Converter, ...], Col], ...]

    def instance(self, values: Sequence[Any]) -> Any:
        """The model instance of these values, converted as the ORM converts them."""
        converted = []
        for value, (converters, column) in zip(values, self.converters, strict=True):
            for converter in converters:
                value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, list(self.attnames), converted)


@dataclass(frozen=True, slots=True)
class _TokenLookup:
    sql: str
    tables: tuple[_Columns, ...]  # token, user, organization, membership


_LOOKUPS: dict[tuple[str, str], _TokenLookup] = {}


def _qualified(alias: str, field: Any) -> str:
    """``alias."column"`` of a concrete model field."""
    return f"{alias}.{connection.ops.quote_name(field.column)}"


def _columns(model: type[Model], alias: str) -> tuple[_Columns, str]:
    fields = model._meta.concrete_fields
    select = ", ".join(_qualified(alias, f) for f in fields)
    converters = tuple(
        (
            tuple(connection.ops.get_db_converters(col) + f.get_db_converters(connection)),
            col,
        )
        for f in fields
        for col in [f.get_col(alias)]
    )
    return _Columns(model, tuple(f.attname for f in fields), converters), select


def _token_lookup() -> _TokenLookup:
    key = (connection.alias, connection.vendor)
    if (lookup := _LOOKUPS.get(key)) is not None:
        return lookup
    models = {"t": ApiToken, "u": User, "o": Organization, "m": Membership}
    built = [_columns(model, alias) for alias, model in models.items()]
    table = {
        alias: connection.ops.quote_name(model._meta.db_table) for alias, model in models.items()
    }

    def col(alias: str, name: str) -> str:
        return _qualified(alias, models[alias]._meta.get_field(name))

    select_list = ", ".join(select for _, select in built)
    sql = (
        f"SELECT {select_list} FROM {table['t']} t"  # noqa: S608  # names from model metadata only
        f" INNER JOIN {table['u']} u ON {col('u', 'id')} = {col('t', 'user')}"
        f" INNER JOIN {table['o']} o ON {col('o', 'id')} = {col('t', 'organization')}"
        f" LEFT OUTER JOIN {table['m']} m ON {col('m', 'organization')} ="
        f" {col('t', 'organization')} AND {col('m', 'user')} = {col('t', 'user')}"
        f" WHERE {col('t', 'prefix')} = %s AND {col('t', 'token_hash')} = %s"
        f" AND {col('t', 'revoked_at')} IS NULL"
    )
    lookup = _LOOKUPS[key] = _TokenLookup(sql, tuple(columns for columns, _ in built))
    return lookup


def _token_row(prefix: str, token_hash: str) -> tuple[ApiToken, Membership | None] | None:
    """The unrevoked token with its user and organization cached, and the membership of
    its user in its organization (``None`` when there is none)."""
    lookup = _token_lookup()
    with connection.cursor() as cursor:
        cursor.execute(lookup.sql, [prefix, token_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    parts, start = [], 0
    for columns in lookup.tables:
        parts.append(row[start : start + len(columns.attnames)])
        start += len(columns.attnames)
    token_columns, user_columns, organization_columns, membership_columns = lookup.tables
    token: ApiToken = token_columns.instance(parts[0])
    token.user = user_columns.instance(parts[1])
    token.organization = organization_columns.instance(parts[2])
    membership = membership_columns.instance(parts[3]) if parts[3][0] is not None else None
    return token, membership
