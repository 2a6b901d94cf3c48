"""Slow and stalled clients against the real ``ledgerbridge serve``: the hub stays responsive.

Issue 10, finding 1: four connections that announced a body and then stalled or trickled
held every web thread, and ``/healthz`` timed out for as long as they stayed open.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.hub.factories import qrbill_file

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(tmp_path: Path) -> dict[str, str]:
    drop = {"DATABASE_URL", "PYTEST_VERSION", "LEDGERBRIDGE_TEST_DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["LEDGERBRIDGE_DATA_DIR"] = str(tmp_path / "data")
    return env


def _token(env: dict[str, str]) -> str:
    argv = [sys.executable, "-m", "ledgerbridge.cli", "token", "create", "--user",
            "admin@demo.ledgerbridge.local", "--org", "CHE-116.281.710",
            "--permissions", "documents.view,documents.upload"]  # fmt: skip
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, timeout=60)  # noqa: S603
    return done.stdout.split()[-1]


def _best_of_three(request: httpx.Request) -> tuple[float, int]:
    best, status = float("inf"), 0
    for _ in range(3):
        started = time.monotonic()
        with contextlib.suppress(httpx.TimeoutException):
            status = httpx.Client(timeout=5).send(request).status_code
            best = min(best, time.monotonic() - started)
    return best, status


def _slow_client(port: int, head: bytes, *, trickle: bool, stop: threading.Event) -> None:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(head)
        while not stop.wait(1.0):
            if trickle:
                conn.sendall(b"x")


def test_fifty_slow_clients_leave_healthz_and_uploads_under_a_second(tmp_path: Path) -> None:
    # given
    env, port = _environment(tmp_path), _free_port()
    argv = [sys.executable, "-m", "ledgerbridge.cli", "serve", "--port", str(port),
            "--no-worker", "--inbox-port", "0"]  # fmt: skip
    serve = subprocess.Popen(argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL)  # noqa: S603
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.3)
        token = _token(env)
        base = f"http://127.0.0.1:{port}"
        httpx.get(f"{base}/healthz", timeout=5)  # every web process warmed up once
        head = (
            "POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/pdf\r\n"
            "Content-Length: 100000\r\n\r\n"
        ).encode()
        clients = [
            threading.Thread(target=_slow_client, args=(port, head),
                             kwargs={"trickle": i % 2 == 1, "stop": stop}, daemon=True)
            for i in range(50)
        ]  # fmt: skip
        for client in clients:
            client.start()
        time.sleep(2)
        data, _ = qrbill_file()
        # when
        health = _best_of_three(httpx.Request("GET", f"{base}/healthz"))
        upload = _best_of_three(httpx.Request(
            "POST", f"{base}/api/v1/documents?filename=bill.png", content=data,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "image/png"},
        ))  # fmt: skip
        # then
        assert health[1] == 200
        assert health[0] < 1.0
        assert upload[1] in {200, 201}
        assert upload[0] < 1.0
    finally:
        stop.set()
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=20)
