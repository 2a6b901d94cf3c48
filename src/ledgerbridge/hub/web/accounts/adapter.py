"""The allauth account adapter: names and language at signup, audit events, localized e-mail.

A person who followed an invitation link joins its organization in ``post_login``
(:mod:`.invitations`), so the invitation survives sign-up and verification without a
further click; one who followed a client link request gets the organization registered
at sign-up and lands on the request's accept step (:mod:`.link_join`).

allauth calls these hooks at the right moments of its flows; the rest of the hub never
calls them directly. A login is audited only after every stage (e-mail verification, MFA)
has passed, because allauth calls ``post_login`` only then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from ledgerbridge.hub.core.errors import Invalid
from ledgerbridge.hub.identity.emails import clean_email, lookup_email
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.web.accounts import invitations, languages, link_join
from ledgerbridge.hub.web.accounts.audit import record_account_event, record_own_event

if TYPE_CHECKING:
    from django.forms import BaseForm
    from django.http import HttpRequest, HttpResponse

    from ledgerbridge.hub.identity.models import User


def _user_by_email(email: str) -> User | None:
    if not email:
        return None
    model = get_user_model()
    user: User | None = model.objects.filter(email__iexact=lookup_email(email)).first()
    return user


@dataclass(frozen=True)
class HubSite:
    """What allauth's mails call ``current_site``: the configured name and public host.

    Without it allauth takes the request's host for both ("Hello from 127.0.0.1:8311!").
    """

    name: str
    domain: str

    @classmethod
    def configured(cls) -> HubSite:
        return cls(settings.SITE_NAME, urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's account adapter, fitted to the hub."""

    def clean_email(self, email: str) -> str:
        """Store and compare one spelling per mailbox (signup, added and changed addresses),
        the same as invitations do: a look-alike of a member's address is that address."""
        try:
            return clean_email(email)
        except Invalid as exc:
            raise forms.ValidationError(str(exc.message), code=str(exc.code)) from None

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys its per-"key" limit of failed logins (ACCOUNT_RATE_LIMITS) by the
        # address alone: five wrong passwords from anywhere locked the owner out. Keyed by
        # address and client, they throttle the guesser and never the owner elsewhere.
        key: str = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{self.get_client_ip(request)}"

    def save_user(
        self, request: HttpRequest, user: User, form: BaseForm, commit: bool = True
    ) -> User:
        # Whoever registers in German gets German e-mails and pages from then on.
        user.language = languages.for_user(None)
        saved: User = super().save_user(request, user, form, commit=commit)
        if getattr(form, "link", None) is not None:
            # Created once the address is verified (post_login), from the link's tax ID.
            link_join.keep_organization(request, form.cleaned_data)
        if commit:
            record_own_event(
                request,
                saved,
                AuditAction.REGISTERED,
                category=AuditCategory.USER,
                details={"terms_accepted": bool(form.cleaned_data.get("accept_terms"))},
            )
        return saved

    def post_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse:
        # Whoever came through an invitation link joins now: at sign-up right after the
        # e-mailed code, else after password (and MFA), and starts in that organization.
        if invitations.join(request, user) is not None:
            kwargs["redirect_url"] = reverse("web:home")
        elif (accept_step := link_join.finish(request, user)) is not None:
            kwargs["redirect_url"] = accept_step
        response: HttpResponse = super().post_login(request, user, **kwargs)
        record_own_event(
            request,
            user,
            AuditAction.LOGIN_SUCCEEDED,
            details={"signup": bool(kwargs.get("signup"))},
        )
        return response

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        # credentials hold the password: only the e-mail address goes into the log.
        email = str(credentials.get("email") or "")[:254]
        user = _user_by_email(email)
        record_account_event(
            request=request,
            category=AuditCategory.SECURITY,
            action=AuditAction.LOGIN_FAILED,
            subject=user,
            actor=None,
            details={"email": email, "step": "password"},
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render and send in the recipient's language (the sender's if there is no account)."""
        recipient = context.get("user") or _user_by_email(email)
        context = {**context, "current_site": HubSite.configured()}
        with translation.override(languages.for_user(recipient)):
            super().send_mail(template_prefix, email, context)
