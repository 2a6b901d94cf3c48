"""Plans: what the hub operator lets each organization do, read from a TOML file.

Pure parsing (no Django, no database): :func:`parse` turns the text of the operator's
plan file (``LEDGERBRIDGE_PLANS``) into a :class:`Plans` catalogue of frozen
:class:`Plan` values, or raises :class:`PlanError` naming the problem. Without a file the
hub runs :func:`builtin`: one plan ``unlimited`` with every feature and no limit, so a
self-hoster never meets one. The services that enforce a plan live in
:mod:`ledgerbridge.hub.identity.services`.

Each limit is optional (absent = unlimited); ``features`` absent = every feature::

    default = "free"

    [plans.free]
    name = "Free"
    documents_per_month = 100
    storage_mb = 500            # or storage_bytes = 524288000
    client_links = 1
    members = 3
    features = ["scan_app"]

    [plans.pro]
    name = "Pro"

>>> plans = parse('default = "free"\\n[plans.free]\\nname = "Free"\\nmembers = 3\\n'
...               'features = ["api"]\\n[plans.pro]\\nname = "Pro"\\n')
>>> plans.default.key, plans.default.limit(PlanLimit.MEMBERS), plans["pro"].limit("members")
('free', 3, None)
>>> Feature.API in plans["free"].features, Feature.SCAN_APP in plans["free"].features
(True, False)
>>> try:
...     parse('[plans.x]\\nname = "X"\\nmembers = -1')
... except PlanError as err:
...     print(err)
plan 'x': members must be a whole number of at least 0, not -1
>>> builtin().default.key, builtin().default.limit(PlanLimit.STORAGE_BYTES)
('unlimited', None)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum, unique
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = [
    "BUILTIN_KEY",
    "Feature",
    "Plan",
    "PlanError",
    "PlanLimit",
    "Plans",
    "builtin",
    "load",
    "parse",
]

BUILTIN_KEY = "unlimited"
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_MB = 1024 * 1024


@unique
class Feature(StrEnum):
    """What a plan may switch off, and the checks each one gates.

    - ``exchange``: client links and sending documents to an accounting office
      (the exchange app calls ``plan_require_feature``).
    - ``api``: creating API tokens, and every API call authenticated by a bearer token
      (the web UI's own session calls are not API use).
    - ``scan_app``: the phone scan app (``/scan/`` read, confirm, receipt) and any
      ingest with source ``scan``.
    - ``email_inbox``: receiving mail into the organization's inbox address (refused
      whole, before anything is kept).
    - ``integrations``: connections to accounting programs (reserved for the
      integrations app; nothing checks it yet).
    """

    EXCHANGE = "exchange"
    API = "api"
    SCAN_APP = "scan_app"
    EMAIL_INBOX = "email_inbox"
    INTEGRATIONS = "integrations"


@unique
class PlanLimit(StrEnum):
    """A counted limit of a plan; the value is its name in the plan file and in errors."""

    DOCUMENTS_PER_MONTH = "documents_per_month"
    STORAGE_BYTES = "storage_bytes"
    CLIENT_LINKS = "client_links"
    MEMBERS = "members"


class PlanError(ValueError):
    """The plan file is not usable; the message names the plan and the setting."""


@dataclass(frozen=True, slots=True)
class Plan:
    """One plan: its key (stored on the organization), name, limits and features."""

    key: str
    name: str
    limits: dict[PlanLimit, int] = field(default_factory=dict)
    features: frozenset[Feature] = frozenset(Feature)

    def limit(self, limit: PlanLimit | str) -> int | None:
        """The plan's limit, or ``None`` when it has none (unlimited)."""
        return self.limits.get(PlanLimit(limit))

    def has(self, feature: Feature) -> bool:
        return feature in self.features


@dataclass(frozen=True, slots=True)
class Plans:
    """The operator's plans in file order, and the one new organizations get by default."""

    plans: tuple[Plan, ...]
    default_key: str

    def __iter__(self) -> Iterator[Plan]:
        return iter(self.plans)

    def __len__(self) -> int:
        return len(self.plans)

    def __getitem__(self, key: str) -> Plan:
        for plan in self.plans:
            if plan.key == key:
                return plan
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(plan.key == key for plan in self.plans)

    @property
    def default(self) -> Plan:
        return self[self.default_key]

    def effective(self, key: str) -> Plan:
        """The plan ``key``, or the default one when the operator has removed it."""
        found = next((plan for plan in self.plans if plan.key == key), None)
        return found or self.default


def builtin(*, storage_bytes: int | None = None) -> Plans:
    """The plans without a plan file: one plan with every feature and no limit.

    ``storage_bytes`` is ``LEDGERBRIDGE_ORG_QUOTA_BYTES`` when an operator set it.
    """
    limits = {} if storage_bytes is None else {PlanLimit.STORAGE_BYTES: storage_bytes}
    return Plans((Plan(BUILTIN_KEY, "Unlimited", limits),), BUILTIN_KEY)


def _count(where: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PlanError(f"{where}: {name} must be a whole number of at least 0, not {value!r}")
    return value


def _limits(where: str, table: dict[str, Any]) -> dict[PlanLimit, int]:
    if "storage_bytes" in table and "storage_mb" in table:
        raise PlanError(f"{where}: give storage_bytes or storage_mb, not both")
    limits = {
        PlanLimit(name): _count(where, name, table[name]) for name in PlanLimit if name in table
    }
    if "storage_mb" in table:
        limits[PlanLimit.STORAGE_BYTES] = _count(where, "storage_mb", table["storage_mb"]) * _MB
    return limits


def _features(where: str, value: Any) -> frozenset[Feature]:
    known = ", ".join(Feature)
    if not isinstance(value, list):
        raise PlanError(f"{where}: features must be a list of names ({known})")
    unknown = sorted(str(item) for item in value if item not in set(Feature))
    if unknown:
        raise PlanError(f"{where}: unknown feature {unknown[0]!r} (known: {known})")
    return frozenset(Feature(item) for item in value)


_PLAN_KEYS = {"name", "features", "storage_mb", *PlanLimit}


def _plan(key: str, table: Any) -> Plan:
    where = f"plan {key!r}"
    if not _KEY.match(key):
        raise PlanError(f"{where}: a key is 1-32 lowercase letters, digits, '-' or '_'")
    if not isinstance(table, dict):
        raise PlanError(f"{where}: must be a table ([plans.{key}])")
    unknown = sorted(set(table) - _PLAN_KEYS)
    if unknown:
        raise PlanError(f"{where}: unknown setting {unknown[0]!r}")
    name = table.get("name", key)
    if not isinstance(name, str) or not name.strip():
        raise PlanError(f"{where}: name must be a non-empty text")
    features = _features(where, table["features"]) if "features" in table else frozenset(Feature)
    return Plan(key, name.strip(), _limits(where, table), features)


def parse(text: str) -> Plans:
    """The plans of a plan file's text; :class:`PlanError` names what is wrong."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PlanError(f"not valid TOML: {err}") from None
    unknown = sorted(set(document) - {"default", "plans"})
    if unknown:
        raise PlanError(f"unknown setting {unknown[0]!r} (expected default and [plans.KEY])")
    tables = document.get("plans")
    if not isinstance(tables, dict) or not tables:
        raise PlanError("no plans: define at least one [plans.KEY] table")
    plans = tuple(_plan(key, table) for key, table in tables.items())
    default = document.get("default")
    if default is None:
        if len(plans) > 1:
            raise PlanError('several plans but no default: add default = "KEY"')
        default = plans[0].key
    if not isinstance(default, str) or default not in {plan.key for plan in plans}:
        raise PlanError(f"default plan {default!r} is not one of the plans")
    return Plans(plans, default)


def load(path: Path) -> Plans:
    """The plans in the file at ``path``; :class:`PlanError` names the file and the problem."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PlanError(f"{path}: cannot be read ({err})") from None
    try:
        return parse(text)
    except PlanError as err:
        raise PlanError(f"{path}: {err}") from None
