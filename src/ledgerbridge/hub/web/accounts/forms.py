"""The signup form (e-mail, names, the password twice, the terms) and the login form.

Someone who came through an invitation link finds the names the admin typed filled in and
the invited address fixed: the account must carry that address to join on verification.
Someone who came through a client link request registers the organization as well: its
country and tax ID are the link's, shown and fixed (disabled fields: Django takes the
initial value whatever the browser posts, and the organization is created from the link
itself), its kind one that fits the request.
"""

from __future__ import annotations

from typing import Any, ClassVar

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django import forms
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.exchange.selectors import link_target_registered
from ledgerbridge.hub.identity.emails import lookup_email
from ledgerbridge.hub.identity.taxids import COUNTRIES, display_tax_id
from ledgerbridge.hub.web.accounts import invitations, link_join


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
        followed = link_join.pending(context.request) if invitation is None else None
        self.link = followed[0] if followed is not None else None
        if self.link is not None:
            self._add_organization_fields()

    def _add_organization_fields(self) -> None:
        link = self.link
        if link is None:
            return
        self.initial.setdefault("email", link.contact_email)
        self.fields["name"] = forms.CharField(label=_("Organization name"), max_length=200)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Kind"), choices=link_join.organization_kinds(link)
        )
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), choices=COUNTRIES, disabled=True, required=False
        )
        self.fields["tax_id"] = forms.CharField(
            label=_("Tax ID"),
            help_text=_("The tax ID the request was made for. It cannot be changed here."),
            disabled=True,
            required=False,
        )
        for name, label in (
            ("street", _("Street")), ("building_number", _("No.")),
            ("postal_code", _("Postal code")), ("town", _("Town")),
        ):  # fmt: skip
            self.fields[name] = forms.CharField(label=label, max_length=200, required=False)
        self.initial.update(
            country=link.target_country,
            tax_id=display_tax_id(link.target_country, link.target_tax_id),
        )

    def organization_fields(self) -> list[Any]:
        """The bound fields about the organization (empty without a client link request)."""
        names = ("name", "kind", "country", "tax_id", "street", "building_number",
                 "postal_code", "town")  # fmt: skip
        return [self[name] for name in names if name in self.fields]

    def account_fields(self) -> list[Any]:
        return [self[name] for name in self.field_order if name in self.fields]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.link is not None and link_target_registered(link=self.link):
            self.add_error("tax_id", str(link_join.TAX_ID_REGISTERED))
        return data

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
