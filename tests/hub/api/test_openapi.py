"""The OpenAPI document: served, complete for every identity route, and true.

The second half walks every operation of the served document, provokes the answers a
client meets first (no login, a revoked token, a body that is not an object) and checks
each status is declared by that operation.
"""

from __future__ import annotations

from fnmatch import fnmatch
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from ledgerbridge.hub.identity import services
from tests.hub.factories import admin_of, make_membership, make_payment_slip
from tests.hub.helpers import token_client

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.django_db

IDENTITY_TAGS = {"organization", "members", "invitations", "tokens", "audit"}


def test_openapi_documents_auth_errors_and_schemas() -> None:
    # when
    response = Client().get("/api/v1/openapi.json")
    # then
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["components"]["securitySchemes"]) == {
        "BearerTokenAuth",
        "OrganizationSessionAuth",
    }
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if IDENTITY_TAGS & set(operation.get("tags", []))
    ]
    assert len(operations) == 19
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation["security"] == [{"BearerTokenAuth": []}, {"OrganizationSessionAuth": []}]
        assert {"401", "403", "404", "422"} <= set(operation["responses"]), where
        error = operation["responses"]["403"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ErrorOut"}, where
    member = schema["components"]["schemas"]["MemberOut"]["properties"]
    assert {"email", "last_login", "status", "role", "permissions"} <= set(member)


def _enum_of(schema: dict[str, Any], prop: dict[str, Any]) -> list[str]:
    """The ``enum`` a property refers to, through ``$ref`` and ``anyOf``."""
    for option in prop.get("anyOf", [prop]):
        if "$ref" in option:
            option = schema["components"]["schemas"][option["$ref"].rsplit("/", 1)[1]]
        if "enum" in option:
            return list(option["enum"])
    return []


def test_openapi_shows_the_vocabulary_as_enums() -> None:
    # when
    schema = Client().get("/api/v1/openapi.json").json()
    # then
    components = schema["components"]["schemas"]
    error_code = _enum_of(schema, components["ErrorOut"]["properties"]["code"])
    assert {
        "permission-denied",
        "not-authenticated",
        "plan-limit-reached",
        "plan-feature-disabled",
    } <= set(error_code)
    document = components["DocumentOut"]["properties"]
    assert _enum_of(schema, document["status"]) == [
        "received",
        "pending",
        "exported",
        "processed",
        "rejected",
    ]
    assert "payment_slip" in _enum_of(schema, document["kind"])
    assert "api" in _enum_of(schema, document["source"])
    audit = components["AuditEventOut"]["properties"]
    assert "documents" in _enum_of(schema, audit["category"])
    assert "payment-slip-processed" in _enum_of(schema, audit["action"])
    member = components["MemberOut"]["properties"]
    assert _enum_of(schema, member["status"]) == ["active", "locked"]
    roles = ["admin", "accountant", "employee", "app", "exchange"]
    assert _enum_of(schema, member["role"]) == roles


def test_openapi_lists_the_codes_of_the_formats_library_beside_the_hub_codes() -> None:
    # when
    schema = Client().get("/api/v1/openapi.json").json()
    # then
    options = schema["components"]["schemas"]["ErrorOut"]["properties"]["code"]["anyOf"]
    assert options[0] == {"$ref": "#/components/schemas/ErrorCode"}
    assert {"malformed-xml", "file-too-large", "pain001-iban-invalid"} <= set(options[1]["enum"])
    assert options[2] == {"type": "string", "pattern": "^http-[0-9]{3}$"}


# --- the answers agree with the document ---------------------------------------------


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    """Every (method, path template, operation) of the served OpenAPI document."""
    schema = Client().get("/api/v1/openapi.json").json()
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def _with_ids(template: str) -> str:
    return "/".join("1" if part.startswith("{") else part for part in template.split("/"))


def _undeclared(answers: dict[str, tuple[dict[str, Any], int]]) -> dict[str, int]:
    """The answers whose status the operation does not declare."""
    return {
        where: status
        for where, (operation, status) in answers.items()
        if str(status) not in operation["responses"]
    }


def test_every_operation_answers_401_without_a_login_even_with_csrf_enforced() -> None:
    # given a browser-like client (CSRF enforced) with no session, and one with a revoked token
    admin = admin_of()
    token, raw = services.api_token_create(
        organization=admin.organization, user=admin.user, name="gone",
        permissions=list(admin.permissions), ip=None,
    )  # fmt: skip
    services.api_token_revoke(token=token, actor=admin.user, ip=None)
    anonymous = Client(enforce_csrf_checks=True)
    revoked = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    answers: dict[str, tuple[dict[str, Any], int]] = {}
    codes: set[str] = set()

    # when every operation is called by both, each call from its own address so that the
    # guessing-client throttle (429 after ten failed tokens) does not answer instead
    for number, (method, template, operation) in enumerate(_operations()):
        for who, client in (("anonymous", anonymous), ("revoked", revoked)):
            address = f"2001:db8::{number:x}"
            response = getattr(client, method)(_with_ids(template), REMOTE_ADDR=address)
            answers[f"{who} {method.upper()} {template}"] = (operation, response.status_code)
            codes.add(response.json()["code"])

    # then every answer is a declared 401 not-authenticated
    assert {where: status for where, (_op, status) in answers.items() if status != 401} == {}
    assert _undeclared(answers) == {}
    assert codes == {"not-authenticated"}


def test_every_json_body_that_is_not_an_object_is_a_declared_422() -> None:
    # given a token holding every permission
    admin = admin_of()
    client = token_client(admin)
    answers: dict[str, tuple[dict[str, Any], int]] = {}
    codes: set[str] = set()

    # when every operation taking JSON gets a broken body, an array of nulls, and null
    for method, template, operation in _operations():
        if "application/json" not in operation.get("requestBody", {}).get("content", {}):
            continue
        for name, body in (("broken", "{"), ("array", "[null, null]"), ("string", '"x"')):
            response = getattr(client, method)(
                _with_ids(template), body, content_type="application/json"
            )
            answers[f"{name} {method.upper()} {template}"] = (operation, response.status_code)
            codes.add(response.json()["code"])

    # then each is a 422 invalid-request that the operation declares
    assert len(answers) == 42
    assert {where: status for where, (_op, status) in answers.items() if status != 422} == {}
    assert _undeclared(answers) == {}
    assert codes == {"invalid-request"}


def test_patch_with_an_array_body_changes_nothing() -> None:
    # given an admin's token
    admin = admin_of()
    client = token_client(admin)
    town = admin.organization.town

    # when the organization is patched with [null, null]
    response = client.patch("/api/v1/organization", "[null, null]", content_type="application/json")

    # then it is refused: the body is not an object
    assert (response.status_code, response.json()["code"]) == (422, "invalid-request")
    assert response.json()["errors"][0]["type"] == "model_type"
    admin.organization.refresh_from_db()
    assert admin.organization.town == town


def test_session_locked_out_of_every_organization_is_a_declared_403_access_locked() -> None:
    # given a member logged in without having chosen an organization, then locked
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    client = Client()
    client.force_login(member.user)
    services.membership_lock(membership=member, actor=admin.user, ip=None)
    operation = next(op for m, p, op in _operations() if (m, p) == ("get", "/api/v1/organization"))

    # when the session calls the API
    response = client.get("/api/v1/organization")

    # then the answer says the access is locked, as the operation declares
    assert (response.status_code, response.json()["code"]) == (403, "access-locked")
    assert "403" in operation["responses"]


def test_file_download_carries_a_content_type_that_its_operation_declares(media: Path) -> None:
    # given an uploaded QR-bill photo (a PNG)
    admin = admin_of()
    document = make_payment_slip(admin.organization)
    operation = next(
        op for m, p, op in _operations() if p == "/api/v1/documents/{document_id}/file"
    )

    # when it is downloaded
    response = token_client(admin).get(f"/api/v1/documents/{document.pk}/file")
    response.getvalue()  # reads (and closes) the streamed file

    # then its real type is answered, and the operation's 200 declares it
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    declared = operation["responses"]["200"]["content"]
    assert [t for t in declared if fnmatch("image/png", t)] == ["*/*"]
