"""Crash tests: SIGKILL a real hub process mid-work, restart it, and count the results.

Nothing lost, nothing doubled: (1) uploads with an ``Idempotency-Key`` in flight while
the granian web server is killed, then retried with the same keys, give exactly one
document per file, a quota equal to the bytes stored and no file that no row names;
(2) invitation mails being sent while ``ledgerbridge worker`` is killed reach every
invitee exactly once after the restart; (3) chunked uploads (no Content-Length) through
the same real server are read up to the cap. Each test runs its hub on a fresh data dir and
database: SQLite in the data dir, or a scratch database on the PostgreSQL server of
``LEDGERBRIDGE_TEST_DATABASE_URL`` when that is set (so the PostgreSQL run never skips).
The test reads the hub's state through ``ledgerbridge manage shell`` in a child, as an
operator would, since its own Django is bound to the test database.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow

CORPUS_PHOTO = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "qrbill" / "rendered"
SETTINGS = "ledgerbridge.hub.config.settings"
TIMEOUT = 90.0


class Hub:
    """A hub's data dir and database, and its processes started with :meth:`spawn`."""

    def __init__(self, data_dir: Path, database_url: str | None) -> None:
        self.data_dir = data_dir
        self.database_url = database_url

    def env(self) -> dict[str, str]:
        drop = {"DATABASE_URL", "PYTEST_VERSION", "LEDGERBRIDGE_TEST_DATABASE_URL"}
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env |= {"DJANGO_SETTINGS_MODULE": SETTINGS, "LEDGERBRIDGE_DATA_DIR": str(self.data_dir)}
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def cli(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603  # our own console script, fixed arguments
            [sys.executable, "-m", "ledgerbridge.cli", *args],
            env=self.env(),
            capture_output=True,
            check=False,
            timeout=TIMEOUT,
        )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        return done.stdout.decode()

    def shell(self, code: str) -> Any:
        """Run ``code`` in ``ledgerbridge manage shell``; its last printed line as JSON."""
        out = self.cli("manage", "shell", "--no-imports", "-c", code)
        return json.loads(out.strip().splitlines()[-1])

    def spawn(self, argv: list[str]) -> subprocess.Popen[bytes]:
        # A session of its own: granian's workers are children, and a kill takes them all.
        return subprocess.Popen(  # noqa: S603  # fixed argv of our own modules, no shell
            argv,
            env=self.env(),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=TIMEOUT)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    url = os.environ.get("LEDGERBRIDGE_TEST_DATABASE_URL")
    if not url:
        made = Hub(tmp_path / "data", None)
        made.cli("migrate", "--no-input", "-v", "0")
        yield made
        return
    import psycopg

    server = url.rsplit("/", 1)[0]
    name = f"lb_crash_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        made = Hub(tmp_path / "data", f"{server}/{name}")
        made.cli("migrate", "--no-input", "-v", "0")
        yield made
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_SETUP = """
import json
from stdnum.ch import uid
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.permissions import Permission
admin = services.user_create_verified(email="crash@example.com", password="x-Crash-2026!")
body = "20000007"
while len(check := uid.calc_check_digit(body)) != 1:
    body = str(int(body) + 1)
org = services.organization_create(name="Crash AG", kind="company", country="CH",
    tax_id=f"CHE{body}{check}", creator=admin, ip=None)
_token, raw = services.api_token_create(organization=org, user=admin, name="crash",
    permissions=list(Permission), ip=None)
for n in range(INVITES):
    services.invitation_create(organization=org, actor=admin,
        email=f"invitee{n}@example.test", ip=None)
print(json.dumps({"token": raw, "org": org.pk}))
"""


def _setup(hub: Hub, invites: int = 0) -> dict[str, Any]:
    result: dict[str, Any] = hub.shell(_SETUP.replace("INVITES", str(invites)))
    return result


# --- (1) ingest ---------------------------------------------------------------------


def _photos(count: int) -> list[bytes]:
    """Distinct, large QR-bill photos (a few hundred ms of reading each)."""
    from PIL import Image

    base = Image.open(CORPUS_PHOTO / "qrbill_ex1.png").convert("RGB")
    big = base.resize((base.width * 3, base.height * 3))
    photos = []
    for n in range(count):
        variant = big.copy()
        variant.paste((n * 37 % 256, n * 91 % 256, 200), (0, 0, 40 + n, 40))
        out = io.BytesIO()
        variant.save(out, "PNG")
        photos.append(out.getvalue())
    return photos


def _start_web(hub: Hub, port: int) -> subprocess.Popen[bytes]:
    web = hub.spawn(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--blocking-threads",
            "4",
            "--no-ws",
            "--log-level",
            "warning",
            "ledgerbridge.hub.config.wsgi:application",
        ]
    )
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert web.poll() is None, f"granian exited with {web.returncode}"
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return web
        time.sleep(0.1)
    raise AssertionError("the hub did not answer /healthz")


def _upload(port: int, token: str, data: bytes, key: str) -> int:
    answer = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/documents",
        params={"filename": f"{key}.png", "source": "api"},
        content=data,
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key,
            "Content-Type": "application/octet-stream",
        },
        timeout=TIMEOUT,
    )
    return answer.status_code


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


_INGEST_STATE = """
import hashlib, json, os
from django.core.files.storage import default_storage
from ledgerbridge.hub.documents.models import Document, IngestRequest, StorageUsage, StoredFile
root = default_storage.path("files")
on_disk = sorted(os.path.relpath(os.path.join(d, f), default_storage.path(""))
    for d, _s, fs in os.walk(root) for f in fs) if os.path.isdir(root) else []
print(json.dumps({
    "documents": sorted(Document.objects.values_list("file__sha256", flat=True)),
    "requests": IngestRequest.objects.count(),
    "orphan_documents": Document.objects.filter(file__isnull=True).count(),
    "rows": sorted(StoredFile.objects.values_list("storage_name", flat=True)),
    "row_bytes": sum(StoredFile.objects.values_list("size", flat=True)),
    "disk_bytes": sum(os.path.getsize(default_storage.path(n)) for n in on_disk),
    "disk_ok": all(hashlib.sha256(open(default_storage.path(n), "rb").read()).hexdigest()
        == os.path.basename(n) for n in on_disk),
    "used_bytes": [u.used_bytes for u in StorageUsage.objects.all()],
    "on_disk": on_disk,
}))
"""


def test_killed_web_server_then_retried_uploads_store_each_file_once(hub: Hub) -> None:
    # given: a hub with uploads of six large photos in flight
    import hashlib

    setup = _setup(hub)
    photos = _photos(6)
    shas = sorted(hashlib.sha256(p).hexdigest() for p in photos)
    port = _free_port()
    web = _start_web(hub, port)
    statuses: dict[int, int | str] = {}

    def send(n: int) -> None:
        try:
            statuses[n] = _upload(port, setup["token"], photos[n], f"crash-{n}")
        except httpx.TransportError as err:
            statuses[n] = type(err).__name__

    senders = [threading.Thread(target=send, args=(n,)) for n in range(len(photos))]
    for sender in senders:
        sender.start()
    time.sleep(1.0)
    # when: the server dies with SIGKILL, a crash leaves a cut-short file of photo 5
    # behind (as a kill between the file write and the commit does), and it restarts
    kill(web)
    for sender in senders:
        sender.join(timeout=TIMEOUT)
    orphan_sha = hashlib.sha256(photos[5]).hexdigest()
    orphan = hub.data_dir / "files" / "files" / str(setup["org"]) / orphan_sha[:2] / orphan_sha
    if not orphan.exists():
        orphan.parent.mkdir(parents=True, exist_ok=True)
        orphan.write_bytes(photos[5][:1000])
    web = _start_web(hub, port)
    try:
        retried = [_upload(port, setup["token"], photos[n], f"crash-{n}") for n in range(6)]
        again = [_upload(port, setup["token"], photos[n], f"crash-{n}") for n in range(6)]
    finally:
        kill(web)
    # then
    state = hub.shell(_INGEST_STATE)
    assert set(retried) <= {200, 201}, (statuses, retried)
    assert again == [200] * 6
    assert state["documents"] == shas  # one document per file
    assert (state["requests"], state["orphan_documents"]) == (6, 0)
    assert state["rows"] == state["on_disk"]  # no stray file, no row without its file
    assert state["disk_ok"] is True
    assert state["used_bytes"] == [state["row_bytes"]] == [state["disk_bytes"]]
    assert state["row_bytes"] == sum(len(p) for p in photos)
    assert any(isinstance(s, str) for s in statuses.values()), statuses  # killed mid-flight


# --- (2) worker -------------------------------------------------------------------------

_MAIL_STATE = """
import json
from ledgerbridge.hub.identity.models import Invitation
print(json.dumps(Invitation.objects.filter(mailed_count=1).count()))
"""
_REQUEUE = """
import json
from ledgerbridge.hub.identity.services import invitation_mail_requeue
print(json.dumps(invitation_mail_requeue()))
"""


def _mails(hub: Hub) -> tuple[int, dict[str, int]]:
    """Number of mail files and, per recipient, the number of messages to it.

    Django's file backend may append two messages to one file (its name has the second
    and the backend's ``id()``), so messages are counted by their ``To:`` lines.
    """
    folder = hub.data_dir / "mail"
    files = sorted(folder.glob("*")) if folder.exists() else []
    counts: dict[str, int] = {}
    for path in files:
        for to in re.findall(r"^To: (\S+)$", path.read_text(errors="replace"), re.MULTILINE):
            counts[to] = counts.get(to, 0) + 1
    return len(files), counts


def _kill_between_mails(hub: Hub, worker: subprocess.Popen[bytes], total: int) -> int:
    """SIGKILL the worker mid-batch, at a moment when every written mail is receipted.

    The one window the outbox cannot close (mail handed over, receipt not yet committed)
    is stepped over: the worker is stopped with SIGSTOP, and killed only if the mails on
    disk match the committed receipts, else let run a moment longer.
    """
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        files, _counts = _mails(hub)
        if files < 2:
            time.sleep(0.005)
            continue
        os.killpg(worker.pid, signal.SIGSTOP)
        _files, counts = _mails(hub)
        receipts = hub.shell(_MAIL_STATE)
        if sum(counts.values()) == receipts < total:
            kill(worker)
            return int(receipts)
        os.killpg(worker.pid, signal.SIGCONT)
        time.sleep(0.01)
    raise AssertionError("the worker finished before it could be killed mid-batch")


def test_killed_worker_then_restarted_mails_every_invitee_once(hub: Hub) -> None:
    # given: invitations whose mails wait in the outbox (task rows)
    total = 20
    _setup(hub, invites=total)
    assert _mails(hub) == (0, {})
    # when: the worker is killed mid-batch, then started again after the recovery
    worker = hub.spawn([sys.executable, "-m", "ledgerbridge.cli", "worker"])
    mailed_before = _kill_between_mails(hub, worker, total)
    requeued = hub.shell(_REQUEUE)
    again = hub.spawn([sys.executable, "-m", "ledgerbridge.cli", "worker", "--batch"])
    assert again.wait(timeout=TIMEOUT) == 0
    # then
    _files, counts = _mails(hub)
    assert 0 < mailed_before < total
    assert requeued == total - mailed_before
    assert counts == {f"invitee{n}@example.test": 1 for n in range(total)}
    assert hub.shell(_MAIL_STATE) == total


# --- (3) chunked uploads through the real server -----------------------------------------


def _send_chunked(port: int, token: str, path: str, body: bytes, content_type: str) -> Any:
    """POST ``body`` with ``Transfer-Encoding: chunked`` (no length); status and JSON."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        # an iterable body without a Content-Length goes out chunked
        parts = (body[start : start + 65536] for start in range(0, len(body), 65536))
        headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
        connection.request("POST", path, body=parts, headers=headers)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


def _multipart(data: bytes, boundary: str) -> bytes:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bill.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    )
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode()


def test_chunked_raw_and_multipart_uploads_are_read_up_to_the_cap(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a hub whose cap lets both photos in, and a third one past it
    raw, multipart, big = _photos(3)
    cap = max(len(raw), len(multipart))
    monkeypatch.setenv("LEDGERBRIDGE_MAX_UPLOAD_BYTES", str(cap))
    setup = _setup(hub)
    port = _free_port()
    web = _start_web(hub, port)
    token, path = setup["token"], "/api/v1/documents?filename=bill.png"
    # when
    try:
        sent_raw = _send_chunked(port, token, path, raw, "image/png")
        sent_multipart = _send_chunked(
            port, token, "/api/v1/documents", _multipart(multipart, "lb-chunks"),
            "multipart/form-data; boundary=lb-chunks",
        )  # fmt: skip
        too_large = _send_chunked(port, token, path, big + b"\0" * (cap + 1), "image/png")
    finally:
        kill(web)
    # then
    assert (sent_raw[0], sent_multipart[0]) == (201, 201), (sent_raw, sent_multipart)
    [raw_slip], [multipart_slip] = sent_raw[1]["documents"], sent_multipart[1]["documents"]
    assert (raw_slip["file"]["size"], multipart_slip["file"]["size"]) == (len(raw), len(multipart))
    assert (raw_slip["kind"], multipart_slip["kind"]) == ("payment_slip", "payment_slip")
    assert (too_large[0], too_large[1]["code"]) == (413, "file-too-large")
    state = hub.shell(_INGEST_STATE)
    assert state["row_bytes"] == state["disk_bytes"] == len(raw) + len(multipart)
