"""Print every conformance tally's pass rates at the end of the run, in CI output too."""

from __future__ import annotations

from typing import Any

from tests.formats.conformance.corpus import TALLIES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    ran = [tally for tally in TALLIES if tally.total]
    if not ran:
        return
    terminalreporter.section("conformance pass rates")
    for tally in ran:
        for line in tally.report().splitlines():
            terminalreporter.write_line(line)
