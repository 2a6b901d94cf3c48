"""Benchmark document ingest through the hub's HTTP API against ``formats.read`` alone.

Prints figures, asserts nothing about time. Usage::

    .venv/bin/python benchmarks/ingest.py [--corpus ../shared/corpus] [--rounds 3]
                                          [--no-postgres] [--latency 30]

Two real hubs run side by side, each as ``ledgerbridge serve`` runs its web part (granian,
WSGI, one worker, four blocking threads) in a subprocess on a free port with its own
temporary data dir: one on SQLite (WAL, the embedded default), one on a scratch PostgreSQL
database created on ``127.0.0.1:5432`` as user ``postgres`` and dropped at the end
(``--no-postgres`` skips it). A child process of this script migrates each database and
makes one fresh organization per round (so every round ingests every file as new: the
same file again would only be answered from the database) plus one for the latency run.

(a) documents/s: each file is posted with ``httpx`` (keep-alive) as a raw body to
    ``POST /api/v1/documents`` with a bearer token, and read by ``formats.read`` in this
    process, interleaved file by file; the order of the sides rotates with the file and
    the round, so load from other processes on a shared 2-core machine hits each side
    alike. Files: the PNG and JPEG QR-bill photos of ``qrbill/generated`` and the UBL and
    CII e-invoices (not the rule fragments) that ``read`` turns into at least one
    document, since the hub refuses the others. Per group and side the figure is the
    median over rounds of the time for all files; the ratio API/read is the goal
    (>= 0.5).
(b) upload -> visible: for ``--latency`` distinct bills per hub (interleaved), the time
    from starting the upload until ``GET /api/v1/payment-slips?status=pending`` (with the
    ETag of the previous pull in ``If-None-Match``) lists the new slip; the slip is then
    marked processed so the pending list stays short. Also the median of an unchanged
    "refresh" (304).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import httpx

from ledgerbridge.formats import FormatError, read

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

SETTINGS = "ledgerbridge.hub.config.settings"
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
START_TIMEOUT = 120.0  # seconds for migrate + granian to answer /healthz
REQUEST_TIMEOUT = 60.0


class Sample(NamedTuple):
    group: str
    name: str
    data: bytes


@dataclass
class Hub:
    """One hub server: its database, its data dir, its port and its tokens."""

    backend: str
    database_url: str
    data_dir: Path
    port: int = 0
    tokens: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        drop = {"DATABASE_URL", "PYTEST_VERSION", "LEDGERBRIDGE_TEST_DATABASE_URL"}
        return {
            **{k: v for k, v in os.environ.items() if k not in drop},
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": self.database_url,
            "LEDGERBRIDGE_DATA_DIR": str(self.data_dir),
        }


# --- the child that prepares a database -------------------------------------------


def prepare(tenants: int) -> None:
    """(child) Migrate the configured database; print one token per fresh organization."""
    import django

    django.setup()
    from django.core.management import call_command
    from stdnum.ch import uid

    from ledgerbridge.hub.identity import services
    from ledgerbridge.hub.identity.permissions import Permission

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    admin = services.user_create_verified(email="bench@example.com", password=uuid.uuid4().hex)
    tokens = []
    for number in range(tenants):
        body = str(20_000_000 + number * 7)
        while len(check := uid.calc_check_digit(body)) != 1:  # 10 has no check digit
            body = str(int(body) + 1)
        organization = services.organization_create(
            name=f"Bench {number} AG", kind="company", country="CH",
            tax_id=f"CHE{body}{check}", creator=admin, ip=None,
        )  # fmt: skip
        _token, raw = services.api_token_create(
            organization=organization, user=admin, name="benchmark",
            permissions=list(Permission), ip=None,
        )  # fmt: skip
        tokens.append(raw)
    print(json.dumps(tokens))


# --- servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(hub: Hub, tenants: int) -> None:
    """Prepare the database in a child, then start granian and wait for /healthz."""
    own = [sys.executable, str(Path(__file__).resolve()), "--prepare", str(tenants)]
    done = subprocess.run(  # noqa: S603  # our own script, fixed arguments
        own, env=hub.env(), capture_output=True, check=True, timeout=START_TIMEOUT
    )
    hub.tokens = json.loads(done.stdout.decode().strip().splitlines()[-1])
    hub.port = free_port()
    web = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
        "--port", str(hub.port), "--workers", "1", "--blocking-threads", "4", "--no-ws",
        "--log-level", "warning", "ledgerbridge.hub.config.wsgi:application",
    ]  # fmt: skip
    hub.process = subprocess.Popen(web, env=hub.env())  # noqa: S603  # fixed argv, no shell
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise RuntimeError(f"granian for {hub.backend} exited with {hub.process.returncode}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{hub.url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the {hub.backend} hub did not answer within {START_TIMEOUT:.0f} s")


def stop(hub: Hub) -> None:
    if hub.process is None or hub.process.poll() is not None:
        return
    hub.process.terminate()
    try:
        hub.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        hub.process.kill()
        hub.process.wait(timeout=20)


@contextlib.contextmanager
def scratch_postgres() -> Iterator[str]:
    """A new empty database on the local PostgreSQL, dropped afterwards."""
    import psycopg

    name = f"lb_ingest_bench_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- samples --------------------------------------------------------------------------


def _documents(data: bytes, name: str) -> int:
    try:
        return len(read(data, filename=name).documents)
    except FormatError:
        return 0


def samples(corpus: Path) -> list[Sample]:
    """QR-bill photos, then the UBL/CII e-invoices in which ``read`` finds a document."""
    folder = corpus / "qrbill/generated"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    photos = [
        Sample("qrbill-photo", e["file"], (folder / e["file"]).read_bytes())
        for e in manifest
        if e["file"].endswith((".png", ".jpg"))
    ]
    invoices = [
        Sample("e-invoice", path.name, path.read_bytes())
        for kind in ("ubl", "cii")
        for path in sorted((corpus / kind).rglob("*.xml"))
        if "en16931-unit" not in path.parts and "xsd" not in path.parts
    ]
    unique: dict[str, Sample] = {}  # a file twice in the corpus would only be answered
    for sample in photos + invoices:
        unique.setdefault(hashlib.sha256(sample.data).hexdigest(), sample)
    return [s for s in unique.values() if _documents(s.data, s.name)]


# --- (a) documents per second ---------------------------------------------------------

# (group, side) -> per round: [wall seconds, documents]
Timings = dict[tuple[str, str], list[list[float]]]


def _post(client: httpx.Client, token: str, sample: Sample) -> int:
    answer = client.post(
        "/api/v1/documents",
        params={"filename": sample.name, "source": "api"},
        content=sample.data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"},
    )
    if answer.status_code != 201:
        print(f"  ! {sample.name}: {answer.status_code} {answer.text[:120]}", file=sys.stderr)
        return 0
    return len(answer.json()["documents"])


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, from /proc.

    granian runs its workers as child processes, so the web server's CPU is the tree's.
    The PostgreSQL server's own processes are not in it.
    """
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            child = int(stat.parent.name)
            parents[child] = int(fields[1])
            ticks[child] = int(fields[11]) + int(fields[12])
    tree, todo = set(), [pid]
    while todo:
        current = todo.pop()
        tree.add(current)
        todo += [c for c, parent in parents.items() if parent == current and c not in tree]
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


def throughput(hubs: Sequence[Hub], clients: Sequence[httpx.Client], files: Sequence[Sample],
               rounds: int) -> tuple[Timings, dict[str, list[float]]]:  # fmt: skip
    """Every file through every hub and through ``read``, interleaved and rotated; and the
    CPU seconds per round of each side (``read``: this process; a hub: its process tree)."""
    sides = ["read", *(h.backend for h in hubs)]
    timings: Timings = defaultdict(lambda: [[0.0, 0.0] for _ in range(rounds)])
    cpu: dict[str, list[float]] = defaultdict(list)
    for sample in files[:3]:  # warm-up of this process's readers (not counted)
        _documents(sample.data, sample.name)
    for rnd in range(rounds):
        served = [tree_cpu(h.process.pid) if h.process else 0.0 for h in hubs]
        reading = 0.0
        for index, sample in enumerate(files):
            shift = (rnd + index) % len(sides)
            for side in (*sides[shift:], *sides[:shift]):
                began, began_cpu = time.perf_counter(), time.process_time()
                if side == "read":
                    found = _documents(sample.data, sample.name)
                    reading += time.process_time() - began_cpu
                else:
                    at = sides.index(side) - 1
                    found = _post(clients[at], hubs[at].tokens[rnd], sample)
                took = time.perf_counter() - began
                for group in (sample.group, "all"):
                    row = timings[group, side][rnd]
                    row[0] += took
                    row[1] += found
        cpu["read"].append(reading)
        for hub, before in zip(hubs, served, strict=True):
            after = tree_cpu(hub.process.pid) if hub.process else 0.0
            cpu[hub.backend].append(after - before)
    return timings, cpu


def _rate(t: Timings, group: str, side: str) -> float:
    """Median over rounds of documents per second."""
    return statistics.median(docs / wall for wall, docs in t[group, side] if wall)


def report_throughput(hubs: Sequence[Hub], files: Sequence[Sample], t: Timings) -> None:
    files_in: dict[str, int] = defaultdict(int)
    for sample in files:
        files_in[sample.group] += 1
        files_in["all"] += 1
    print("(a) documents/s: POST /api/v1/documents (one client, keep-alive) vs formats.read")
    head = f"  {'group':<14}{'files':>6}{'docs':>6}{'read docs/s':>13}"
    for hub in hubs:
        head += f"{hub.backend + ' docs/s':>17}{'ratio':>7}"
    print(head + "   docs found read/" + "/".join(h.backend for h in hubs))
    for group in sorted(files_in, key=lambda g: (g == "all", g)):
        docs = t[group, "read"][0][1]
        line = f"  {group:<14}{files_in[group]:>6}{docs:>6.0f}{_rate(t, group, 'read'):>13.1f}"
        for hub in hubs:
            api = _rate(t, group, hub.backend)
            line += f"{api:>17.1f}{api / _rate(t, group, 'read'):>7.2f}"
        found = "/".join(f"{t[group, s][0][1]:.0f}" for s in ["read", *(h.backend for h in hubs)])
        print(line + "   " + found)
    print("  ratio = API docs/s / read docs/s (goal >= 0.5); medians over rounds")


def report_cpu(hubs: Sequence[Hub], files: Sequence[Sample], cpu: dict[str, list[float]]) -> None:
    """CPU milliseconds per document (all files), less disturbed by other processes."""
    docs = len(files)
    read_ms = 1000 * statistics.median(cpu["read"]) / docs
    parts = [f"read {read_ms:.1f} ms"]
    for hub in hubs:
        hub_ms = 1000 * statistics.median(cpu[hub.backend]) / docs
        parts.append(f"{hub.backend} web server {hub_ms:.1f} ms (cpu ratio {read_ms / hub_ms:.2f})")
    print("  CPU per document, median over rounds: " + ", ".join(parts))
    print("  (the web server's process tree only; the PostgreSQL server's own CPU is extra)")


def resend(hubs: Sequence[Hub], clients: Sequence[httpx.Client], files: Sequence[Sample]
           ) -> dict[str, list[float]]:  # fmt: skip
    """Seconds per request for every file sent again to the first round's organization:
    answered from the database (200), nothing read or stored, so this is the fixed cost of
    HTTP, token check and lookup that every upload pays besides ``read``."""
    took: dict[str, list[float]] = defaultdict(list)
    for index, sample in enumerate(files):
        shift = index % len(hubs)
        for at in (*range(shift, len(hubs)), *range(shift)):
            began = time.perf_counter()
            answer = clients[at].post(
                "/api/v1/documents",
                params={"filename": sample.name},
                content=sample.data,
                headers={"Authorization": f"Bearer {hubs[at].tokens[0]}"},
            )
            took[hubs[at].backend].append(time.perf_counter() - began)
            if answer.status_code != 200:
                raise RuntimeError(f"{sample.name} sent again answered {answer.status_code}")
    return took


def report_resend(took: dict[str, list[float]]) -> None:
    line = ", ".join(f"{b} {1000 * statistics.median(s):.1f} ms" for b, s in took.items())
    print(f"  the same file again (200, nothing read or stored), median per request: {line}")


# --- (b) upload -> visible in the pull API ----------------------------------------------


@dataclass
class Puller:
    """The accounting side of one hub: pulls pending slips with If-None-Match."""

    client: httpx.Client
    token: str
    etag: str = ""

    def pending_ids(self) -> set[int] | None:
        """The ids of the pending slips, or None on 304 (nothing new)."""
        headers = {"Authorization": f"Bearer {self.token}"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        answer = self.client.get(
            "/api/v1/payment-slips", params={"status": "pending", "limit": 200}, headers=headers
        )
        if answer.status_code == 304:
            return None
        answer.raise_for_status()
        self.etag = answer.headers.get("ETag", "")
        return {item["id"] for item in answer.json()["items"]}


def _upload_until_visible(puller: Puller, sample: Sample) -> tuple[float, float]:
    """(upload seconds, upload-to-visible seconds) of one new slip."""
    began = time.perf_counter()
    answer = puller.client.post(
        "/api/v1/documents",
        params={"filename": sample.name, "source": "scan"},
        content=sample.data,
        headers={"Authorization": f"Bearer {puller.token}"},
    )
    uploaded = time.perf_counter() - began
    answer.raise_for_status()
    slip = answer.json()["documents"][0]["id"]
    for _attempt in range(500):
        ids = puller.pending_ids()
        if ids is not None and slip in ids:
            visible = time.perf_counter() - began
            puller.client.post(
                f"/api/v1/payment-slips/{slip}/processed",
                json={"booking_reference": f"bench-{slip}"},
                headers={"Authorization": f"Bearer {puller.token}"},
            ).raise_for_status()
            puller.pending_ids()  # take the new ETag after the change
            return uploaded, visible
        time.sleep(0.01)
    raise RuntimeError(f"slip {slip} never appeared in the pull API")


def _refresh_seconds(puller: Puller) -> float:
    began = time.perf_counter()
    ids = puller.pending_ids()
    took = time.perf_counter() - began
    if ids is not None:
        raise RuntimeError("an unchanged pull did not answer 304")
    return took


def latency(hubs: Sequence[Hub], clients: Sequence[httpx.Client], photos: Sequence[Sample]
            ) -> dict[str, dict[str, list[float]]]:  # fmt: skip
    """Upload -> visible for each photo on each hub (rotated), plus unchanged refreshes."""
    pullers = [Puller(c, h.tokens[-1]) for h, c in zip(hubs, clients, strict=True)]
    for puller in pullers:
        puller.pending_ids()
    figures: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for index, photo in enumerate(photos):
        shift = index % len(hubs)
        for at in (*range(shift, len(hubs)), *range(shift)):
            uploaded, visible = _upload_until_visible(pullers[at], photo)
            row = figures[hubs[at].backend]
            row["upload"].append(uploaded)
            row["visible"].append(visible)
            row["refresh"].append(_refresh_seconds(pullers[at]))
    return figures


def report_latency(figures: dict[str, dict[str, list[float]]]) -> None:
    print("(b) upload -> visible in GET /api/v1/payment-slips?status=pending (milliseconds)")
    print(f"  {'hub':<10}{'slips':>6}{'median':>9}{'p90':>9}{'upload':>9}{'304 refresh':>13}")
    for backend, row in figures.items():
        visible = sorted(row["visible"])
        p90 = visible[min(len(visible) - 1, int(0.9 * len(visible)))]
        print(
            f"  {backend:<10}{len(visible):>6}{1000 * statistics.median(visible):>9.1f}"
            f"{1000 * p90:>9.1f}{1000 * statistics.median(row['upload']):>9.1f}"
            f"{1000 * statistics.median(row['refresh']):>13.1f}"
        )
    print("  median/p90: from the start of the upload until a pull lists the slip;")
    print("  upload: the POST alone (median); 304 refresh: an unchanged pull (median)")


def distinct_bills(corpus: Path, count: int) -> list[Sample]:
    """One clean 900 px photo per bill, at most ``count``."""
    folder = corpus / "qrbill/generated"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    chosen = [e for e in manifest if e["variant"] == "clean" and e["params"]["width_px"] == 900]
    return [Sample("latency", e["file"], (folder / e["file"]).read_bytes()) for e in chosen][:count]


# --- main -------------------------------------------------------------------------------


def run(args: argparse.Namespace, hubs: list[Hub]) -> None:
    files = samples(args.corpus)
    photos = distinct_bills(args.corpus, args.latency)
    for hub in hubs:
        hub.data_dir.mkdir(parents=True, exist_ok=True)
        start(hub, args.rounds + 1)
    print(f"hubs up: {', '.join(f'{h.backend} {h.url}' for h in hubs)}; {os.cpu_count()} CPUs")
    clients = [httpx.Client(base_url=h.url, timeout=REQUEST_TIMEOUT) for h in hubs]
    try:
        timings, cpu = throughput(hubs, clients, files, args.rounds)
        report_throughput(hubs, files, timings)
        report_cpu(hubs, files, cpu)
        report_resend(resend(hubs, clients, files))
        report_latency(latency(hubs, clients, photos))
    finally:
        for client in clients:
            client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared/corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--rounds", type=int, default=3, help="fresh organizations, one a round")
    parser.add_argument("--latency", type=int, default=30, help="slips for upload -> visible")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # a TextIOWrapper here
    if args.prepare is not None:
        prepare(args.prepare)
        return
    with tempfile.TemporaryDirectory(prefix="lb-ingest-bench-") as temp:
        hubs = [Hub("sqlite", f"sqlite:///{temp}/sqlite/hub.sqlite3", Path(temp, "sqlite"))]
        with contextlib.ExitStack() as stack:
            if args.postgres:
                url = stack.enter_context(scratch_postgres())
                hubs.append(Hub("postgres", url, Path(temp, "postgres")))
            try:
                run(args, hubs)
            finally:
                for hub in hubs:
                    stop(hub)


if __name__ == "__main__":
    main()
