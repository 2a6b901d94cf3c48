"""Fixtures for the account tests: every one of them talks to the database."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    # Rate limits and the TOTP replay guard live in the DatabaseCache, whose table Django
    # creates with the test database; rows written by one test roll back with it.
    return
