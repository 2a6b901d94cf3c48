"""The world of ``benchmarks/partner_space.py``: a large accounting office, written fast.

One accounting office with active client links and sent documents spread over the clients
(log-normal: a few big clients, many small ones), the categories, three years of dates,
statuses by age (old ones mostly booked, recent ones new or waiting), withdrawn and
replaced ones, log-normal amounts and about a kilobyte of read data each. Not through the
services: ``bulk_create`` for the organizations and links, ``COPY`` for the stored files,
documents and sent documents (ids chosen here, sequences set afterwards), the links'
counters computed from the same rows (and checked against them with SQL by
:func:`check_counters`), then ``VACUUM ANALYZE`` as autovacuum would. Every phase is timed.
Django must be set up before any function here runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from django.db.models import Model

    from ledgerbridge.hub.identity.models import Membership, Organization

OFFICE_EMAIL = "office-admin@bench.example"
NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)

# Share of each category among the sent documents; a quarter of the QR-bills are invoices.
CATEGORIES = {
    "incoming_invoice": 34,
    "outgoing_invoice": 20,
    "purchase_receipt": 16,
    "payment_slip": 14,
    "bank_statement": 5,
    "credit_note": 3,
    "other": 8,
}
FORMATS = {
    "incoming_invoice": "ubl",
    "outgoing_invoice": "cii",
    "payment_slip": "qrbill",
    "bank_statement": "camt053",
    "credit_note": "ubl",
}
NAME_HEADS = [
    "Alpenblick",
    "Bäckerei",
    "Zürcher",
    "Müller",
    "Rhône",
    "Seeland",
    "Jura",
    "Berner",
    "Glarner",
    "Lötschberg",
    "Café",
    "Atelier",
    "Garage",
    "Praxis",
    "Schreinerei",
    "Weingut",
    "Hotel",
    "Druckerei",
    "Elektro",
    "Gärtnerei",
]
NAME_TAILS = [
    "Huber",
    "Meier",
    "Keller",
    "Weber",
    "Schmid",
    "Favre",
    "Rossi",
    "Brunner",
    "Steiner",
    "Gerber",
    "Baumann",
    "Fischer",
    "Moser",
    "Frei",
    "Zimmermann",
]
FORMS = ["AG", "GmbH", "& Co.", "Sàrl", "SA", "Genossenschaft"]
COUNTERPARTIES = [f"{h} {t} {f}" for h in NAME_HEADS for t in NAME_TAILS[:10] for f in FORMS[:2]]
LINES = [
    "Beratung",
    "Material",
    "Miete",
    "Reparatur",
    "Software-Abonnement",
    "Reinigung",
    "Transport",
    "Büromaterial",
    "Strom",
    "Telefon",
]


# --- the generator ----------------------------------------------------------------------


class Spec(NamedTuple):
    """One sent document as the generator draws it; every table's row derives from it."""

    client: int  # index into the clients
    sent_at: datetime
    category: str
    also_invoice: bool
    status: str
    status_at: datetime
    source_state: str
    changed_at: datetime | None
    amount: Decimal | None
    currency: str
    counterparty: str


@dataclass
class World:
    office: Organization
    admin: Membership
    token: str
    client_ids: list[int]
    phases: list[tuple[str, float, int]] = field(default_factory=list)  # name, s, rows


def _uid(number: int) -> str:
    from stdnum.ch import uid

    body = str(number)
    while len(check := uid.calc_check_digit(body)) != 1:  # 10 has no check digit
        body = str(int(body) + 1)
    return f"CHE{body}{check}"


def _status(rng: Random, age: timedelta) -> str:
    if age > timedelta(days=60):
        weights = (2, 5, 90, 3)
    elif age > timedelta(days=14):
        weights = (10, 25, 60, 5)
    else:
        weights = (50, 35, 10, 5)
    return rng.choices(("sent", "received", "booked", "rejected"), weights)[0]


def draw(rng: Random, clients: int, documents: int) -> list[Spec]:
    """The sent documents in the order they were sent (so a client's rows are spread over
    the table as they would be), each with its client, category, status and amount."""
    weights = [rng.lognormvariate(0, 1.1) for _ in range(clients)]
    owners = rng.choices(range(clients), weights, k=documents)
    kinds = rng.choices(list(CATEGORIES), list(CATEGORIES.values()), k=documents)
    moments = sorted(rng.random() for _ in range(documents))
    specs = []
    for owner, category, moment in zip(owners, kinds, moments, strict=True):
        sent_at = NOW - SPAN + SPAN * moment
        status = _status(rng, NOW - sent_at)
        status_at = sent_at
        if status != "sent":
            status_at = min(NOW, sent_at + timedelta(hours=rng.uniform(1, 240)))
        roll = rng.random()
        state = "withdrawn" if roll < 0.015 else "replaced" if roll < 0.025 else "current"
        changed = None if state == "current" else min(NOW, sent_at + timedelta(days=2))
        amount = None
        if category != "bank_statement" and (category != "other" or rng.random() < 0.5):
            amount = Decimal(str(round(rng.lognormvariate(5.5, 1.2), 2))).quantize(Decimal("0.01"))
        specs.append(
            Spec(
                owner,
                sent_at,
                category,
                category == "payment_slip" and rng.random() < 0.25,
                status,
                status_at,
                state,
                changed,
                amount,
                "EUR" if rng.random() < 0.2 else "CHF",
                rng.choice(COUNTERPARTIES),
            )
        )
    return specs


def _data(index: int, spec: Spec, number: str) -> str:
    """The canonical data of the document as JSON (about a kilobyte, as read ones are)."""
    lines = [
        {
            "description": LINES[(index + k * 3) % len(LINES)],
            "quantity": str(1 + k),
            "unit_price": str(spec.amount or 0),
            "vat_rate": "8.1",
        }
        for k in range(1 + index % 4)
    ]
    return json.dumps(
        {
            "kind": spec.category,
            "number": number,
            "issue_date": spec.sent_at.date().isoformat(),
            "currency": spec.currency,
            "total": str(spec.amount) if spec.amount else None,
            "seller": {
                "name": spec.counterparty,
                "tax_id": "CHE109322551",
                "address": {
                    "street": "Bahnhofstrasse",
                    "building_number": str(index % 90),
                    "postal_code": "8001",
                    "town": "Zürich",
                    "country": "CH",
                },
            },
            "buyer": {"name": "Client", "address": {"town": "Bern", "country": "CH"}},
            "lines": lines,
            "payment": {"iban": "CH4431999123000889012", "due_days": 30},
        }
    )


def _json_default(model_field: Any) -> Any:
    value = model_field.get_default()
    return json.dumps(value) if model_field.get_internal_type() == "JSONField" else value


def copy_rows(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    """COPY ``rows`` (attname -> value, JSON already as text) into ``model``'s table."""
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    defaults = {f.attname: _json_default(f) for f in fields}  # "" for blank text
    quoted = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(  # psycopg's COPY, through Django's cursor wrapper
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row(
                [row[f.attname] if f.attname in row else defaults[f.attname] for f in fields]
            )
            count += 1
    return count


class Timer:
    def __init__(self, world_phases: list[tuple[str, float, int]]) -> None:
        self.phases = world_phases

    def run(self, name: str, work: Callable[[], int]) -> None:
        began = time.perf_counter()
        rows = work()
        self.phases.append((name, time.perf_counter() - began, rows))
        print(f"  {name:<52}{self.phases[-1][1]:>8.1f} s{rows:>10,} rows", flush=True)


def _office() -> tuple[Organization, Membership]:
    from ledgerbridge.hub.identity import services
    from ledgerbridge.hub.identity.models import Membership, Organization

    admin = services.user_create_verified(email=OFFICE_EMAIL, password=os.urandom(16).hex())
    office = services.organization_create(
        name="Treuhand Bench AG",
        kind=Organization.Kind.ACCOUNTING_OFFICE,
        country="CH",
        tax_id=_uid(10_000_001),
        creator=admin,
        ip=None,
    )
    return office, Membership.objects.get(organization=office, user=admin)


def _clients(rng: Random, office: Organization, admin: Membership, count: int) -> list[int]:
    """The client organizations and their active links (bulk_create, ids returned)."""
    from ledgerbridge.hub.exchange.models import Category, ClientLink, LinkDirection
    from ledgerbridge.hub.identity.models import Organization

    organizations = Organization.objects.bulk_create(
        [
            Organization(
                slug=f"bench-client-{n:05d}",
                country="CH",
                tax_id=_uid(20_000_000 + n * 7),
                name=f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_TAILS)} {rng.choice(FORMS)}",
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    links = []
    for n, client in enumerate(organizations):
        created = NOW - SPAN - timedelta(days=rng.uniform(1, 400))
        links.append(
            ClientLink(
                organization=office,
                direction=LinkDirection.CLIENT,
                office=office,
                client=client,
                target_country="CH",
                target_tax_id=client.tax_id,
                contact_email=f"admin@client{n}.bench.example",
                categories=list(Category),
                status="active",
                token_hash=hashlib.sha256(f"bench-link-{n}".encode()).hexdigest(),
                created_by=admin.user,
                created_at=created,
                expires_at=created + timedelta(days=14),
                accepted_at=created + timedelta(days=1),
            )
        )
    ClientLink.objects.bulk_create(links, batch_size=1000)
    return [o.pk for o in organizations]


def _next_ids(*models: type[Model]) -> list[int]:
    from django.db.models import Max

    return [(m._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1 for m in models]


def _replacements(specs: Sequence[Spec]) -> dict[int, int]:
    """A replaced document points to the client's next document (its new version)."""
    last: dict[int, int] = {}
    following: dict[int, int] = {}
    for index in range(len(specs) - 1, -1, -1):
        spec = specs[index]
        if spec.source_state == "replaced" and spec.client in last:
            following[index] = last[spec.client]
        last[spec.client] = index
    return following


def _bulk(world: World, specs: Sequence[Spec], timer: Timer) -> None:
    """StoredFiles, Documents and SentDocuments by COPY, with the ids chosen here."""
    from ledgerbridge.hub.documents.models import Document, StoredFile
    from ledgerbridge.hub.exchange.models import ClientLink, SentDocument

    file_base, doc_base, sent_base = _next_ids(StoredFile, Document, SentDocument)
    link_of = dict(ClientLink.objects.filter(office=world.office).values_list("client_id", "pk"))
    orgs = world.client_ids
    following = _replacements(specs)
    replaced_targets = set(following.values())

    def number(i: int, s: Spec) -> str:
        return f"RE-{s.sent_at.year}-{i:06d}"

    def files() -> Iterator[dict[str, Any]]:
        for i, s in enumerate(specs):
            yield {
                "id": file_base + i,
                "organization_id": orgs[s.client],
                "sha256": hashlib.sha256(i.to_bytes(4)).hexdigest(),
                "size": 20_000 + i % 90_000,
                "content_type": "application/xml",
                "original_name": f"{number(i, s)}.xml",
                "storage_name": f"bench/{i:07d}",
                "created_at": s.sent_at,
            }

    def documents() -> Iterator[dict[str, Any]]:
        for i, s in enumerate(specs):
            kind = "payment_slip" if s.category == "payment_slip" else s.category
            yield {
                "id": doc_base + i,
                "organization_id": orgs[s.client],
                "kind": kind,
                "source": "upload",
                "file_id": file_base + i,
                "format": FORMATS.get(s.category, ""),
                "data": _data(i, s, number(i, s)),
                "status": "processed" if s.status == "booked" else "received",
                "created_at": s.sent_at,
                "updated_at": s.status_at,
                "creditor_name": s.counterparty,
                "amount": s.amount,
                "currency": s.currency,
                "invoice_number": number(i, s),
                "dedupe_key": number(i, s),
                "search_text": f"{s.counterparty} {number(i, s)}".lower(),
            }

    def sent() -> Iterator[dict[str, Any]]:
        for i, s in enumerate(specs):
            kind = "payment_slip" if s.category == "payment_slip" else s.category
            yield {
                "id": sent_base + i,
                "organization_id": orgs[s.client],
                "office_id": world.office.pk,
                "link_id": link_of[orgs[s.client]],
                "document_id": doc_base + i,
                "file_id": file_base + i,
                "kind": kind,
                "category": s.category,
                "also_invoice": s.also_invoice,
                "format": FORMATS.get(s.category, ""),
                "data": _data(i, s, number(i, s)),
                "counterparty": s.counterparty,
                "amount": s.amount,
                "currency": s.currency,
                "document_date": (s.sent_at - timedelta(days=i % 20)).date(),
                "number": number(i, s),
                "version": 2 if i in replaced_targets else 1,
                "sent_at": s.sent_at,
                "automatic": i % 3 == 0,
                "status": s.status,
                "reference": f"FIBU-{i}" if s.status == "booked" else "",
                "reason": "Amount does not match the order" if s.status == "rejected" else "",
                "status_at": s.status_at,
                "status_by_id": None if s.status == "sent" else world.admin.user_id,
                "source_state": s.source_state,
                "source_changed_at": s.changed_at,
                "replaced_by_id": sent_base + following[i] if i in following else None,
                "needs_attention": s.status == "booked" and s.source_state != "current",
            }

    timer.run("stored files (COPY)", lambda: copy_rows(StoredFile, files()))
    timer.run("documents (COPY)", lambda: copy_rows(Document, documents()))
    timer.run("sent documents (COPY)", lambda: copy_rows(SentDocument, sent()))


def _counters(world: World, specs: Sequence[Spec]) -> int:
    """Each link's counters from the generated rows (the definition of refresh_counters)."""
    from ledgerbridge.hub.exchange.models import ClientLink

    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    activity: dict[int, datetime] = {}
    column = {"sent": 0, "received": 1, "rejected": 2}
    for s in specs:
        org = world.client_ids[s.client]
        if s.source_state == "current" and s.status in column:
            counts[org][column[s.status]] += 1
        latest = max(s.sent_at, s.status_at, s.changed_at or s.sent_at)
        activity[org] = max(activity.get(org, latest), latest)
    links = list(ClientLink.objects.filter(office=world.office))
    for link in links:
        assert link.client_id is not None
        link.count_new, link.count_waiting, link.count_rejected = counts[link.client_id]
        link.last_activity_at = activity.get(link.client_id)
    fields = ["count_new", "count_waiting", "count_rejected", "last_activity_at"]
    ClientLink.objects.bulk_update(links, fields, batch_size=1000)
    return len(links)


def _sequences_and_vacuum() -> int:
    from django.core.management.color import no_style
    from django.db import connection

    from ledgerbridge.hub.documents.models import Document, StoredFile
    from ledgerbridge.hub.exchange.models import ClientLink, SentDocument
    from ledgerbridge.hub.identity.models import Organization

    # Autovacuum would do the same on a live hub: statistics and the visibility map.
    models = [StoredFile, Document, SentDocument, ClientLink, Organization]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        for model in models:  # autocommit: VACUUM may not run in a transaction
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    return len(models)


def check_counters(world: World) -> tuple[int, int]:
    """(links whose counters equal a count over their rows, links)."""
    from django.db.models import Count, Q

    from ledgerbridge.hub.exchange.models import ClientLink

    current = Q(sent_documents__source_state="current")
    rows = ClientLink.objects.filter(office=world.office).annotate(
        new=Count("sent_documents", filter=current & Q(sent_documents__status="sent")),
        waiting=Count("sent_documents", filter=current & Q(sent_documents__status="received")),
        rejected=Count("sent_documents", filter=current & Q(sent_documents__status="rejected")),
    )
    good = sum(
        (r.count_new, r.count_waiting, r.count_rejected) == (r.new, r.waiting, r.rejected)
        for r in rows
    )
    return good, len(rows)


def generate(clients: int, documents: int) -> World:
    rng = Random(11)  # noqa: S311  # test data, not secrets
    phases: list[tuple[str, float, int]] = []
    timer = Timer(phases)
    print("generator (fast bulk path):")
    made: dict[str, Any] = {}
    timer.run("office and its admin (services)", lambda: len(made.setdefault("o", _office())))
    office, admin = made["o"]
    timer.run(
        "client organizations + active links (bulk_create)",
        lambda: 2 * len(made.setdefault("c", _clients(rng, office, admin, clients))),
    )
    world = World(office, admin, "", made["c"], phases)
    timer.run(
        "draw the documents (Python)",
        lambda: len(made.setdefault("s", draw(rng, clients, documents))),
    )
    _bulk(world, made["s"], timer)
    timer.run("link counters (bulk_update)", lambda: _counters(world, made["s"]))
    timer.run("sequences, VACUUM ANALYZE", _sequences_and_vacuum)
    total = sum(p[1] for p in phases)
    print(f"  {'total':<52}{total:>8.1f} s{sum(p[2] for p in phases):>10,} rows")
    return world


def reuse() -> World | None:
    """The world of an earlier ``--keep`` run, or None."""
    from ledgerbridge.hub.identity.models import Membership

    admin = Membership.objects.filter(user__email=OFFICE_EMAIL).select_related("organization")
    found = admin.first()
    if found is None:
        return None
    from ledgerbridge.hub.exchange.models import ClientLink

    ids = list(
        ClientLink.objects.filter(office=found.organization).values_list("client_id", flat=True)
    )
    return World(found.organization, found, "", [i for i in ids if i is not None])
