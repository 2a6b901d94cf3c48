"""Test helpers for the identity domain: a snapshot of every identity table.

"A refused request changes nothing" is checked by comparing snapshots taken before and
after: every row of every identity table, the audit log included.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from ledgerbridge.hub.identity.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    User,
)

_MODELS: tuple[Any, ...] = (
    User,
    EmailAddress,
    Organization,
    Membership,
    Invitation,
    ApiToken,
    AuditEvent,
)


def snapshot(*, ignore: frozenset[str] = frozenset()) -> dict[str, list[dict[str, Any]]]:
    """Every row of every identity table, as plain values, without the ``ignore`` columns.

    A request made with a token records the token's use (``last_used_at``); pass that name
    in ``ignore`` when the point is that nothing *else* changed.
    """
    return {
        model.__name__: [
            {key: value for key, value in row.items() if key not in ignore}
            for row in model.objects.order_by("pk").values()
        ]
        for model in _MODELS
    }
