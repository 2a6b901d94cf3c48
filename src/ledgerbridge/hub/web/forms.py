"""Forms of the web UI: they shape and check input; the services enforce the rules.

A :class:`~ledgerbridge.hub.core.errors.ServiceError` raised by a service lands on the form
through :func:`add_service_error`, on the field its code belongs to (else as a form-wide
error), so the page shows the service's specific message next to the input it is about.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.identity import services as identity_services
from ledgerbridge.hub.identity.models import Invitation, Organization
from ledgerbridge.hub.identity.permissions import (
    PERMISSION_GROUPS,
    PERMISSION_LABELS,
    ROLE_LABELS,
    ROLE_PRESETS,
    Permission,
    Role,
)
from ledgerbridge.hub.identity.regional import CHOICES as REGIONAL_CHOICES
from ledgerbridge.hub.identity.regional import region_for
from ledgerbridge.hub.identity.taxids import COUNTRIES, TAX_ID_RULES
from ledgerbridge.hub.web.describe import CATEGORY_LABELS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledgerbridge.hub.core.errors import ServiceError
    from ledgerbridge.hub.identity.models import Membership

__all__ = [
    "PAGE_SIZES",
    "AuditFilterForm",
    "InvitationForm",
    "MemberFilterForm",
    "OrganizationCreateForm",
    "OrganizationSettingsForm",
    "PermissionsForm",
    "TokenForm",
    "add_service_error",
    "iso_date_input",
    "permission_groups",
]

PAGE_SIZES = (10, 25, 50)

# Which field a service error code is about; unknown codes become form-wide errors.
_FIELD_OF_CODE: dict[str, str] = {
    ErrorCode.INVALID_TAX_ID: "tax_id",
    ErrorCode.TAX_ID_TAKEN: "tax_id",
    ErrorCode.UNSUPPORTED_COUNTRY: "country",
    ErrorCode.NAME_REQUIRED: "name",
    ErrorCode.NAME_TOO_LONG: "name",
    ErrorCode.INVALID_KIND: "kind",
    ErrorCode.INVALID_EMAIL: "email",
    ErrorCode.ALREADY_MEMBER: "email",
    ErrorCode.INVITATION_PENDING: "email",
    ErrorCode.INVALID_SALUTATION: "salutation",
    ErrorCode.UNKNOWN_ROLE: "role",
    ErrorCode.UNKNOWN_PERMISSION: "permissions",
    ErrorCode.PERMISSION_EXCEEDS_ACTOR: "permissions",
    ErrorCode.TOKEN_PERMISSIONS_EXCEED_USER: "permissions",
    ErrorCode.TOKEN_PERMISSIONS_EMPTY: "permissions",
    ErrorCode.TOKEN_NAME_REQUIRED: "name",
    ErrorCode.LINK_TO_SELF: "tax_id",
    ErrorCode.LINK_EXISTS: "tax_id",
    ErrorCode.CATEGORY_INVALID: "categories",
}


def add_service_error(form: forms.BaseForm, error: ServiceError) -> None:
    """Put the service's message on the field its code is about (or on the whole form)."""
    field = _FIELD_OF_CODE.get(error.code)
    form.add_error(field if field in form.fields else None, str(error.message))


def tax_id_shapes() -> dict[str, str]:
    """Country code -> the example shape shown next to the tax ID input."""
    return {country: rule.example for country, rule in TAX_ID_RULES.items()}


class _AddressFields(forms.Form):
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    building_number = forms.CharField(label=_("No."), max_length=16, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16, required=False)
    town = forms.CharField(label=_("Town"), max_length=100, required=False)


class OrganizationCreateForm(_AddressFields):
    name = forms.CharField(label=_("Organization name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="CH")
    tax_id = forms.CharField(
        label=_("Tax ID"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    plan = forms.ChoiceField(label=_("Plan"), required=False)

    field_order = ("name", "kind", "country", "tax_id")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans = identity_services.plan_catalogue()
        if len(plans) > 1:  # a choice only when the operator offers one
            plan = cast("forms.ChoiceField", self.fields["plan"])
            plan.choices = [(p.key, p.name) for p in plans]
            plan.initial = plans.default_key
        else:
            del self.fields["plan"]
        shapes = tax_id_shapes()
        country = str(self["country"].value() or "CH")
        self.fields["country"].widget.attrs["data-shapes"] = json.dumps(shapes)
        self.fields["country"].widget.attrs["data-shape-help"] = str(_("Expected shape: %(shape)s"))
        self.fields["tax_id"].widget.attrs["placeholder"] = shapes.get(country, "")
        self.fields["tax_id"].help_text = _("Expected shape: %(shape)s") % {
            "shape": shapes.get(country, "")
        }


class OrganizationSettingsForm(_AddressFields):
    name = forms.CharField(label=_("Organization name"), max_length=200)
    require_mfa = forms.BooleanField(
        label=_("Require two-factor authentication for all members"),
        required=False,
        help_text=_(
            "Members without an authenticator app or passkey are sent to set one up "
            "before they can do anything else."
        ),
    )

    regional_format = forms.ChoiceField(
        label=_("Regional format"),
        required=False,
        help_text=_(
            "How amounts and dates are written for the members. "
            "A member may choose another one for themselves."
        ),
    )

    field_order = ("name",)

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        automatic = region_for(country=country, organization_choice="", user_choice="")
        field = cast("forms.ChoiceField", self.fields["regional_format"])
        field.choices = [
            ("", _("As usual in the country — %(sample)s") % {"sample": automatic.sample}),
            *REGIONAL_CHOICES,
        ]


class PreferencesForm(forms.Form):
    """What a user chooses for themselves: the language and the regional format."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    regional_format = forms.ChoiceField(label=_("Regional format"), required=False)

    def __init__(self, *args: Any, organization: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["language"]).choices = [
            (code, get_language_info(code)["name_local"].capitalize())
            for code, _label in settings.LANGUAGES
        ]
        automatic = str(_("As my organization writes them"))
        if organization is not None:
            usual = organization.region_for(None).sample
            automatic = _("As my organization writes them — %(sample)s") % {"sample": usual}
        field = cast("forms.ChoiceField", self.fields["regional_format"])
        field.choices = [("", automatic), *REGIONAL_CHOICES]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("invited", _("Invited")),
            ("active", _("Active")),
            ("locked", _("Locked")),
        ],
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(size, str(size)) for size in PAGE_SIZES],
    )


def _role_choices() -> list[tuple[str, Any]]:
    return [(role.value, ROLE_LABELS[role]) for role in Role]


def _presets_json() -> str:
    return json.dumps({role.value: sorted(ROLE_PRESETS[role]) for role in Role})


class _PermissionFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices, initial=Role.EMPLOYEE.value)
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"),
        required=False,
        choices=[(p.value, PERMISSION_LABELS[p]) for p in Permission],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].widget.attrs["data-presets"] = _presets_json()
        self.fields["role"].widget.attrs["class"] = "narrow-select"

    def permission_groups(self) -> list[dict[str, Any]]:
        """The checkboxes grouped for the editor, with their current state."""
        raw = self["permissions"].value() or []
        return permission_groups(checked=[str(v) for v in raw])


def permission_groups(
    *, checked: Iterable[str], allowed: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Groups of ``{"value", "label", "checked"}`` in catalogue order (``allowed`` filters)."""
    checked_set = set(checked)
    allowed_set = None if allowed is None else set(allowed)
    groups = []
    for group in PERMISSION_GROUPS:
        items = [
            {"value": p.value, "label": PERMISSION_LABELS[p], "checked": p.value in checked_set}
            for p in group.permissions
            if allowed_set is None or p.value in allowed_set
        ]
        if items:
            groups.append({"key": group.key, "label": group.label, "items": items})
    return groups


class PermissionsForm(_PermissionFields):
    @classmethod
    def for_membership(cls, membership: Membership) -> PermissionsForm:
        return cls(initial={"role": membership.role, "permissions": list(membership.permissions)})


class InvitationForm(_PermissionFields):
    salutation = forms.ChoiceField(
        label=_("Salutation"), required=False, choices=Invitation.Salutation.choices
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)

    field_order = ("salutation", "first_name", "last_name", "email", "role", "permissions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"role": Role.EMPLOYEE.value, "permissions": sorted(ROLE_PRESETS[Role.EMPLOYEE])},
        )
        super().__init__(*args, **kwargs)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “Scan app on Anna's phone”."),
    )
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"),
        choices=[(p.value, PERMISSION_LABELS[p]) for p in Permission],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, allowed: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = sorted(allowed)
        # Offer only what the user holds; the service refuses anything more anyway.
        field = cast("forms.MultipleChoiceField", self.fields["permissions"])
        field.choices = [
            (p.value, PERMISSION_LABELS[p]) for p in Permission if p.value in self.allowed
        ]

    def permission_groups(self) -> list[dict[str, Any]]:
        raw = self["permissions"].value() or []
        return permission_groups(checked=[str(v) for v in raw], allowed=self.allowed)


def iso_date_input() -> forms.DateInput:
    """A browser date picker: its ``value`` must be ISO ``YYYY-MM-DD`` in every language
    (the browser drops a localised ``01.12.2026`` and the field comes back empty)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    user = forms.TypedChoiceField(label=_("User"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("Category"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=iso_date_input())
    until = forms.DateField(label=_("To"), required=False, widget=iso_date_input())

    def __init__(self, *args: Any, users: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = cast("forms.ChoiceField", self.fields["user"])
        category_field = cast("forms.ChoiceField", self.fields["category"])
        user_field.choices = [("", _("Everyone")), *users]
        category_field.choices = [("", _("All categories")), *CATEGORY_LABELS.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data
