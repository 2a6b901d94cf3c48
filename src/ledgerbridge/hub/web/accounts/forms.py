"""The signup form (e-mail, names, the password twice, the terms) and the login form.

Someone who came through an invitation link finds the names the admin typed filled in and
the invited address fixed: the account must carry that address to join on verification.
"""

from __future__ import annotations

from typing import Any, ClassVar

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django import forms
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.identity.emails import lookup_email
from ledgerbridge.hub.web.accounts import invitations


class SignupForm(AllauthSignupForm):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's signup form with the names and a required acceptance of the terms."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and the privacy policy."),
        required=True,
        error_messages={"required": _("Please accept the terms of use to create an account.")},
    )

    field_order: ClassVar[list[str]] = [
        "email",
        "first_name",
        "last_name",
        "password1",
        "password2",
        "accept_terms",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        invitation = invitations.pending(context.request)
        if invitation is not None:
            self.initial.update(
                email=invitation.email,
                first_name=invitation.first_name,
                last_name=invitation.last_name,
            )
            # Disabled: Django takes the invited address whatever the browser posts.
            self.fields["email"].disabled = True

    def clean_first_name(self) -> str:
        return str(self.cleaned_data["first_name"]).strip()

    def clean_last_name(self) -> str:
        return str(self.cleaned_data["last_name"]).strip()


class LoginForm(AllauthLoginForm):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's login form, reading the address in the one spelling accounts are stored in.

    A look-alike (``"anna"@example.test``, a fullwidth letter) finds the same account, and
    its failed attempts count against the same address.
    """

    def clean_login(self) -> str:
        return lookup_email(str(self.cleaned_data["login"]))
