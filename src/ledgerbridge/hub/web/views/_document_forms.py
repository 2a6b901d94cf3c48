"""Forms of the documents, scan and payment-slip pages: they shape input, services decide.

Filters turn query strings into selector arguments; the action forms of the pending
payment slips check what a person typed (a rejection reason, a debtor IBAN) before the
services and the pain.001 writer see it.

>>> form = DocumentFilterForm({"kind": "payment_slip", "duplicate": "yes"})
>>> form.is_valid(), form.selector_arguments()["duplicate"]
(True, True)
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.web.forms import iso_date_input

if TYPE_CHECKING:
    from datetime import date

__all__ = [
    "SLIP_SORTS",
    "SLIP_STATUSES",
    "DocumentFilterForm",
    "Pain001Form",
    "SlipFilterForm",
    "SlipProcessForm",
    "SlipRejectForm",
]

_YES_NO = (("", _("Any")), ("yes", _("Possible duplicates")), ("no", _("No duplicates")))

# Sort keys of the pending list: key -> (label, ORDER BY).
SLIP_SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "oldest": (_("Oldest first"), ("created_at", "id")),
    "newest": (_("Newest first"), ("-created_at", "-id")),
    "due": (_("Due date"), ("due_date", "id")),
    "amount": (_("Amount, highest first"), ("-amount", "id")),
    "creditor": (_("Creditor"), ("creditor_name", "id")),
}


def _day_start(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


class DocumentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Creditor, IBAN, reference, invoice no.")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Document.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Document.Status.choices],
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All sources")), *Document.Source.choices],
    )
    duplicate = forms.ChoiceField(label=_("Duplicates"), required=False, choices=_YES_NO)
    since = forms.DateField(label=_("From"), required=False, widget=iso_date_input())
    until = forms.DateField(label=_("To"), required=False, widget=iso_date_input())
    # Not an argument of ``document_list``: the view narrows by the exchange's selector.
    exchange = forms.ChoiceField(
        label=_("Accounting office"),
        required=False,
        choices=(
            ("", _("Sent or not")),
            ("not_sent", _("Not sent")),
            ("sent", _("Sent, not yet booked")),
            ("booked", _("Booked")),
            ("rejected", _("Rejected")),
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def selector_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``document_list`` (call after ``is_valid()``)."""
        data = self.cleaned_data
        until = data.get("until")
        return {
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
            "source": data.get("source") or None,
            "duplicate": {"yes": True, "no": False}.get(data.get("duplicate") or ""),
            "since": _day_start(data.get("since")),
            # the "to" day is included: documents before the start of the next day
            "until": _day_start(until + timedelta(days=1)) if until else None,
            "search": data.get("q") or "",
        }


# The pending list's status filter: key -> statuses shown.
SLIP_STATUSES: dict[str, tuple[str, ...]] = {
    "pending": (Document.Status.PENDING,),
    "exported": (Document.Status.EXPORTED,),
    "open": (Document.Status.PENDING, Document.Status.EXPORTED),
}


class SlipFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=(
            ("pending", _("Pending")),
            ("exported", _("Exported for payment")),
            ("open", _("Pending or exported")),
        ),
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Creditor, IBAN, reference")}
        ),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        required=False,
        choices=(("", _("All currencies")), ("CHF", "CHF"), ("EUR", "EUR")),
    )
    duplicate = forms.ChoiceField(label=_("Duplicates"), required=False, choices=_YES_NO)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SLIP_SORTS.items()],
    )


class SlipProcessForm(forms.Form):
    booking_reference = forms.CharField(
        label=_("Booking reference"), required=False, max_length=200
    )


class SlipRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), required=False, max_length=500)


class Pain001Form(forms.Form):
    debtor_name = forms.CharField(label=_("Debtor (account holder)"), max_length=70)
    debtor_iban = forms.CharField(label=_("Debtor IBAN"), max_length=42)
    execution_date = forms.DateField(label=_("Execution date"), widget=iso_date_input())
    # Set by the confirm step that named the earlier exports of the ticked slips.
    allow_reexport = forms.BooleanField(required=False, widget=forms.HiddenInput)
