"""The OpenAPI document: served, and complete for every identity route."""

from __future__ import annotations

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
