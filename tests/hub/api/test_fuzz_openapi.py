"""A bounded property-based run of schemathesis against the served OpenAPI document.

Every operation of ``/api/v1/openapi.json`` gets requests generated from its schema, sent
to the hub in process (the WSGI app, no server): valid and invalid ones with organization
A's admin token, valid ones naming A's real ids, and B's admin token against A's ids.
Each answer must be no server error, carry a status and a content type its operation
declares, and match the declared schema; B never gets a success on A's ids.

The run is bounded (a few examples per operation and kind) and derandomized, so CI sees
the same requests every time; it prints how many it sent. A request may revoke or demote
the very token it is sent with (``DELETE /tokens/{id}``, a member PATCH, lock or delete):
the caller is put back after each request, so later requests are not refused for that.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ledgerbridge.hub.config.wsgi import application
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken, Membership, Organization
from ledgerbridge.hub.identity.permissions import ROLE_PRESETS, Permission, Role
from tests.hub.factories import (
    admin_of,
    make_link,
    make_organization,
    make_slip,
    office_admin,
    send,
    tenant,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from schemathesis import APIOperation, Case
    from schemathesis.core.transport import Response

    from ledgerbridge.hub.documents.models import Document

    AnyCase: TypeAlias = Case[Any]
    Operation: TypeAlias = APIOperation[Any, Any, Any, Any]

    from tests.hub.factories import Tenant

# Requests run with real commits, as in production: a request's own database error must
# not poison a surrounding test transaction, and Django's end-of-request connection
# handling stays as it is.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXAMPLES = 12
FLOOR = 500
# Schemathesis' coverage cases of one operation (about 50 each today), at most.
COVERAGE_CASES = 200
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The upload takes a PDF as raw bytes, as it takes application/octet-stream.
schemathesis.serializer.alias("application/pdf", "application/octet-stream")


@dataclass
class Caller:
    """One organization's admin and the token its requests carry, put back when changed."""

    tenant: Tenant
    token: ApiToken = field(init=False)
    raw: str = field(init=False)

    def __post_init__(self) -> None:
        self.renew()

    def renew(self) -> None:
        self.token, self.raw = services.api_token_create(
            organization=self.tenant.organization,
            user=self.tenant.admin,
            name=f"{self.tenant.marker} fuzz token",
            permissions=list(Permission),
            ip=None,
        )

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.raw}"}

    def restore(self) -> None:
        """Undo what a request did to this caller itself (its token, its membership)."""
        Membership.objects.update_or_create(
            organization=self.tenant.organization,
            user=self.tenant.admin,
            defaults={
                "role": Role.ADMIN,
                "permissions": sorted(ROLE_PRESETS[Role.ADMIN]),
                "status": Membership.Status.ACTIVE,
            },
        )
        if ApiToken.objects.filter(pk=self.token.pk, revoked_at__isnull=False).exists():
            self.renew()


@dataclass
class Run:
    """What the run sent and what it found."""

    requests: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)

    def record(self, key: str, message: str) -> None:
        self.failures.setdefault(key, message)


def _as_a_server(app: WSGIApplication) -> WSGIApplication:
    """``app`` whose answers are read whole and closed, as a WSGI server does (PEP 3333):
    a streamed file download otherwise stays open after the test client read it."""

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return serve


def _exchange_ids(a: Tenant, slips: list[Document]) -> dict[str, list[int]]:
    """A sends its slips to its accounting office, and, an office itself too, has a client
    that sent it a slip: the links, that client and what it sent, as path parameters."""
    admin = Membership.objects.get(user=a.admin)
    to_office = make_link(office_admin(), admin)
    for slip in slips:
        send(admin, to_office, slip)
    Organization.objects.filter(pk=a.organization.pk).update(kind=Organization.Kind.BOTH)
    admin.organization.refresh_from_db()
    client = admin_of(make_organization(name="Alpha Client AG"))
    with_client = make_link(admin, client)
    sent = send(client, with_client, make_slip(client))
    return {
        "link_id": [to_office.pk, with_client.pk],
        "client_id": [client.organization_id],
        "sent_id": [sent.pk],
    }


def _a_ids(a: Tenant) -> dict[str, list[int]]:
    """Organization A's ids, by the name of the path parameter that takes them."""
    slips = [
        make_slip(Membership.objects.get(user=a.admin), bill) for bill in ("s1_bill01", "s1_bill02")
    ]
    return {
        **_exchange_ids(a, slips),
        "membership_id": list(
            Membership.objects.filter(organization=a.organization).values_list("pk", flat=True)
        ),
        "invitation_id": [a.invitation.pk],
        "token_id": list(
            ApiToken.objects.filter(organization=a.organization).values_list("pk", flat=True)
        ),
        "document_id": [slip.pk for slip in slips],
    }


def _send(run: Run, case: AnyCase, caller: Caller, *, foreign: bool) -> None:
    # The caller's own token is never the one its request revokes.
    if case.path_parameters and case.path_parameters.get("token_id") == caller.token.pk:
        return
    response: Response = case.call(headers=caller.headers)
    run.requests += 1
    run.statuses[response.status_code] += 1
    where = f"{case.method} {case.path}"
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        curl = case.as_curl_command(headers=caller.headers)
        for failure in group.exceptions:
            run.record(f"{where}: {failure.title}", f"{failure.title} {failure.message}\n{curl}")
    if foreign and case.path_parameters and 200 <= response.status_code < 300:
        run.record(f"{where}: foreign success", f"B got {response.status_code} on A's ids")
    caller.restore()


def _fuzz(strategy: st.SearchStrategy[AnyCase], send: Callable[[AnyCase], None]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case: AnyCase) -> None:
        send(case)

    run()


def _with_ids(operation: Operation, ids: dict[str, list[int]]) -> st.SearchStrategy[AnyCase]:
    names = [p.name for p in operation.path_parameters]
    chosen = st.fixed_dictionaries({name: st.sampled_from(ids[name]) for name in names})
    return chosen.flatmap(lambda values: operation.as_strategy(path_parameters=values))


def _fuzz_operation(
    run: Run, operation: Operation, a: Caller, b: Caller, ids: dict[str, list[int]]
) -> None:
    """Schemathesis' coverage cases (bounds, missing and wrong types, unexpected methods)
    and generated valid and invalid requests by A; requests naming A's real ids by A and
    by B."""
    schema = operation.schema
    coverage = schema.iter_coverage_cases(
        operation,
        generation_modes=list(schemathesis.GenerationMode),
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
    )
    for case in itertools.islice(coverage, COVERAGE_CASES):
        _send(run, case, a, foreign=False)
    for mode in schemathesis.GenerationMode:
        _fuzz(
            operation.as_strategy(generation_mode=mode), lambda c: _send(run, c, a, foreign=False)
        )
    if operation.path_parameters:
        _fuzz(_with_ids(operation, ids), lambda c: _send(run, c, a, foreign=False))
        _fuzz(_with_ids(operation, ids), lambda c: _send(run, c, b, foreign=True))


def test_fuzzing_the_openapi_finds_no_server_error_and_no_undeclared_answer(media: Path) -> None:
    # given two organizations, each with an admin token, and A's ids
    cache.clear()
    a, b = Caller(tenant("alpha")), Caller(tenant("beta"))
    ids = _a_ids(a.tenant)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _as_a_server(application))
    run = Run()
    started = time.monotonic()

    # when every operation of the document is fuzzed
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        _fuzz_operation(run, result.ok(), a, b, ids)

    # then
    elapsed = time.monotonic() - started
    print(f"schemathesis: {run.requests} requests in {elapsed:.1f} s, {dict(run.statuses)}")
    assert run.requests > FLOOR
    assert run.failures == {}, "\n\n".join(run.failures.values())
