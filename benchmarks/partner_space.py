"""Benchmark the accounting office's partner space on PostgreSQL with a large office.

Prints figures, asserts nothing about time. Usage::

    .venv/bin/python benchmarks/partner_space.py [--clients 1000] [--documents 200000]
        [--requests 100] [--database lb_bench_partner] [--keep] [--explain]

A scratch database is created on ``127.0.0.1:5432`` (user ``postgres``), migrated, filled
and dropped at the end (``--keep`` keeps it, and a later run with ``--keep`` and the same
sizes reuses it instead of generating again). The world (``benchmarks/partner_world.py``):
one accounting office with ``--clients`` active client links and ``--documents`` sent
documents with their stored files and documents, spread realistically over the clients,
categories, statuses, dates and amounts, written by ``bulk_create`` and ``COPY`` (not the
services); the generator's phases are timed and the links' counters checked against the
rows.

Pages measured, each ``--requests`` times, interleaved request by request with the order
rotating so that load from other processes hits every side alike:

- the client list (``office_clients``) sorted by name and by most new documents, the
  first page of 25 and the middle one;
- the biggest client's incoming-invoice tab (``office_client_get`` + ``client_documents``),
  all statuses and only those waiting to be booked, first page of 25.

Every page is measured through its selectors, evaluated as a page does (Django's
``Paginator``: a count and the page's slice; every field a row shows is read), and,
when the URL is routed in this build, as the web page (``/clients/...``) and as the API
(``/api/v1/clients...``) through Django's test ``Client`` with the whole middleware
stack; a URL that does not resolve is skipped with a note. Beside each, "bare" runs the
SELECT statements that the same page sent (captured once with their parameters) on a raw
psycopg connection with the same client-side binding and no prepared statements. Figures:
queries per page, p50 and p95 in milliseconds, and the ratios page/bare. Goal: p95 under
50 ms on a shared 2-core machine. ``--explain`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of
every statement of the selector pages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any, NamedTuple

import psycopg

from partner_world import World, check_counters, generate, reuse

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

SETTINGS = "ledgerbridge.hub.config.settings"
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
PAGE = 25
GOAL_MS = 50.0


# --- the database ---------------------------------------------------------------------


def _exists(name: str) -> bool:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        row = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def _admin(statement: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(statement)


def setup_django(url: str, data_dir: str) -> None:
    """Point the hub's settings at ``url`` (as ``ledgerbridge serve`` would) and set up."""
    for variable in ("PYTEST_VERSION", "LEDGERBRIDGE_TEST_DATABASE_URL"):
        os.environ.pop(variable, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": url,
            "LEDGERBRIDGE_DATA_DIR": data_dir,
            "ALLOWED_HOSTS": "testserver",
            "LEDGERBRIDGE_DEBUG": "0",
        }
    )
    import django

    django.setup()


# --- measuring ----------------------------------------------------------------------------

Statement = tuple[str, Any]


class Subject(NamedTuple):
    name: str  # "selectors", "web GET /clients/?…", "api GET …"
    run: Callable[[], object]


def capture(run: Callable[[], object]) -> list[Statement]:
    """The statements (SQL, parameters) that one call of ``run`` sends, in order."""
    from django.db import connection

    sent: list[Statement] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return sent


def bare(url: str, statements: Sequence[Statement]) -> Callable[[], object]:
    """The SELECTs of ``statements`` on a raw psycopg connection (client-side binding as
    Django's, no prepared statements), every row fetched."""
    raw = psycopg.connect(
        url, autocommit=True, prepare_threshold=None, cursor_factory=psycopg.ClientCursor
    )
    selects = [s for s in statements if s[0].lstrip().upper().startswith("SELECT")]

    def run() -> int:
        rows = 0
        with raw.cursor() as cursor:
            for sql, params in selects:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
        return rows

    return run


def measure(subjects: Sequence[Subject], requests: int) -> dict[str, list[float]]:
    """Seconds per call of each subject, interleaved call by call, the order rotating;
    under ``"cpu " + name`` the CPU seconds of this process per call (Django's side)."""
    for subject in subjects:  # warm-up: caches, pool, template loading
        for _ in range(3):
            subject.run()
    took: dict[str, list[float]] = defaultdict(list)
    for rep in range(requests):
        shift = rep % len(subjects)
        for subject in (*subjects[shift:], *subjects[:shift]):
            began, began_cpu = time.perf_counter(), time.process_time()
            subject.run()
            took["cpu " + subject.name].append(time.process_time() - began_cpu)
            took[subject.name].append(time.perf_counter() - began)
    return took


def _p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def report(
    title: str, subjects: Sequence[Subject], queries: dict[str, int], took: dict[str, list[float]]
) -> None:
    print(title)
    for subject in subjects:
        if subject.name.startswith("bare "):
            continue
        page, raw = took[subject.name], took["bare " + subject.name]
        p50, p95 = 1000 * statistics.median(page), 1000 * _p95(page)
        b50, b95 = 1000 * statistics.median(raw), 1000 * _p95(raw)
        cpu = 1000 * statistics.median(took["cpu " + subject.name])
        verdict = "ok" if p95 < GOAL_MS else "MISSED"
        print(
            f"  {subject.name:<52}{queries[subject.name]:>3}{p50:>8.2f}{p95:>8.2f}"
            f"{b50:>8.2f}{b95:>8.2f}{p50 / b50:>6.2f}{p95 / b95:>6.2f}{cpu:>7.2f}  {verdict}"
        )


# --- the pages ------------------------------------------------------------------------------


def show_clients(page: Any) -> int:
    """Read what a row of the client list shows."""
    shown = 0
    for link in page.object_list:
        client = link.client
        shown += len(
            f"{client.name}{client.tax_id_display}{link.count_new}{link.count_waiting}"
            f"{link.count_rejected}{link.last_activity_at}{link.status}{link.client_id}"
        )
    return shown


def show_documents(page: Any) -> int:
    """Read what a row of a category tab shows."""
    shown = 0
    for sent in page.object_list:
        newer = sent.replaced_by.version if sent.replaced_by_id else ""
        shown += len(
            f"{sent.number}{sent.counterparty}{sent.amount}{sent.currency}"
            f"{sent.document_date}{sent.status}{sent.reference}{sent.reason}"
            f"{sent.source_state}{sent.needs_attention}{newer}{sent.link.status}"
            f"{sent.sent_at}{sent.file_id}{sent.category}{sent.also_invoice}"
        )
    return shown


def client_list(world: World, sort: str, number: int) -> Callable[[], object]:
    from django.core.paginator import Paginator

    from ledgerbridge.hub.exchange.selectors import ClientFilters, office_clients

    def run() -> int:
        links = office_clients(
            office=world.office, membership=world.admin, filters=ClientFilters(sort=sort)
        )
        return show_clients(Paginator(links, PAGE).get_page(number))

    return run


def client_tab(world: World, client_id: int, status: str) -> Callable[[], object]:
    from django.core.paginator import Paginator

    from ledgerbridge.hub.exchange.selectors import (
        DocumentFilters,
        client_documents,
        office_client_get,
    )

    filters = DocumentFilters(category="incoming_invoice", status=status)

    def run() -> int:
        link = office_client_get(office=world.office, membership=world.admin, client_id=client_id)
        assert link.client is not None
        sent = client_documents(office=world.office, client=link.client, filters=filters)
        return show_documents(Paginator(sent, PAGE).get_page(1))

    return run


def routed(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def http(path: str, headers: dict[str, str] | None, login: Any) -> Callable[[], object] | str:
    """A GET of ``path`` through the test client, or why it is skipped."""
    from django.test import Client

    if not routed(path):
        return "not routed in this build"
    client = Client()
    if login is not None:
        client.force_login(login)
    answer = client.get(path, headers=headers)
    if answer.status_code != 200:
        return f"answered {answer.status_code}"

    def run() -> int:
        return len(client.get(path, headers=headers).content)

    return run


def api_cursor(path: str, pages: int, headers: dict[str, str]) -> str | None:
    """The path of page ``pages`` of a cursor-paginated API list, following next_cursor."""
    from django.test import Client

    client = Client()
    for _ in range(pages - 1):
        answer = client.get(path, headers=headers)
        cursor = answer.json().get("next_cursor") if answer.status_code == 200 else None
        if not cursor:
            return None
        path = f"{path.split('&cursor=')[0]}&cursor={cursor}"
    return path


def cases(world: World) -> list[tuple[str, list[tuple[str, Callable[[], object] | str]]]]:
    """Each page with its subjects: the selectors always, the web page and the API if routed."""
    from django.db.models import Count

    from ledgerbridge.hub.exchange.models import SentDocument

    bearer = {"Authorization": f"Bearer {world.token}"}
    user = world.admin.user
    pages = -(-len(world.client_ids) // PAGE)
    middle = pages // 2 + 1
    client_id, docs = (
        SentDocument.objects.filter(office=world.office)
        .values("organization")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("organization", "n")[0]
    )
    found: list[tuple[str, list[tuple[str, Callable[[], object] | str]]]] = []
    for sort, label in (("name", "by name"), ("-new", "by new documents")):
        for number in (1, middle):
            api = f"/api/v1/clients?sort={sort}&limit={PAGE}"
            api_page = api if number == 1 or not routed(api) else api_cursor(api, number, bearer)
            found.append(
                (
                    f"client list {label}, page {number} of {pages}",
                    [
                        ("selectors office_clients", client_list(world, sort, number)),
                        (
                            f"web /clients/?sort={sort}&page={number}",
                            http(f"/clients/?sort={sort}&page={number}", None, user),
                        ),
                        (
                            f"api /api/v1/clients?sort={sort} page {number}",
                            http(api_page, bearer, None)
                            if api_page
                            else "no next_cursor to follow",
                        ),
                    ],
                )
            )
    for status, label in (("", "all statuses"), ("received", "waiting to be booked")):
        query = f"category=incoming_invoice{'&status=' + status if status else ''}"
        found.append(
            (
                f"biggest client ({docs:,} documents), incoming invoices, {label}, page 1",
                [
                    (
                        "selectors office_client_get + client_documents",
                        client_tab(world, client_id, status),
                    ),
                    (
                        f"web /clients/{client_id}/?{query}",
                        http(f"/clients/{client_id}/?{query}", None, user),
                    ),
                    (
                        f"api /api/v1/clients/{client_id}/documents?{query}",
                        http(
                            f"/api/v1/clients/{client_id}/documents?{query}&limit={PAGE}",
                            bearer,
                            None,
                        ),
                    ),
                ],
            )
        )
    return found


def explain(statements: Sequence[Statement]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))


def run_pages(world: World, url: str, requests: int, show_plans: bool) -> None:
    print(f"\npages: {requests} requests each, interleaved; milliseconds; goal p95 < {GOAL_MS:.0f}")
    print(
        f"  {'subject':<52}{'q':>3}{'p50':>8}{'p95':>8}{'bare50':>8}{'bare95':>8}"
        f"{'r50':>6}{'r95':>6}{'cpu50':>7}"
    )
    for title, candidates in cases(world):
        subjects, queries = [], {}
        for name, run in candidates:
            if isinstance(run, str):
                print(f"  ({name}: skipped, {run})")
                continue
            statements = capture(run)
            queries[name] = len(statements)
            subjects += [Subject(name, run), Subject("bare " + name, bare(url, statements))]
            if show_plans and name.startswith("selectors"):
                print(f"  EXPLAIN {title}:")
                explain(statements)
        report(title, subjects, queries, measure(subjects, requests))
    print("  q: SQL statements per page; bare: the same SELECTs on a raw psycopg cursor;")
    print("  r50/r95: page/bare at p50 and p95; cpu50: this process's CPU ms per page (median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database", default="lb_bench_partner")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument("--explain", action="store_true", help="print the selectors' plans")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # a TextIOWrapper here
    url = f"{POSTGRES}/{args.database}"
    existed = args.keep and _exists(args.database)
    if not existed:
        _admin(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{args.database}"')
    try:
        with tempfile.TemporaryDirectory(prefix="lb-partner-bench-") as data_dir:
            setup_django(url, data_dir)
            benchmark(args, url, reused=existed)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def benchmark(args: argparse.Namespace, url: str, *, reused: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from ledgerbridge.hub.exchange.models import SentDocument
    from ledgerbridge.hub.identity import services

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    world = reuse() if reused else None
    if world is not None and (len(world.client_ids), SentDocument.objects.count()) != (
        args.clients,
        args.documents,
    ):
        sys.exit(f"{args.database} holds another world: run without --keep to regenerate")
    if world is None:
        world = generate(args.clients, args.documents)
    else:
        print(f"reusing {args.database} (generated by an earlier --keep run)")
    good, links = check_counters(world)
    print(f"  link counters equal to a count over the rows: {good}/{links} links")
    _token, world.token = services.api_token_create(
        organization=world.office,
        user=world.admin.user,
        name="benchmark",
        permissions=world.admin.permissions,
        ip=None,
    )
    version = connection.cursor().connection.info.server_version
    print(
        f"PostgreSQL {version // 10000}.{version % 100}, {os.cpu_count()} CPUs, "
        f"{len(world.client_ids):,} clients, {SentDocument.objects.count():,} sent documents"
    )
    run_pages(world, url, args.requests, args.explain)


if __name__ == "__main__":
    main()
