"""Read the hub's configuration from the environment, with embedded defaults.

Everything an operator may set is named in :data:`DEFAULTS` with its default and read by
:func:`read` into one frozen :class:`Config`; nothing else in the hub or the console
script reads the environment for configuration, so the README's configuration table and
this module can be checked against each other (``tests/hub/core/test_env.py`` does).

Reading writes nothing. The one write is explicit: :func:`secret_key` generates the key
into the data dir on first start when ``SECRET_KEY`` is not set; settings call it once.

>>> config = read({"LEDGERBRIDGE_DATA_DIR": "/srv/lb", "ALLOWED_HOSTS": "a.example, b"})
>>> config.data_dir.as_posix(), config.allowed_hosts, config.max_upload_bytes
('/srv/lb', ['a.example', 'b'], 20971520)
>>> as_bool("yes"), as_bool("0")
(True, False)
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ledgerbridge.hub.identity import plans as hub_plans

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "DEFAULTS",
    "TEST_VARIABLES",
    "Config",
    "as_bool",
    "as_list",
    "plans",
    "read",
    "secret_key",
]

# Every variable an operator may set, with its default as it would be written in the
# environment; "" means unset (the README says what unset means for each).
DEFAULTS: dict[str, str] = {
    "LEDGERBRIDGE_DATA_DIR": ".ledgerbridge",
    "DATABASE_URL": "",
    "SECRET_KEY": "",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CSRF_TRUSTED_ORIGINS": "",
    "LEDGERBRIDGE_SITE_URL": "http://127.0.0.1:8000",
    "LEDGERBRIDGE_SITE_NAME": "ledgerbridge",
    "LEDGERBRIDGE_HTTPS": "",
    "LEDGERBRIDGE_SSL_REDIRECT": "1",
    "LEDGERBRIDGE_HOST": "127.0.0.1",
    "LEDGERBRIDGE_PORT": "8000",
    # One web process per core: a single process with four threads used one core of two.
    "LEDGERBRIDGE_WEB_WORKERS": str(os.cpu_count() or 1),
    "LEDGERBRIDGE_WEB_THREADS": "4",
    "LEDGERBRIDGE_CLIENT_CONNECTIONS": "64",
    "EMAIL_HOST": "",
    "EMAIL_PORT": "587",
    "EMAIL_HOST_USER": "",
    "EMAIL_HOST_PASSWORD": "",
    "EMAIL_USE_TLS": "1",
    "EMAIL_TIMEOUT": "30",
    "DEFAULT_FROM_EMAIL": "ledgerbridge <noreply@localhost>",
    "LEDGERBRIDGE_S3_BUCKET": "",
    "LEDGERBRIDGE_S3_ENDPOINT_URL": "",
    "LEDGERBRIDGE_S3_REGION": "",
    "LEDGERBRIDGE_S3_ACCESS_KEY_ID": "",
    "LEDGERBRIDGE_S3_SECRET_ACCESS_KEY": "",
    "LEDGERBRIDGE_INBOX_HOST": "127.0.0.1",
    "LEDGERBRIDGE_INBOX_PORT": "8024",
    "LEDGERBRIDGE_INBOX_DOMAIN": "inbox.localhost",
    "LEDGERBRIDGE_MAX_UPLOAD_BYTES": str(20 * 1024 * 1024),
    "LEDGERBRIDGE_ORG_QUOTA_BYTES": "",
    "LEDGERBRIDGE_PLANS": "",
    "LEDGERBRIDGE_AUDIT_CHECKPOINT_DIR": "",
    "LEDGERBRIDGE_DEBUG": "0",
    "LEDGERBRIDGE_LOG_LEVEL": "INFO",
}
# Read only under pytest (which sets PYTEST_VERSION): the suite's own database, so one
# checkout tests both SQLite and PostgreSQL without touching DATABASE_URL.
TEST_VARIABLES = frozenset({"LEDGERBRIDGE_TEST_DATABASE_URL"})


@dataclass(frozen=True, slots=True)
class Config:
    """The hub's configuration, typed; see the README's table for each variable."""

    data_dir: Path
    database_url: str
    test_database_url: str | None
    configured_secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    site_url: str
    site_name: str
    https: bool
    ssl_redirect: bool
    host: str
    port: int
    web_workers: int
    web_threads: int
    client_connections: int
    email_host: str
    email_port: int
    email_host_user: str
    email_host_password: str
    email_use_tls: bool
    email_timeout: int
    default_from_email: str
    s3_bucket: str
    s3_endpoint_url: str | None
    s3_region: str | None
    s3_access_key_id: str | None
    s3_secret_access_key: str | None
    inbox_host: str
    inbox_port: int
    inbox_domain: str
    max_upload_bytes: int
    org_quota_bytes: int | None
    plans_file: Path | None
    audit_checkpoint_dir: Path
    debug: bool
    log_level: str


def as_bool(value: str | None, *, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def as_list(value: str | None, *, default: list[str]) -> list[str]:
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def read(environ: Mapping[str, str]) -> Config:
    """The configuration in ``environ``; an unset or empty variable takes its default."""

    def get(name: str) -> str:
        return environ.get(name) or DEFAULTS[name]

    data_dir = Path(get("LEDGERBRIDGE_DATA_DIR")).resolve()
    site_url = get("LEDGERBRIDGE_SITE_URL").rstrip("/")
    under_pytest = "PYTEST_VERSION" in environ
    return Config(
        data_dir=data_dir,
        database_url=get("DATABASE_URL") or f"sqlite:///{data_dir / 'ledgerbridge.sqlite3'}",
        test_database_url=environ.get("LEDGERBRIDGE_TEST_DATABASE_URL") if under_pytest else None,
        configured_secret_key=get("SECRET_KEY"),
        allowed_hosts=as_list(get("ALLOWED_HOSTS"), default=[]),
        csrf_trusted_origins=as_list(get("CSRF_TRUSTED_ORIGINS"), default=[]),
        site_url=site_url,
        site_name=get("LEDGERBRIDGE_SITE_NAME").strip(),
        https=as_bool(get("LEDGERBRIDGE_HTTPS"), default=site_url.startswith("https://")),
        ssl_redirect=as_bool(get("LEDGERBRIDGE_SSL_REDIRECT")),
        host=get("LEDGERBRIDGE_HOST"),
        port=int(get("LEDGERBRIDGE_PORT")),
        web_workers=int(get("LEDGERBRIDGE_WEB_WORKERS")),
        web_threads=int(get("LEDGERBRIDGE_WEB_THREADS")),
        client_connections=int(get("LEDGERBRIDGE_CLIENT_CONNECTIONS")),
        email_host=get("EMAIL_HOST"),
        email_port=int(get("EMAIL_PORT")),
        email_host_user=get("EMAIL_HOST_USER"),
        email_host_password=get("EMAIL_HOST_PASSWORD"),
        email_use_tls=as_bool(get("EMAIL_USE_TLS")),
        email_timeout=int(get("EMAIL_TIMEOUT")),
        default_from_email=get("DEFAULT_FROM_EMAIL"),
        s3_bucket=get("LEDGERBRIDGE_S3_BUCKET"),
        s3_endpoint_url=get("LEDGERBRIDGE_S3_ENDPOINT_URL") or None,
        s3_region=get("LEDGERBRIDGE_S3_REGION") or None,
        s3_access_key_id=get("LEDGERBRIDGE_S3_ACCESS_KEY_ID") or None,
        s3_secret_access_key=get("LEDGERBRIDGE_S3_SECRET_ACCESS_KEY") or None,
        inbox_host=get("LEDGERBRIDGE_INBOX_HOST"),
        inbox_port=int(get("LEDGERBRIDGE_INBOX_PORT")),
        inbox_domain=get("LEDGERBRIDGE_INBOX_DOMAIN"),
        max_upload_bytes=int(get("LEDGERBRIDGE_MAX_UPLOAD_BYTES")),
        org_quota_bytes=int(quota) if (quota := get("LEDGERBRIDGE_ORG_QUOTA_BYTES")) else None,
        plans_file=Path(get("LEDGERBRIDGE_PLANS")).resolve() if get("LEDGERBRIDGE_PLANS") else None,
        audit_checkpoint_dir=Path(
            get("LEDGERBRIDGE_AUDIT_CHECKPOINT_DIR") or data_dir / "audit-checkpoints"
        ).resolve(),
        debug=as_bool(get("LEDGERBRIDGE_DEBUG")),
        log_level=get("LEDGERBRIDGE_LOG_LEVEL"),
    )


def plans(config: Config) -> hub_plans.Plans:
    """The operator's plans from ``LEDGERBRIDGE_PLANS``, else the one unlimited plan.

    Reads the plan file (settings call this once, at start); a bad file raises
    :class:`~ledgerbridge.hub.identity.plans.PlanError` naming the file and the problem.
    ``LEDGERBRIDGE_ORG_QUOTA_BYTES`` is the storage limit of the built-in plan only: with
    a plan file each plan says its own, and setting both is refused rather than guessed.

    >>> plans(read({})).default.key
    'unlimited'
    >>> plans(read({"LEDGERBRIDGE_ORG_QUOTA_BYTES": "1000"})).default.limit("storage_bytes")
    1000
    """
    if config.plans_file is None:
        return hub_plans.builtin(storage_bytes=config.org_quota_bytes)
    if config.org_quota_bytes is not None:
        raise hub_plans.PlanError(
            "LEDGERBRIDGE_ORG_QUOTA_BYTES and LEDGERBRIDGE_PLANS are both set: "
            "give each plan its storage_mb in the plan file and unset the quota"
        )
    return hub_plans.load(config.plans_file)


def secret_key(config: Config) -> str:
    """The configured key, else the one kept in the data dir, generated there on first start.

    The only function of this module that writes: on the very first start it creates the
    data dir and the key file (mode 0600), so restarts and every process of one machine
    share the key without anyone setting ``SECRET_KEY``.
    """
    if config.configured_secret_key:
        return config.configured_secret_key
    path = config.data_dir / "secret_key"
    if path.exists():
        return path.read_text("utf-8").strip()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(key, "utf-8")
    return key
