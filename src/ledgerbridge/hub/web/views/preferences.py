"""A user's own preferences: the language they read and how amounts and dates are written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.web.accounts import languages
from ledgerbridge.hub.web.forms import PreferencesForm

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from ledgerbridge.hub.identity.models import User

__all__ = ["preferences"]


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose the language and the regional format (blank: the organization's)."""
    user: User = request.user  # type: ignore[assignment]  # login_required: a User
    initial = {"language": languages.for_user(user), "regional_format": user.regional_format}
    organization = getattr(request, "organization", None)  # CurrentOrganizationMiddleware
    form = PreferencesForm(request.POST or None, initial=initial, organization=organization)
    if request.method == "POST" and form.is_valid():
        services.user_set_preferences(
            user=user,
            language=form.cleaned_data["language"],
            regional_format=form.cleaned_data["regional_format"] or "",
        )
        # The next page reads in the new language (the middleware reads it from the user).
        translation.activate(user.language)
        messages.success(request, _("Your preferences have been saved."))
        return redirect("web:preferences")
    return render(request, "web/preferences.html", {"form": form})
