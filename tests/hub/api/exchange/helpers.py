"""What the exchange API tests share: the state a refusal must leave, and JSON calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledgerbridge.hub.exchange.models import ClientLink, SentDocument, SentDocumentChange
from ledgerbridge.hub.identity.models import AuditEvent, Membership

if TYPE_CHECKING:
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

    from ledgerbridge.hub.identity.models import Organization, User


def exchange_state() -> dict[str, Any]:
    """Every link, sending and history step, and every audit chain: a refusal keeps them."""
    return {
        "links": sorted(
            ClientLink.objects.values_list(
                "id", "status", "office_id", "client_id", "categories", "auto_send"
            )
        ),
        "sent": sorted(
            SentDocument.objects.values_list("id", "status", "reference", "reason", "source_state")
        ),
        "changes": SentDocumentChange.objects.count(),
        "audit": sorted(AuditEvent.objects.values_list("organization_id", "seq", "hash")),
    }


def membership(organization: Organization, user: User) -> Membership:
    return Membership.objects.get(organization=organization, user=user)


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Response:
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


def patch(client: Client, path: str, body: dict[str, Any]) -> Response:
    return client.patch(f"/api/v1{path}", body, content_type="application/json")


def get(client: Client, path: str, **headers: str) -> Response:
    return client.get(f"/api/v1{path}", headers=headers)
