"""Hostile numbers and NUL bytes: a specific 422 on SQLite and PostgreSQL alike, never a 500.

A number past a bigint, or a page far past any list, used to reach the database and fail
there (``datatype mismatch``, ``bigint out of range``); a NUL byte, which PostgreSQL text
cannot hold, failed every query or write on PostgreSQL. The schemas bound each number and
refuse NUL in any text, so both databases answer the same refusal and nothing changes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from ledgerbridge.hub.identity.models import AuditEvent, Membership
from tests.hub.factories import make_slip, qrbill_file, tenant
from tests.hub.helpers import counts, identity_state

pytestmark = pytest.mark.django_db

BIGINT_PLUS_ONE = 2**63
PAIN001 = {
    "debtor_name": "Alpha Tenant AG",
    "debtor_iban": "CH9300762011623852957",
    "execution_date": "2030-01-15",
}

# (method, path, JSON body or None, status, code)
HOSTILE: list[tuple[str, str, Any, int, str]] = [
    ("get", "/api/v1/documents?page=9223372036854775807", None, 422, "invalid-request"),
    ("get", "/api/v1/members?page=9223372036854775807", None, 422, "invalid-request"),
    ("get", "/api/v1/invitations?page=100001", None, 422, "invalid-request"),
    ("get", "/api/v1/audit-events?user_id=12345678901234567890", None, 422, "invalid-request"),
    ("get", "/api/v1/audit-events.csv?user_id=-1", None, 422, "invalid-request"),
    ("get", f"/api/v1/documents/{BIGINT_PLUS_ONE}", None, 422, "invalid-request"),
    ("get", "/api/v1/members/0", None, 422, "invalid-request"),
    ("delete", f"/api/v1/tokens/{BIGINT_PLUS_ONE}", None, 422, "invalid-request"),
    ("post", "/api/v1/payment-slips/pain001", {**PAIN001, "ids": [1e30]}, 422, "invalid-request"),
    (
        "post",
        "/api/v1/payment-slips/pain001",
        {**PAIN001, "ids": [BIGINT_PLUS_ONE]},
        422,
        "invalid-request",
    ),
    ("get", "/api/v1/documents?q=%00", None, 422, "text-nul-byte"),
    ("get", "/api/v1/members?search=%00", None, 422, "text-nul-byte"),
    ("get", "/api/v1/audit-events?category=%00", None, 422, "text-nul-byte"),
    ("get", "/api/v1/payment-slips?cursor=a%00b", None, 422, "text-nul-byte"),
    (
        "post",
        "/api/v1/tokens",
        {"name": "a\u0000b", "permissions": ["documents.view"]},
        422,
        "text-nul-byte",
    ),
    (
        "post",
        "/api/v1/tokens",
        {"name": "ok", "permissions": ["documents.view\u0000"]},
        422,
        "text-nul-byte",
    ),
    ("patch", "/api/v1/organization", {"town": "a\u0000b"}, 422, "text-nul-byte"),
    (
        "post",
        "/api/v1/invitations",
        {"email": "x@example.test", "last_name": "\u0000"},
        422,
        "text-nul-byte",
    ),
    ("post", "/api/v1/payment-slips/1/rejected", {"reason": "no\u0000"}, 422, "text-nul-byte"),
    # instants that do not exist in UTC (year 0, year 10000)
    ("get", "/api/v1/documents?since=0001-01-01T00:00:00%2B05:00", None, 422, "invalid-request"),
    ("get", "/api/v1/documents?until=9999-12-31T23:59:59-05:00", None, 422, "invalid-request"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "code"), HOSTILE)
def test_hostile_numbers_and_nul_bytes_get_a_specific_422_and_change_nothing(
    method: str, path: str, body: Any, status: int, code: str
) -> None:
    # given an organization's admin with a token holding every permission
    alpha = tenant("alpha")
    client = Client(headers={"Authorization": f"Bearer {alpha.admin_token}"})
    before = identity_state(), counts()

    # when the hostile request is sent
    if body is None:
        response = getattr(client, method)(path)
    else:
        response = getattr(client, method)(path, body, content_type="application/json")

    # then it is refused with its specific code, and nothing changed
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert (identity_state(), counts()) == before


# Found by the OpenAPI fuzzer (test_fuzz_openapi.py): an offset past 15:59, which Python
# accepts and PostgreSQL refuses, was a 500 there; a time without an offset was compared
# in no stated zone; the day after 9999-12-31 overflowed on both databases.
# (path, how many items the answer lists)
FAR_OFF_IN_TIME: list[tuple[str, int]] = [
    ("/api/v1/documents?since=2024-01-01T00:00:00%2B20:13", 1),
    ("/api/v1/documents?until=2000-01-01T00:00:00%2B20:13", 0),
    ("/api/v1/documents?since=2024-01-01T00:00:00", 1),
    ("/api/v1/documents?until=9999-12-31T23:59:59", 1),
    ("/api/v1/audit-events?until=9999-12-31&page_size=100", -1),
    ("/api/v1/audit-events?since=0001-01-01&page_size=100", -1),
]


@pytest.mark.parametrize(("path", "listed"), FAR_OFF_IN_TIME)
def test_bounds_far_off_in_time_or_with_any_offset_filter_in_utc(path: str, listed: int) -> None:
    # given an organization with one payment slip and its audit events
    alpha = tenant("alpha")
    make_slip(Membership.objects.get(user=alpha.admin))
    client = Client(headers={"Authorization": f"Bearer {alpha.admin_token}"})
    events = AuditEvent.objects.filter(organization=alpha.organization).count()

    # when the list is asked for with that bound
    response = client.get(path)

    # then it answers, listing what the bound lets through (-1: every audit event)
    assert response.status_code == 200
    assert response.json()["count"] == (events if listed == -1 else listed)


def test_audit_csv_until_the_last_day_there_is_lists_every_event() -> None:
    # given an organization with its audit events
    alpha = tenant("alpha")
    client = Client(headers={"Authorization": f"Bearer {alpha.admin_token}"})
    events = AuditEvent.objects.filter(organization=alpha.organization).count()

    # when the change log is exported up to 9999-12-31
    response = client.get("/api/v1/audit-events.csv?until=9999-12-31&page_size=100")

    # then every event is a line below the header
    assert response.status_code == 200
    assert len(response.content.decode().strip().splitlines()) == events + 1


def test_raw_upload_with_a_nul_byte_in_its_file_name_is_refused() -> None:
    # given a token that may upload
    alpha = tenant("alpha")
    client = Client(headers={"Authorization": f"Bearer {alpha.admin_token}"})
    data, _expected = qrbill_file()
    before = counts()

    # when a QR-bill is sent as a raw body named with a NUL byte
    response = client.post("/api/v1/documents?filename=a%00b.png", data, content_type="image/png")

    # then it is refused as text with a NUL byte, naming the parameter, and nothing is stored
    assert response.status_code == 422
    assert response.json()["code"] == "text-nul-byte"
    assert [e["ctx"]["field"] for e in response.json()["errors"]] == ["filename"]
    assert counts() == before


def test_every_query_parameter_and_body_refuses_a_nul_byte() -> None:
    # given an admin token and every operation of the API
    alpha = tenant("alpha")
    client = Client(headers={"Authorization": f"Bearer {alpha.admin_token}"})
    schema = Client().get("/api/v1/openapi.json").json()
    answers: dict[str, tuple[int, str]] = {}

    # when each query parameter, then each JSON body, is sent holding a NUL byte
    for template, item in schema["paths"].items():
        path = _with_ids(template)
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                where = f"{method.upper()} {template}?{parameter['name']}"
                query = urlencode({parameter["name"]: "a\x00b"})
                response = getattr(client, method)(f"{path}?{query}")
                answers[where] = (response.status_code, response.json()["code"])
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                where = f"{method.upper()} {template} body"
                body = {"anything": ["a\x00b"]}
                response = getattr(client, method)(path, body, content_type="application/json")
                answers[where] = (response.status_code, response.json()["code"])

    # then every one of them is the same refusal
    assert len(answers) >= 30
    refused = (422, "text-nul-byte")
    assert {where: answer for where, answer in answers.items() if answer != refused} == {}


def _with_ids(template: str) -> str:
    """``template`` with 1 for each path parameter (refusals come before any lookup)."""
    return "/".join("1" if part.startswith("{") else part for part in template.split("/"))
