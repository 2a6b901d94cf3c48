"""Project-wide test setup: where artifacts go.

``LEDGERBRIDGE_TEST_DATABASE_URL`` switches the Django test database to PostgreSQL
(read by the settings while pytest runs); without it the tests use SQLite. Browser
screenshots and other artifacts are written under ``artifacts/`` (or
``LEDGERBRIDGE_ARTIFACTS``), and the path is printed at the end.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(os.environ.get("LEDGERBRIDGE_ARTIFACTS", Path(__file__).parents[1] / "artifacts"))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if ARTIFACTS.exists() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"artifacts (screenshots, reports): {ARTIFACTS}")


def pytest_configure(config: pytest.Config) -> None:
    # Real password hashing (PBKDF2, hundreds of thousands of rounds) would dominate the
    # hub suite's run time; the tests check behaviour, not the hash's strength.
    from django.conf import settings

    if settings.configured:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # Tasks run at once, inside the enqueueing transaction, so tests see their effect
        # (the invitation mail in mail.outbox) without a worker; the outbox tests switch
        # back to the database backend to see the task rows themselves.
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
