"""Forms of the partner space: they shape the office's input, the exchange services decide.

The client list's search and sort, a client's document filters (the tab is the category),
and the bulk actions on ticked documents: book (one reference for all, or each row's own)
and reject (a reason is required: the client reads it).

>>> form = SentFilterForm({"category": "incoming_invoice", "amount_min": "10"})
>>> form.is_valid(), form.filters().category, form.filters().amount_min
(True, 'incoming_invoice', Decimal('10'))
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.exchange.models import Category, ExchangeStatus
from ledgerbridge.hub.exchange.selectors import ClientFilters, DocumentFilters
from ledgerbridge.hub.web.forms import iso_date_input

__all__ = [
    "CLIENT_COLUMNS",
    "BookForm",
    "ClientSearchForm",
    "RejectForm",
    "SentFilterForm",
    "StatusForm",
]

# The client list's sortable columns: key -> (label, first sort, numeric). A click on the
# sorted column turns the order round; counters and dates start with the highest.
CLIENT_COLUMNS: tuple[tuple[str, Any, bool], ...] = (
    ("name", _("Client"), False),
    ("tax_id", _("Tax ID"), False),
    ("new", _("New"), True),
    ("waiting", _("To book"), True),
    ("rejected", _("Rejected"), True),
    ("activity", _("Last activity"), True),
)
_SORT_CHOICES = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("tax_id", _("Tax ID, ascending")),
    ("-tax_id", _("Tax ID, descending")),
    ("-new", _("Most new documents")),
    ("new", _("Fewest new documents")),
    ("-waiting", _("Most to book")),
    ("waiting", _("Fewest to book")),
    ("-rejected", _("Most rejected")),
    ("rejected", _("Fewest rejected")),
    ("-activity", _("Latest activity first")),
    ("activity", _("Earliest activity first")),
]


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or tax ID")}),
    )
    # the column heads sort on a desk; on a phone (no heads) this list does
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=_SORT_CHOICES)

    def filters(self) -> ClientFilters:
        """The selector's filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return ClientFilters(search=data.get("q") or "", sort=data.get("sort") or "name")


class SentFilterForm(forms.Form):
    category = forms.ChoiceField(
        required=False, choices=[("", ""), *Category.choices], widget=forms.HiddenInput
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ExchangeStatus.choices],
    )
    counterparty = forms.CharField(
        label=_("Counterparty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=iso_date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=iso_date_input())
    amount_min = forms.DecimalField(
        label=_("Amount from"), required=False, max_digits=14, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Amount up to"), required=False, max_digits=14, decimal_places=2
    )
    attention = forms.BooleanField(label=_("Needs attention only"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The highest amount is below the lowest."))
        return data

    def filters(self) -> DocumentFilters:
        """The selector's filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return DocumentFilters(
            category=data.get("category") or "",
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            counterparty=data.get("counterparty") or "",
            attention=bool(data.get("attention")),
        )


class BookForm(forms.Form):
    reference = forms.CharField(label=_("Booking reference"), required=False, max_length=200)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=500,
        error_messages={"required": _("Say why the documents are rejected: the client reads it.")},
    )


class StatusForm(forms.Form):
    """The detail page's actions on one document: received, booked or rejected."""

    status = forms.ChoiceField(
        choices=[
            (ExchangeStatus.RECEIVED, ExchangeStatus.RECEIVED.label),
            (ExchangeStatus.BOOKED, ExchangeStatus.BOOKED.label),
            (ExchangeStatus.REJECTED, ExchangeStatus.REJECTED.label),
        ],
        widget=forms.HiddenInput,
    )
    reference = forms.CharField(label=_("Booking reference"), required=False, max_length=200)
    reason = forms.CharField(label=_("Reason for rejecting"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ExchangeStatus.REJECTED and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the document is rejected: the client reads it."))
        return data
