"""Audit events for the allauth steps that have no adapter hook, only a signal.

allauth's adapters have hooks for logins and failed passwords (see :mod:`.adapter`), but a
changed or reset password, a changed e-mail address and an added, removed or regenerated MFA
method are announced only by signals; the receivers here turn each into an audit event.
They record; they decide nothing, so the "no signals for business logic" rule holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals

from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.web.accounts.audit import record_account_event, record_own_event

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.identity.models import User


def _password_changed(*, request: HttpRequest, user: User, **_kwargs: Any) -> None:
    record_own_event(request, user, AuditAction.PASSWORD_CHANGED)


def _password_reset(*, request: HttpRequest, user: User, **_kwargs: Any) -> None:
    record_own_event(request, user, AuditAction.PASSWORD_RESET)


def _email_changed(
    *, request: HttpRequest, user: User, from_email_address: Any, to_email_address: Any, **_: Any
) -> None:
    record_own_event(
        request,
        user,
        AuditAction.EMAIL_CHANGED,
        details={
            "from": getattr(from_email_address, "email", None),
            "to": getattr(to_email_address, "email", None),
        },
    )


def _mfa_event(action: AuditAction) -> Any:
    def receiver(*, request: HttpRequest, user: User, authenticator: Any, **_: Any) -> None:
        record_own_event(request, user, action, details={"type": str(authenticator.type)})

    return receiver


def _mfa_failed(*, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    # A wrong TOTP or recovery code at login is a failed login (the password was right);
    # at reauthentication it is a failed confirmation of an already logged-in user.
    reauthentication = bool(kwargs.get("reauthentication"))
    record_account_event(
        request=request,
        category=AuditCategory.SECURITY,
        action=AuditAction.REAUTHENTICATION_FAILED
        if reauthentication
        else AuditAction.LOGIN_FAILED,
        subject=user,
        actor=user if reauthentication else None,
        details={"step": "mfa", "type": str(authenticator.type)},
    )


_RECEIVERS = (
    (account_signals.password_changed, _password_changed),
    (account_signals.password_reset, _password_reset),
    (account_signals.email_changed, _email_changed),
    (mfa_signals.authenticator_added, _mfa_event(AuditAction.MFA_ADDED)),
    (mfa_signals.authenticator_removed, _mfa_event(AuditAction.MFA_REMOVED)),
    (mfa_signals.authenticator_reset, _mfa_event(AuditAction.MFA_RESET)),
    (mfa_signals.authentication_failed, _mfa_failed),
)


def connect() -> None:
    """Connect every receiver once (``dispatch_uid`` makes a second call harmless)."""
    for index, (signal, receiver) in enumerate(_RECEIVERS):
        signal.connect(receiver, weak=False, dispatch_uid=f"ledgerbridge.accounts.audit.{index}")
