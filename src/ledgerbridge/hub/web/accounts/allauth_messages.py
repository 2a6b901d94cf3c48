"""allauth and Django messages that the portal translates itself, to keep one glossary.

Django looks a message up in ``LOCALE_PATHS`` before any app's catalogue, so an entry in
``hub/locale`` wins over allauth's and ``django.contrib.auth``'s for the same msgid. Some
of theirs clash with the portal's words: French "Email" reads "Courriel" (from
``django.contrib.auth``) where the portal says "E-mail"; Polish allauth calls the
authenticator app "aplikacja autoryzacyjna" where the portal says "aplikacja
uwierzytelniająca", and asks "Zapomniałeś hasła?" where the portal uses the
gender-neutral "Nie pamiętasz hasła?". ``makemessages`` only collects msgids from the
portal's own source, so they are listed here with ``gettext_noop``; nothing imports
this module at run time. The English catalogue (``hub/locale/en``) turns allauth's Title
Case headings ("Reset My Password") and "Email" into the portal's sentence case and
"e-mail".

>>> "Forgot your password?" in ALLAUTH_MESSAGES
True
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

__all__ = ["ALLAUTH_MESSAGES"]

ALLAUTH_MESSAGES = (
    # the login form's e-mail label (django.contrib.auth says "Courriel" in French)
    gettext_noop("Email"),
    gettext_noop("Email address"),
    # the login page and the password reset page
    gettext_noop("Forgot your password?"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you "
        "an email allowing you to reset it."
    ),
    # allauth's Title Case and "Email": the hub writes sentence case and "e-mail" (the
    # English catalogue hub/locale/en says so), German "E-Mail", Polish "e-mail"
    gettext_noop("Change Email"),
    gettext_noop("Email Address"),
    gettext_noop("Email Addresses"),
    # the two-factor pages
    gettext_noop("Authenticator App"),
    gettext_noop("Authenticator app activated."),
    gettext_noop("Authenticator app deactivated."),
    gettext_noop("Authentication using an authenticator app is active."),
    gettext_noop("An authenticator app is not active."),
    gettext_noop(
        "You cannot add an email address to an account protected by two-factor authentication."
    ),
)
