"""Forms of the client links pages and the exchange setup wizard.

They shape the input (tax ID, contact, categories, the rules that send by themselves); the
exchange services decide whether a link may be made, accepted or changed, and their
refusals land on the form through :func:`~ledgerbridge.hub.web.forms.add_service_error`.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.exchange.models import Category, LinkDirection
from ledgerbridge.hub.identity.taxids import COUNTRIES

__all__ = [
    "AssignForm",
    "ExchangeUserForm",
    "JoinOrganizationForm",
    "LinkAcceptForm",
    "LinkCreateForm",
    "LinkSettingsForm",
    "PasteLinkForm",
    "language_choices",
]


def language_choices() -> list[tuple[str, str]]:
    return [
        (code, get_language_info(code)["name_local"].capitalize())
        for code, _label in settings.LANGUAGES
    ]


def _categories(label: Any, *, required: bool = True) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one category.")},
    )


class LinkCreateForm(forms.Form):
    """Connect my accounting office / add a client: the other side by tax ID and e-mail."""

    direction = forms.ChoiceField(choices=LinkDirection.choices, widget=forms.HiddenInput)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    tax_id = forms.CharField(
        label=_("Tax ID"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Contact e-mail"),
        max_length=254,
        help_text=_(
            "Where the request goes when the organization is not on the hub yet: an "
            "invitation to register with this tax ID."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=language_choices)
    categories = _categories(_("Documents that cross the link"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].initial = list(Category.values)


class JoinOrganizationForm(forms.Form):
    """Register the organization a request was made for (country and tax ID: the link's)."""

    name = forms.CharField(label=_("Organization name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    building_number = forms.CharField(label=_("No."), max_length=16, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16, required=False)
    town = forms.CharField(label=_("Town"), max_length=100, required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["kind"]).choices = kinds


class LinkAcceptForm(forms.Form):
    """A client accepting its office's request may share fewer categories than asked."""

    categories = _categories(_("Documents that cross the link"))


class LinkSettingsForm(forms.Form):
    """The client's choice of what crosses the link, and what is sent by rule."""

    categories = _categories(_("Documents that cross the link"))
    auto_send = _categories(_("Sent automatically once read"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auto_send"].help_text = _(
            "Every new document of these categories goes to the office as soon as it has "
            "been read, without anyone pressing “send”."
        )


class AssignForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    assigned = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class ExchangeUserForm(forms.Form):
    """Invite a separate user for the exchange (view and send documents only)."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


_TOKEN = re.compile(r"(?:/links/join/)?([0-9a-f]{64})/?$")


class PasteLinkForm(forms.Form):
    """The link from the e-mail, pasted (the whole address or only its last part)."""

    link = forms.CharField(
        label=_("The link from the e-mail"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_link(self) -> str:
        text = str(self.cleaned_data["link"]).strip().split("?")[0].split("#")[0]
        found = _TOKEN.search(text)
        if found is None:
            raise forms.ValidationError(
                _("This is not a link of a client link request. Copy the whole link from the "
                  "e-mail (it contains “/links/join/”)."),
                code="invalid-link",
            )  # fmt: skip
        return cast("str", found.group(1))
