"""Django settings for the hub, all taken from :func:`.env.read` (no other environment reads).

The embedded default needs nothing: SQLite in WAL mode and files under the data dir,
e-mail printed to the console and kept in the data dir, tasks in the database. Setting
``DATABASE_URL``, ``EMAIL_HOST`` or ``LEDGERBRIDGE_S3_BUCKET`` switches to the
production parts without code changes.

Loading these settings only reads, with one explicit exception: on the very first start
:func:`.env.secret_key` generates the secret key into the data dir (and the data dir with
its static folder is created), unless ``SECRET_KEY`` is set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.config import env
from ledgerbridge.hub.identity.plans import PlanError

CONFIG = env.read(os.environ)
DATA_DIR = CONFIG.data_dir
HUB_DIR = Path(__file__).resolve().parent.parent

# --- first start: the only writes of loading the settings ---------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = env.secret_key(CONFIG)

DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
SITE_URL = CONFIG.site_url
# The hub's name in e-mails (greeting, subject) and the authenticator app, not allauth's
# default (the request's host, "127.0.0.1:8311").
SITE_NAME = CONFIG.site_name

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "template_partials",
    # Swagger UI for /api/v1/docs from ninja's own static files, not from a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "ledgerbridge.hub.core",
    "ledgerbridge.hub.identity",
    "ledgerbridge.hub.documents",
    "ledgerbridge.hub.exchange",
    "ledgerbridge.hub.api",
    "ledgerbridge.hub.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP and Permissions-Policy on every answer, including those of whitenoise and errors.
    "ledgerbridge.hub.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the rest, so it also sees the answers of the middleware below it.
    "ledgerbridge.hub.api.errors.JsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ledgerbridge.hub.web.middleware.CurrentOrganizationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "ledgerbridge.hub.config.urls"
WSGI_APPLICATION = "ledgerbridge.hub.config.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ledgerbridge.hub.core.security.csp_nonce",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------
# pytest runs the suite on LEDGERBRIDGE_TEST_DATABASE_URL when given (see env.TEST_VARIABLES).
DATABASES = {
    "default": dj_database_url.parse(
        CONFIG.test_database_url or CONFIG.database_url, conn_max_age=0
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE
    # transactions take the write lock up front instead of failing on upgrade. Each web
    # thread keeps its connection, so the PRAGMAs do not run again on every request.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Tests that serve pages to a browser answer requests in several threads at once. A
    # test database in a file gets WAL and the busy timeout as production does; Django's
    # default in-memory shared-cache database fails such requests at once with "database
    # table is locked". One file per test process, removed by Django at the end.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 1, "max_size": 8}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache in the database is shared by every process (web threads, workers, several
# machines), which the login rate limits need; no extra server for the embedded default.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ledgerbridge_cache",
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- files ------------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "files"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # first start, as above: whitenoise expects it
STATIC_URL = "/static/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": CONFIG.s3_bucket,
                "endpoint_url": CONFIG.s3_endpoint_url,
                "region_name": CONFIG.s3_region,
                "access_key": CONFIG.s3_access_key_id,
                "secret_key": CONFIG.s3_secret_access_key,
                "default_acl": None,
                "file_overwrite": False,
            },
        }
        if CONFIG.s3_bucket
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        # Compressed copies without a manifest: `serve` runs collectstatic, and tests
        # and development servers still work straight from the app folders.
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# --- documents --------------------------------------------------------------------
LEDGERBRIDGE_MAX_UPLOAD_BYTES = CONFIG.max_upload_bytes
# --- plans: the operator's limits and features per organization --------------------
# Read once here; a bad plan file stops the start with the file and the problem named.
try:
    LEDGERBRIDGE_PLANS = env.plans(CONFIG)
except PlanError as _plan_error:
    raise ImproperlyConfigured(f"LEDGERBRIDGE_PLANS: {_plan_error}") from None
# Signed heads of the audit chains: outside the database, so a database writer cannot
# cut a chain's newest events unnoticed.
LEDGERBRIDGE_AUDIT_CHECKPOINT_DIR = CONFIG.audit_checkpoint_dir
LEDGERBRIDGE_INBOX_DOMAIN = CONFIG.inbox_domain
# Multipart uploads up to the cap are accepted; above 2.5 MB Django spools them to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = LEDGERBRIDGE_MAX_UPLOAD_BYTES + 1024 * 1024

# --- e-mail -----------------------------------------------------------------------
DEFAULT_FROM_EMAIL = CONFIG.default_from_email
if CONFIG.email_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = CONFIG.email_host
    EMAIL_PORT = CONFIG.email_port
    EMAIL_HOST_USER = CONFIG.email_host_user
    EMAIL_HOST_PASSWORD = CONFIG.email_host_password
    EMAIL_USE_TLS = CONFIG.email_use_tls
    # The outbox task holds the invitation's row lock while it talks to the server.
    EMAIL_TIMEOUT = CONFIG.email_timeout
else:
    EMAIL_BACKEND = "ledgerbridge.hub.core.mail.ConsoleAndFileBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"

# --- i18n -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("fr", _("French")), ("pl", _("Polish"))]
LOCALE_PATHS = [HUB_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- security ---------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "ledgerbridge.hub.config.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and CONFIG.https:
    # Served over TLS (a reverse proxy says so with X-Forwarded-Proto): secure cookies and
    # HSTS. The embedded default listens on plain http://127.0.0.1, where a secure cookie
    # would never come back and nobody could log in.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_SSL_REDIRECT = CONFIG.ssl_redirect

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": CONFIG.log_level},
}

# --- accounts (allauth, MFA) ------------------------------------------------------
# Owned by the accounts part (src/ledgerbridge/hub/web/accounts/). People log in with
# their e-mail address only; a new address is proven by a code sent to it.
INSTALLED_APPS += ["ledgerbridge.hub.web.accounts"]
# The hub's account/, mfa/ and allauth/ templates must win over allauth's own, whose app
# comes earlier in INSTALLED_APPS: directories in DIRS are searched before app folders.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], HUB_DIR / "web" / "templates"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1,
    "ledgerbridge.hub.web.accounts.middleware.UserLanguageMiddleware",
)
# Requiring MFA needs request.organization, which CurrentOrganizationMiddleware sets when
# installed; otherwise the middleware reads the session key itself. It goes last.
MIDDLEWARE.append("ledgerbridge.hub.web.accounts.middleware.RequireMFAMiddleware")
ACCOUNT_ADAPTER = "ledgerbridge.hub.web.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "ledgerbridge.hub.web.accounts.forms.SignupForm",
    "login": "ledgerbridge.hub.web.accounts.forms.LoginForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Failed logins: 10 a minute per IP and 5 per 5 minutes per e-mail address and client
# (the adapter adds the client to the key, so nobody elsewhere can lock the owner out).
# allauth counts wrong MFA codes under the same action, keyed by the user, so a stolen
# password does not buy unlimited TOTP guesses. The counters live in the shared
# DatabaseCache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_ADAPTER = "ledgerbridge.hub.web.accounts.mfa.EncryptingMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_NAME
MFA_RECOVERY_CODES_SHOW_ONCE = True
# WebAuthn needs a secure context and a domain as relying-party ID: browsers refuse an IP
# address, so passkeys work at http://localhost:8000 (a secure context, and an origin that
# python-fido2 accepts) or over HTTPS with a real name, never at http://127.0.0.1.
# tests/hub/acceptance/test_passkeys.py drives this in Chromium. Other insecure origins
# are allowed only in debug.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# One 30-second step either side absorbs a phone clock that is slightly off.
MFA_TOTP_TOLERANCE = 1
