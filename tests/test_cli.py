"""The console script: subcommands listed in --help, Django commands passed through, and
``serve`` stopping every process it started when told to stop."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

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
    names = ["read", "serve", "worker", "migrate", "createadmin", "token", "org", "plan"]
    for name in [*names, "audit", "check"]:
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _descendants(root: int) -> set[int]:
    """The processes below ``root``, read from /proc (psutil is not a dependency)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    """Running, that is: present in /proc and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _start_serve(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, int]:
    """``ledgerbridge serve`` with two web workers, the task worker and the LMTP inbox."""
    port, inbox_port = _free_port(), _free_port()
    drop = {"DATABASE_URL", "PYTEST_VERSION", "LEDGERBRIDGE_TEST_DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["LEDGERBRIDGE_DATA_DIR"] = str(tmp_path / "data")
    argv = [sys.executable, "-m", "ledgerbridge.cli", "serve", "--port", str(port),
            "--workers", "2", "--inbox-port", str(inbox_port)]  # fmt: skip
    # A process group of its own, as a terminal gives the command it runs.
    serve = subprocess.Popen(  # noqa: S603  # our own console script, fixed arguments
        argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert serve.poll() is None, f"serve exited with {serve.returncode}"
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                # /healthz answers before every granian worker has started: wait for both.
                time.sleep(3)
                return serve, port, inbox_port
        time.sleep(0.2)
    os.killpg(serve.pid, signal.SIGKILL)
    serve.wait(timeout=10)
    raise AssertionError("ledgerbridge serve did not answer /healthz")


def _stopped_within(
    serve: subprocess.Popen[bytes], processes: set[int], ports: tuple[int, ...], seconds: float
) -> tuple[list[int], list[int]]:
    """Wait up to ``seconds`` for every process to end; what still runs and listens then."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        serve.poll()  # reap the serve process itself once it exits
        if not any(map(_alive, processes)) and not any(map(_port_open, ports)):
            break
        time.sleep(0.2)
    survivors = sorted(pid for pid in processes if _alive(pid))
    for pid in survivors:  # leave nothing behind for the next test
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    serve.wait(timeout=10)
    return survivors, [port for port in ports if _port_open(port)]


@pytest.mark.slow
def test_ctrl_c_on_serve_stops_every_process_within_seconds(tmp_path: Path) -> None:
    # given
    serve, port, inbox_port = _start_serve(tmp_path)
    processes = {serve.pid, *_descendants(serve.pid)}
    assert len(processes) >= 5  # serve, granian and its two workers, task worker, inbox
    # when: Ctrl-C in a terminal sends SIGINT to the whole foreground process group
    os.killpg(serve.pid, signal.SIGINT)
    # then
    assert _stopped_within(serve, processes, (port, inbox_port), 10) == ([], [])
    assert serve.returncode == 0


@pytest.mark.slow
def test_sigterm_to_serve_alone_stops_every_process_within_seconds(tmp_path: Path) -> None:
    # given
    serve, port, inbox_port = _start_serve(tmp_path)
    processes = {serve.pid, *_descendants(serve.pid)}
    assert len(processes) >= 5
    # when: a service manager stops the main process only
    serve.terminate()
    # then
    assert _stopped_within(serve, processes, (port, inbox_port), 10) == ([], [])
    assert serve.returncode == 0
