"""The opening line of a letter to an invited person, in the active language.

An admin may give a salutation with the names (Ms, Mr, Mx or none); the mails open
with it the way each language writes to a stranger: "Dear Ms Muster," / "Sehr geehrte
Frau Muster," / "Madame Muster," / "Szanowna Pani Muster,". Without a salutation (or
with Mx) the full name stands alone; without any name the mail says "Hello,".

>>> greeting(salutation="ms", first_name="Anna", last_name="Muster")
'Dear Ms Muster,'
>>> greeting(salutation="", first_name="Anna", last_name="Muster")
'Dear Anna Muster,'
>>> greeting(salutation="mr", first_name="", last_name="")
'Hello,'
"""

from __future__ import annotations

from django.utils.translation import gettext, pgettext

from ledgerbridge.hub.identity.models import Invitation

__all__ = ["greeting"]


def greeting(*, salutation: str, first_name: str, last_name: str) -> str:
    """The salutation line for these names, in the active language."""
    first_name, last_name = first_name.strip(), last_name.strip()
    name = f"{first_name} {last_name}".strip()
    if last_name and salutation == Invitation.Salutation.MS:
        return pgettext("greeting", "Dear Ms %(last_name)s,") % {"last_name": last_name}
    if last_name and salutation == Invitation.Salutation.MR:
        return pgettext("greeting", "Dear Mr %(last_name)s,") % {"last_name": last_name}
    if name and salutation == Invitation.Salutation.MX:
        return pgettext("greeting", "Dear Mx %(name)s,") % {"name": name}
    if name:
        return pgettext("greeting", "Dear %(name)s,") % {"name": name}
    return gettext("Hello,")
