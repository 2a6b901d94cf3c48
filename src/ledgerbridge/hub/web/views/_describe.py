"""How an audit event reads in the change log: a translated action and short details."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.identity.models import AuditCategory

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from ledgerbridge.hub.identity.models import AuditEvent

ACTION_LABELS: dict[str, Promise] = {
    "created": _("Created"),
    "invited": _("Invited"),
    "invitation_accepted": _("Invitation accepted"),
    "invitation_revoked": _("Invitation revoked"),
    "invitation_resent": _("Invitation sent again"),
    "permissions_changed": _("Permissions changed"),
    "locked": _("Locked"),
    "unlocked": _("Unlocked"),
    "deleted": _("Removed"),
    "settings_changed": _("Settings changed"),
    "mfa_requirement_changed": _("Two-factor requirement changed"),
    "mfa_added": _("Two-factor method added"),
    "mfa_removed": _("Two-factor method removed"),
    "password_changed": _("Password changed"),
    "password_reset": _("Password reset"),
    "email_changed": _("E-mail address changed"),
    "login_succeeded": _("Logged in"),
    "login_failed": _("Login failed"),
    "token_created": _("API token created"),
    "token_revoked": _("API token revoked"),
}

_MAX_VALUE = 80


def action_label(action: str) -> str:
    """The translated name of ``action``; unknown actions read as their code.

    >>> action_label("locked"), action_label("something_new")
    ('Locked', 'something_new')
    """
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _flat(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def details_text(details: object) -> str:
    """The event's details as one short line.

    >>> details_text({"email": "a@b.ch", "permissions": ["documents.view", "audit.view"]})
    'email: a@b.ch · permissions: documents.view, audit.view'
    >>> details_text({})
    ''
    """
    if not isinstance(details, dict):
        return _flat(details)
    parts = []
    for key, value in details.items():
        text = _flat(value)
        if len(text) > _MAX_VALUE:
            text = text[: _MAX_VALUE - 1] + "…"
        parts.append(f"{key}: {text}")
    return " · ".join(parts)


def person(user: object) -> str:
    """A user's name for the log, or an em dash for the system."""
    if user is None:
        return "—"
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "email", "") or user)


def category_label(category: str) -> str:
    """The translated name of an event category.

    >>> category_label("security"), category_label("other")
    ('Security', 'other')
    """
    return str(dict(AuditCategory.choices).get(category, category))


def describe(event: AuditEvent) -> dict[str, object]:
    return {
        "event": event,
        "category": category_label(event.category),
        "action": action_label(event.action),
        "details": details_text(event.details),
        "actor": person(event.actor),
        "subject": person(event.subject_user) if event.subject_user_id else "",
    }
