"""Find the shared conformance corpus and walk its manifests.

The corpus lives beside the repository (``../shared/corpus``) and is not part of it;
``LEDGERBRIDGE_CORPUS`` points elsewhere. Tests that need it fail with a clear message
when it is missing rather than passing vacuously.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledgerbridge.formats import FormatError, read

REPO = Path(__file__).resolve().parents[3]
TALLIES: list[Tally] = []


def corpus_root() -> Path:
    root = Path(os.environ.get("LEDGERBRIDGE_CORPUS", REPO.parent / "shared" / "corpus"))
    if not root.is_dir():
        msg = f"conformance corpus not found at {root}; set LEDGERBRIDGE_CORPUS"
        raise FileNotFoundError(msg)
    return root


def manifest(folder: str) -> list[dict[str, Any]]:
    """The entries of ``<corpus>/<folder>/manifest.json``, each with ``path`` added."""
    base = corpus_root() / folder
    entries: list[dict[str, Any]] = json.loads((base / "manifest.json").read_text("utf-8"))
    for entry in entries:
        entry["path"] = base / entry["file"]
    return entries


def verdict(entry: dict[str, Any]) -> tuple[str, list[str]]:
    """``"invalid"`` with the codes of a refusal or of the error findings, else ``"valid"``."""
    try:
        result = read(entry["path"].read_bytes(), filename=entry["file"])
    except FormatError as err:
        return "invalid", [err.code]
    codes = [f.code for d in result.documents for f in d.findings if f.is_error]
    return ("invalid" if codes else "valid"), codes


@dataclass
class Tally:
    """Counts passes per group; every tally's rates are printed at the end of the run."""

    name: str
    passed: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        TALLIES.append(self)

    def record(self, group: str, *, ok: bool) -> None:
        self.total[group] += 1
        self.passed[group] += int(ok)

    def report(self) -> str:
        lines = [f"conformance {self.name}: {self.overall()}"]
        for group in sorted(self.total):
            rate = 100 * self.passed[group] / self.total[group]
            lines.append(f"  {group}: {self.passed[group]}/{self.total[group]} = {rate:.1f}%")
        return "\n".join(lines)

    def overall(self) -> str:
        passed, total = sum(self.passed.values()), sum(self.total.values())
        return f"{passed}/{total} = {100 * passed / total:.1f}%" if total else "nothing run"
