"""Slow and stalled clients against the real ``ledgerbridge serve``: the hub stays responsive.

Issue 10, finding 1: four connections that announced a body and then stalled or trickled
held every web thread, and ``/healthz`` timed out for as long as they stayed open. The
front now reads requests under deadlines and bounds the connections of each client.

The hub runs on its own database: SQLite in its data dir, or on the PostgreSQL run
(``LEDGERBRIDGE_TEST_DATABASE_URL``) a scratch database on that server, which ``serve``
migrates itself and the test drops afterwards.
"""

from __future__ import annotations

import contextlib
import json
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
from tests.hub.helpers import scratch_database

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(tmp_path: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    drop = {"DATABASE_URL", "PYTEST_VERSION", "LEDGERBRIDGE_TEST_DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["LEDGERBRIDGE_DATA_DIR"] = str(tmp_path / "data")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env | extra


def _token(env: dict[str, str]) -> str:
    argv = [sys.executable, "-m", "ledgerbridge.cli", "token", "create", "--user",
            "admin@demo.ledgerbridge.local", "--org", "CHE-116.281.710",
            "--permissions", "documents.view,documents.upload"]  # fmt: skip
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, timeout=60)  # noqa: S603
    return done.stdout.split()[-1]


@contextlib.contextmanager
def serving(tmp_path: Path, **extra_env: str) -> Iterator[tuple[str, dict[str, str]]]:
    """A real ``ledgerbridge serve`` (no worker, no inbox) on a fresh database, answering
    ``/healthz``; its base URL and environment."""
    with scratch_database("lb_slow") as database_url:
        env, port = _environment(tmp_path, database_url, **extra_env), _free_port()
        argv = [sys.executable, "-m", "ledgerbridge.cli", "serve", "--port", str(port),
                "--no-worker", "--inbox-port", "0"]  # fmt: skip
        serve = subprocess.Popen(argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL)  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and serve.poll() is None:
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                time.sleep(0.3)
            # the hub runs on the database it was given, not on a SQLite file of its own
            on_sqlite = (tmp_path / "data" / "ledgerbridge.sqlite3").exists()
            assert on_sqlite is (database_url is None)
            yield base, env
        finally:
            os.killpg(serve.pid, signal.SIGTERM)
            serve.wait(timeout=20)


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
    stop = threading.Event()
    with serving(tmp_path) as (base, env):
        try:
            token = _token(env)
            httpx.get(f"{base}/healthz", timeout=5)  # every web process warmed up once
            head = (
                "POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/pdf\r\n"
                "Content-Length: 100000\r\n\r\n"
            ).encode()
            port = int(base.rsplit(":", 1)[1])
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
        finally:
            stop.set()
    # then
    assert health[1] == 200
    assert health[0] < 1.0
    assert upload[1] in {200, 201}
    assert upload[0] < 1.0


def _answer(sock: socket.socket) -> bytes:
    sock.settimeout(10)
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_client_over_its_connection_cap_gets_a_json_503_while_others_are_served(
    tmp_path: Path,
) -> None:
    # given a hub that allows four connections per client, and four stalled ones open
    with serving(tmp_path, LEDGERBRIDGE_CLIENT_CONNECTIONS="4") as (base, _env):
        address = ("127.0.0.1", int(base.rsplit(":", 1)[1]))
        stalled = [socket.create_connection(address) for _ in range(4)]
        try:
            for conn in stalled:
                conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.5)
            # when the same client opens a fifth
            with socket.create_connection(address) as fifth:
                fifth.sendall(b"GET /api/v1/organization HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                answer = _answer(fifth)
        finally:
            for conn in stalled:
                conn.close()
        time.sleep(0.5)
        after = httpx.get(f"{base}/healthz", timeout=5)

    # then the fifth is refused with a code and when to retry; once they close, it is served
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 503 Service Unavailable"
    assert {"Retry-After: 5", "Content-Type: application/json"} <= set(lines)
    assert json.loads(body)["code"] == "too-many-connections"
    assert after.status_code == 200
