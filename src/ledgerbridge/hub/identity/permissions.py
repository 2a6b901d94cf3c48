"""The one catalogue of granular permissions, their groups for the editor, and role presets.

A membership holds a role (a label for the preset it started from) and an explicit list of
permissions; checks look only at the list, so an admin may tailor any member's rights.

>>> Permission.DOCUMENTS_VIEW in ROLE_PRESETS[Role.EMPLOYEE]
True
>>> sorted(ROLE_PRESETS[Role.APP])
[<Permission.DOCUMENTS_UPLOAD: 'documents.upload'>]
>>> ROLE_PRESETS[Role.ADMIN] == frozenset(Permission)
True
>>> parse_permissions(["documents.view", "documents.view", "audit.view"])
[<Permission.DOCUMENTS_VIEW: 'documents.view'>, <Permission.AUDIT_VIEW: 'audit.view'>]
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.utils.functional import Promise

__all__ = [
    "PERMISSION_GROUPS",
    "PERMISSION_LABELS",
    "ROLE_LABELS",
    "ROLE_PRESETS",
    "Permission",
    "PermissionGroup",
    "Role",
    "known_permissions",
    "parse_permissions",
]


class Permission(StrEnum):
    DOCUMENTS_VIEW = "documents.view"
    DOCUMENTS_UPLOAD = "documents.upload"
    DOCUMENTS_SEND = "documents.send"
    PAYMENT_SLIPS_PROCESS = "payment_slips.process"
    INTEGRATIONS_MANAGE = "integrations.manage"
    CLIENT_LINKS_MANAGE = "client_links.manage"
    USERS_MANAGE = "users.manage"
    TOKENS_MANAGE = "tokens.manage"
    AUDIT_VIEW = "audit.view"
    ORGANIZATION_MANAGE = "organization.manage"


class Role(StrEnum):
    ADMIN = "admin"
    ACCOUNTANT = "accountant"
    EMPLOYEE = "employee"
    APP = "app"
    EXCHANGE = "exchange"


PERMISSION_LABELS: dict[Permission, Promise] = {
    Permission.DOCUMENTS_VIEW: _("View documents"),
    Permission.DOCUMENTS_UPLOAD: _("Upload and scan documents"),
    Permission.DOCUMENTS_SEND: _("Send documents to the accounting office"),
    Permission.PAYMENT_SLIPS_PROCESS: _("Process payment slips"),
    Permission.INTEGRATIONS_MANAGE: _("Manage integrations"),
    Permission.CLIENT_LINKS_MANAGE: _("Manage client links"),
    Permission.USERS_MANAGE: _("Manage users"),
    Permission.TOKENS_MANAGE: _("Manage API tokens with an API token"),
    Permission.AUDIT_VIEW: _("View the change log"),
    Permission.ORGANIZATION_MANAGE: _("Manage organization settings"),
}

ROLE_LABELS: dict[Role, Promise] = {
    Role.ADMIN: _("Administrator"),
    Role.ACCOUNTANT: _("Accountant"),
    Role.EMPLOYEE: _("Employee"),
    Role.APP: _("Scan app"),
    Role.EXCHANGE: _("Exchange user"),
}


@dataclass(frozen=True, slots=True)
class PermissionGroup:
    key: str
    label: Promise
    permissions: tuple[Permission, ...]


PERMISSION_GROUPS: tuple[PermissionGroup, ...] = (
    PermissionGroup(
        "documents",
        _("Documents"),
        (
            Permission.DOCUMENTS_VIEW,
            Permission.DOCUMENTS_UPLOAD,
            Permission.DOCUMENTS_SEND,
            Permission.PAYMENT_SLIPS_PROCESS,
        ),
    ),
    PermissionGroup(
        "connections",
        _("Integrations and clients"),
        (Permission.INTEGRATIONS_MANAGE, Permission.CLIENT_LINKS_MANAGE),
    ),
    PermissionGroup(
        "administration",
        _("Administration"),
        (
            Permission.USERS_MANAGE,
            Permission.TOKENS_MANAGE,
            Permission.AUDIT_VIEW,
            Permission.ORGANIZATION_MANAGE,
        ),
    ),
)

ROLE_PRESETS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.ACCOUNTANT: frozenset(
        {
            Permission.DOCUMENTS_VIEW,
            Permission.DOCUMENTS_UPLOAD,
            Permission.DOCUMENTS_SEND,
            Permission.PAYMENT_SLIPS_PROCESS,
            Permission.INTEGRATIONS_MANAGE,
            Permission.AUDIT_VIEW,
        }
    ),
    Role.EMPLOYEE: frozenset({Permission.DOCUMENTS_VIEW, Permission.DOCUMENTS_UPLOAD}),
    Role.APP: frozenset({Permission.DOCUMENTS_UPLOAD}),
    # The minimal rights of a user who only exchanges documents with the accounting office.
    Role.EXCHANGE: frozenset({Permission.DOCUMENTS_VIEW, Permission.DOCUMENTS_SEND}),
}


def parse_permissions(values: Iterable[str]) -> list[Permission]:
    """Return the permissions named by ``values`` in catalogue order, without duplicates.

    An unknown name raises :class:`Invalid` with code ``unknown-permission``.
    """
    wanted: set[Permission] = set()
    for value in values:
        try:
            wanted.add(Permission(value))
        except ValueError:
            raise Invalid(
                ErrorCode.UNKNOWN_PERMISSION,
                _("Unknown permission: %(name)s") % {"name": value},
            ) from None
    return [permission for permission in Permission if permission in wanted]


_BY_VALUE: dict[str, Permission] = {permission.value: permission for permission in Permission}


def known_permissions(values: Iterable[str]) -> frozenset[Permission]:
    """The permissions among ``values``; names no longer in the catalogue are ignored.

    >>> sorted(known_permissions(["audit.view", "retired.permission"]))
    [<Permission.AUDIT_VIEW: 'audit.view'>]
    """
    return frozenset(_BY_VALUE[value] for value in values if value in _BY_VALUE)
