"""Read the hub's configuration from the environment, with embedded defaults.

Everything an operator may set is read here and nowhere else, so the README's
configuration table and this module can be checked against each other.

>>> Path(data_dir({"LEDGERBRIDGE_DATA_DIR": "/srv/lb"})).as_posix()
'/srv/lb'
>>> as_bool("yes"), as_bool("0")
(True, False)
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["as_bool", "as_list", "data_dir", "database_url", "secret_key"]


def as_bool(value: str | None, *, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def as_list(value: str | None, *, default: list[str]) -> list[str]:
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("LEDGERBRIDGE_DATA_DIR", ".ledgerbridge")).resolve()


def database_url(environ: Mapping[str, str], data: Path) -> str:
    return environ.get("DATABASE_URL") or f"sqlite:///{data / 'ledgerbridge.sqlite3'}"


def secret_key(environ: Mapping[str, str], data: Path) -> str:
    """The configured key, else one generated once and kept in the data dir (mode 0600)."""
    if environ.get("SECRET_KEY"):
        return environ["SECRET_KEY"]
    path = data / "secret_key"
    if path.exists():
        return path.read_text("utf-8").strip()
    data.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(key, "utf-8")
    return key
