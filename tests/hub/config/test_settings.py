"""Settings chosen by the environment: S3 storage, SMTP, secure cookies behind HTTPS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

_PRINT_SETTINGS = """
import json
from django.conf import settings
from django.core.files.storage import storages
print(json.dumps({
    "storage": type(storages["default"]).__name__,
    "bucket": getattr(storages["default"], "bucket_name", None),
    "email": settings.EMAIL_BACKEND,
    "secure_cookie": settings.SESSION_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "database": settings.DATABASES["default"]["ENGINE"],
}))
"""


def _settings_with(tmp_path: Path, **environ: str) -> dict[str, Any]:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ledgerbridge.hub.config.settings",
        "LEDGERBRIDGE_DATA_DIR": str(tmp_path),
        **environ,
    }
    result = subprocess.run(  # noqa: S603  # our own interpreter and a fixed script
        [sys.executable, "-c", f"import django; django.setup(); {_PRINT_SETTINGS}"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    settings: dict[str, Any] = json.loads(result.stdout)
    return settings


def test_embedded_default_is_sqlite_files_on_disk_and_console_mail(tmp_path: Path) -> None:
    # when
    settings = _settings_with(tmp_path)
    # then
    assert settings == {
        "storage": "FileSystemStorage",
        "bucket": None,
        "email": "ledgerbridge.hub.core.mail.ConsoleAndFileBackend",
        "secure_cookie": False,
        "hsts": 0,
        "database": "django.db.backends.sqlite3",
    }


def test_production_parts_are_switched_on_by_the_environment(tmp_path: Path) -> None:
    # when
    settings = _settings_with(
        tmp_path,
        LEDGERBRIDGE_S3_BUCKET="ledger-files",
        LEDGERBRIDGE_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        EMAIL_HOST="smtp.example.invalid",
        LEDGERBRIDGE_SITE_URL="https://ledger.example.invalid",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ledgerbridge",
    )
    # then
    assert settings == {
        "storage": "S3Storage",
        "bucket": "ledger-files",
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "secure_cookie": True,
        "hsts": 31_536_000,
        "database": "django.db.backends.postgresql",
    }
