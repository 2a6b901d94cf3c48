"""How an audit event reads in the change log: a translated action and short details.

Shared by the views (change logs) and the forms (the category filter), so it lives beside
both rather than inside `views`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory, Organization
from ledgerbridge.hub.identity.plans import BUILTIN_KEY

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from ledgerbridge.hub.identity.models import AuditEvent

# The labels live with the actions; an action of an older release reads as its value.
ACTION_LABELS: dict[str, str | Promise] = dict(AuditAction.choices)

_MAX_VALUE = 80


def action_label(action: str) -> str:
    """The translated name of ``action``; unknown actions read as their code.

    >>> action_label("locked"), action_label("something_new")
    ('Locked', 'something_new')
    """
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


# Labels of the detail keys the services record; a key not listed here reads as itself.
DETAIL_LABELS: dict[str, Promise] = {
    "email": _("E-mail"),
    "role": _("Role"),
    "permissions": _("Permissions"),
    "name": _("Name"),
    "kind": _("Kind"),
    "country": _("Country"),
    "tax_id": _("Tax ID"),
    "street": _("Street"),
    "postal_code": _("Postal code"),
    "town": _("Town"),
    "reason": _("Reason"),
    "documents": _("Documents"),
    "document_id": _("Document"),
    "source": _("Source"),
    "from": _("From"),
    "to": _("To"),
    "refused": _("Refused"),
    "booking_reference": _("Booking reference"),
    "require_mfa": _("Two-factor authentication"),
    "filename": _("File"),
    "signup": _("New account"),
    "terms_accepted": _("Terms accepted"),
    "step": _("Step"),
    "type": _("Method"),
    "before": _("Before"),
    "after": _("After"),
    "changed": _("Changed"),
    "tokens_revoked": _("Tokens revoked"),
    "duplicate_of": _("Duplicate of"),
    "subject": _("Subject"),
    "message_id": _("Message ID"),
    "file_sha256": _("SHA-256"),
    "mail_sha256": _("SHA-256"),
    "token_id": _("API token"),
    "reexported": _("Exported again"),
    "plan": _("Plan"),
    "previous_plan": _("Previous plan"),
}
# Keys whose values are codes of a known set: the code reads as its label.
_VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "kind": {**dict(Document.Kind.choices), **dict(Organization.Kind.choices)},
    "source": dict(Document.Source.choices),
    "from": dict(Document.Status.choices),
    "to": dict(Document.Status.choices),
    "status": dict(Document.Status.choices),
    "type": {"totp": _("Authenticator app"), "recovery_codes": _("Recovery codes")},
    # The built-in plan's key; an operator's plan keys read as they are written.
    "plan": {BUILTIN_KEY: _("Unlimited")},
    "previous_plan": {BUILTIN_KEY: _("Unlimited")},
}
# Keys whose whole numbers are ids of other records: shown as "#12".
_REFERENCE_KEYS = frozenset(
    {"id", "document_id", "documents", "duplicate_of", "token_id", "reexported"}
)


def detail_label(key: str) -> str:
    """The translated label of a detail key; unknown keys read verbatim.

    >>> detail_label("tax_id"), detail_label("new_key")
    ('Tax ID', 'new_key')
    """
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key


def _yes_no(value: bool) -> str:
    # Django's own catalogue translates "yes,no,maybe" (the yesno filter's default)
    yes, no, _maybe = gettext("yes,no,maybe").split(",")
    return yes if value else no


def _value(value: object, key: str = "") -> str:
    """One detail value as text: yes/no, ``#id`` references, lists and nested records."""
    if isinstance(value, bool):
        return _yes_no(value)
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, int) and key in _REFERENCE_KEYS:
        return f"#{value}"
    if isinstance(value, list):
        return ", ".join(_value(v, key) for v in value)
    if isinstance(value, dict):
        return _record(value, key)
    if isinstance(value, str) and value in _VALUE_LABELS.get(key, {}):
        return str(_VALUE_LABELS[key][value])
    return str(value)


def _record(value: dict[str, object], key: str) -> str:
    if key == "changed":
        return "; ".join(
            f"{detail_label(k)}: {' → '.join(_value(v) for v in old_new)}"
            if isinstance(old_new, list) else f"{detail_label(k)}: {_value(old_new)}"
            for k, old_new in value.items()
        )  # fmt: skip
    if "id" in value:
        rest = [f"{detail_label(k)}: {_value(v, k)}" for k, v in value.items()
                if k != "id" and v not in (None, "")]  # fmt: skip
        head = _value(value["id"], "id")
        return f"{head} ({', '.join(rest)})" if rest else head
    return "; ".join(f"{detail_label(k)}: {_value(v, k)}" for k, v in value.items())


def _short(text: str) -> str:
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def details_items(details: object, *, shorten: bool = True) -> list[tuple[str, str]]:
    """The event's details as (label, text) pairs a person can read.

    Booleans read yes/no, known keys get their label, unknown keys stay as they are,
    ids of other records read ``#12``; long values are cut unless ``shorten`` is false.

    >>> details_items({"signup": False, "email": "a@b.ch", "new_key": "ab12"})
    [('New account', 'no'), ('E-mail', 'a@b.ch'), ('new_key', 'ab12')]
    >>> details_items({"documents": [{"id": 3, "kind": "other", "duplicate_of": None}]})
    [('Documents', '#3 (Kind: Other document)')]
    >>> details_items({"kind": "both"})
    [('Kind', 'Company and accounting office')]
    >>> details_items({"source": "upload", "from": "pending", "to": "mail@x.ch"})
    [('Source', 'Upload'), ('From', 'Pending'), ('To', 'mail@x.ch')]
    >>> details_items({"changed": {"town": ["Bern", "Basel"]}})
    [('Changed', 'Town: Bern → Basel')]
    >>> details_items(["not", "a", "record"])
    [('', 'not, a, record')]
    """
    if not isinstance(details, dict):
        return [("", _value(details))] if details not in (None, "", [], {}) else []
    cut = _short if shorten else str
    return [(detail_label(str(k)), cut(_value(v, str(k)))) for k, v in details.items()]


def details_text(details: object) -> str:
    """The event's details as one short line.

    >>> details_text({"email": "a@b.ch", "permissions": ["documents.view", "audit.view"]})
    'E-mail: a@b.ch · Permissions: documents.view, audit.view'
    >>> details_text({"require_mfa": True})
    'Two-factor authentication: yes'
    >>> details_text({})
    ''
    """
    return " · ".join(f"{k}: {v}" if k else v for k, v in details_items(details))


def person(user: object) -> str:
    """A user's name for the log, or an em dash for the system."""
    if user is None:
        return "—"
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "email", "") or user)


CATEGORY_LABELS: dict[str, str | Promise] = dict(AuditCategory.choices)


def category_label(category: str) -> str:
    """The translated name of an event category.

    >>> category_label("security"), category_label("documents"), category_label("other")
    ('Security', 'Documents', 'other')
    """
    return str(CATEGORY_LABELS.get(category, category))


def describe(event: AuditEvent) -> dict[str, object]:
    return {
        "event": event,
        "category": category_label(event.category),
        "action": action_label(event.action),
        "details": details_items(event.details),
        "details_full": details_items(event.details, shorten=False),
        "actor": person(event.actor),
        "subject": person(event.subject_user) if event.subject_user_id else "",
    }
