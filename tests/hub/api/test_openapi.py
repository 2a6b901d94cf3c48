"""The OpenAPI document: served, and complete for every identity route."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

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
    assert {"permission-denied", "not-authenticated", "quota-exceeded"} <= set(error_code)
    document = components["DocumentOut"]["properties"]
    assert _enum_of(schema, document["status"]) == ["received", "pending", "processed", "rejected"]
    assert "payment_slip" in _enum_of(schema, document["kind"])
    assert "api" in _enum_of(schema, document["source"])
    audit = components["AuditEventOut"]["properties"]
    assert "documents" in _enum_of(schema, audit["category"])
    assert "payment-slip-processed" in _enum_of(schema, audit["action"])
    member = components["MemberOut"]["properties"]
    assert _enum_of(schema, member["status"]) == ["active", "locked"]
    assert _enum_of(schema, member["role"]) == ["admin", "accountant", "employee", "app"]


def test_openapi_lists_the_codes_of_the_formats_library_beside_the_hub_codes() -> None:
    # when
    schema = Client().get("/api/v1/openapi.json").json()
    # then
    options = schema["components"]["schemas"]["ErrorOut"]["properties"]["code"]["anyOf"]
    assert options[0] == {"$ref": "#/components/schemas/ErrorCode"}
    assert {"malformed-xml", "file-too-large", "pain001-iban-invalid"} <= set(options[1]["enum"])
    assert options[2] == {"type": "string", "pattern": "^http-[0-9]{3}$"}
