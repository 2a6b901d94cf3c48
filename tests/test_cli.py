"""The console script: subcommands listed in --help, Django commands passed through."""

from __future__ import annotations

import subprocess
import sys

from ledgerbridge import cli


def test_help_lists_every_command() -> None:
    # when
    result = subprocess.run(
        [sys.executable, "-m", "ledgerbridge.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert result.returncode == 0
    for name in ["read", "serve", "worker", "migrate", "createadmin", "token", "audit", "check"]:
        assert f"    {name}" in result.stdout


def test_django_commands_are_mapped_to_management_commands() -> None:
    # then
    assert cli._DJANGO_COMMANDS["audit"](["verify"]) == ["audit", "verify"]
    assert set(cli._DJANGO_HELP) == {*cli._DJANGO_COMMANDS, "worker"}


def test_unknown_command_exits_with_usage_error() -> None:
    # when
    result = subprocess.run(
        [sys.executable, "-m", "ledgerbridge.cli", "frobnicate"],
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
