"""Health probes: /healthz answers without the database, /readyz checks it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from django.test import Client


def test_healthz_answers_ok(client: Client) -> None:
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_ok_when_migrated(client: Client) -> None:
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_refuses_post(client: Client) -> None:
    # when
    response = client.post("/healthz")
    # then
    assert response.status_code == 405


@pytest.mark.django_db
def test_suite_runs_on_the_database_it_was_given() -> None:
    # given
    from django.db import connection

    wanted = "postgresql" if os.environ.get("LEDGERBRIDGE_TEST_DATABASE_URL") else "sqlite"
    # then
    assert connection.vendor == wanted
