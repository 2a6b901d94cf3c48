"""Configuration from the environment: defaults, the generated secret key, the README table."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from ledgerbridge.hub.config import env

README = Path(__file__).resolve().parents[3] / "README.md"


def test_database_defaults_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    # when
    config = env.read({"LEDGERBRIDGE_DATA_DIR": str(tmp_path)})
    # then
    assert config.database_url == f"sqlite:///{tmp_path.resolve() / 'ledgerbridge.sqlite3'}"


def test_database_url_from_the_environment_wins(tmp_path: Path) -> None:
    # when
    config = env.read({"DATABASE_URL": "postgres://u@db:5432/lb"})
    # then
    assert config.database_url == "postgres://u@db:5432/lb"


def test_the_test_database_is_read_only_under_pytest() -> None:
    # given
    environ = {"LEDGERBRIDGE_TEST_DATABASE_URL": "postgres://u@db:5432/t"}
    # when
    outside, inside = env.read(environ), env.read({**environ, "PYTEST_VERSION": "8"})
    # then
    assert (outside.test_database_url, inside.test_database_url) == (
        None, "postgres://u@db:5432/t",
    )  # fmt: skip


def test_reading_writes_nothing(tmp_path: Path) -> None:
    # when
    env.read({"LEDGERBRIDGE_DATA_DIR": str(tmp_path / "data")})
    # then
    assert not (tmp_path / "data").exists()


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    # given
    config = env.read({"LEDGERBRIDGE_DATA_DIR": str(tmp_path)})
    # when
    first = env.secret_key(config)
    second = env.secret_key(config)
    # then
    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_secret_key_from_the_environment_writes_nothing(tmp_path: Path) -> None:
    # given
    config = env.read({"LEDGERBRIDGE_DATA_DIR": str(tmp_path), "SECRET_KEY": "configured"})
    # when
    key = env.secret_key(config)
    # then
    assert key == "configured"
    assert not (tmp_path / "secret_key").exists()


def test_an_empty_variable_takes_its_default() -> None:
    # when
    config = env.read({"LEDGERBRIDGE_PORT": "", "LEDGERBRIDGE_MAX_UPLOAD_BYTES": ""})
    # then
    assert (config.port, config.max_upload_bytes) == (8000, 20 * 1024 * 1024)


def test_lists_and_flags_are_parsed_leniently() -> None:
    # then
    assert env.as_list(" a.example , b.example,", default=[]) == ["a.example", "b.example"]
    assert env.as_list("", default=["x"]) == ["x"]
    assert env.as_bool(None, default=True) is True
    assert env.as_bool("On") is True


def test_the_readme_table_names_every_variable_and_no_other() -> None:
    # given
    section = README.read_text("utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    # when
    documented = {
        name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split(" | ")[0])
    }
    # then
    assert documented == set(env.DEFAULTS)
