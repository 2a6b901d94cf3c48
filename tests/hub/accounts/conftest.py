"""Fixtures for the account tests: the cache table the rate limits and TOTP replay guard use."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def cache_table(db: None) -> None:
    # The DatabaseCache lives in the test database; rows written by one test are rolled
    # back with it, so rate-limit counters never leak from one test into another.
    call_command("createcachetable", verbosity=0)
