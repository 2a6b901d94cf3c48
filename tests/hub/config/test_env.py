"""Configuration from the environment: data dir, database URL and the generated secret key."""

from __future__ import annotations

import stat
from typing import TYPE_CHECKING

from ledgerbridge.hub.config import env

if TYPE_CHECKING:
    from pathlib import Path


def test_database_defaults_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    # when
    url = env.database_url({}, tmp_path)
    # then
    assert url == f"sqlite:///{tmp_path / 'ledgerbridge.sqlite3'}"


def test_database_url_from_the_environment_wins(tmp_path: Path) -> None:
    # when
    url = env.database_url({"DATABASE_URL": "postgres://u@db:5432/lb"}, tmp_path)
    # then
    assert url == "postgres://u@db:5432/lb"


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    # when
    first = env.secret_key({}, tmp_path)
    second = env.secret_key({}, tmp_path)
    # then
    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_secret_key_from_the_environment_writes_nothing(tmp_path: Path) -> None:
    # when
    key = env.secret_key({"SECRET_KEY": "configured"}, tmp_path)
    # then
    assert key == "configured"
    assert not (tmp_path / "secret_key").exists()


def test_lists_and_flags_are_parsed_leniently() -> None:
    # then
    assert env.as_list(" a.example , b.example,", default=[]) == ["a.example", "b.example"]
    assert env.as_list("", default=["x"]) == ["x"]
    assert env.as_bool(None, default=True) is True
    assert env.as_bool("On") is True
