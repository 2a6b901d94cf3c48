"""Acceptance C: tenant isolation, proven by walking every route of the hub.

Every URL pattern (Django's resolver, recursively) and every API operation (the ninja
``api``'s OpenAPI schema) must be classified below as public, account (the logged-in
user's own things, no tenant data) or org (data of the current organization, with the
permission it needs). An unclassified route, or a URL keyword nobody knows how to fill,
fails the test with a message that says what to add, so a new route cannot slip past.

For org routes the walk then checks, with organization B's admin (session and bearer
token) against organization A's objects, that every allowed method answers 404 and
changes nothing; that list pages show B's data and none of A's; and, inside A, that a
member holding every permission except the one a route needs gets 403.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ledgerbridge.hub.api.root import api
from ledgerbridge.hub.documents import services as document_services
from ledgerbridge.hub.documents.models import Document, DocumentStatusChange, StoredFile
from ledgerbridge.hub.exchange import services as exchange_services
from ledgerbridge.hub.exchange.models import (
    ClientAssignment,
    ClientLink,
    LinkDirection,
    SentDocument,
    SentDocumentChange,
)
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import AuditEvent, Membership, Organization
from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.factories import (
    PASSWORD,
    Tenant,
    admin_of,
    blank_pdf,
    ingest,
    make_link,
    make_membership,
    make_organization,
    make_slip,
    make_slip_to,
    new_uid,
    office_admin,
    qrbill_file,
    send,
    tenant,
    verified_user,
)
from tests.hub.helpers import identity_state

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _state() -> dict[str, Any]:
    """The identity snapshot plus the documents: what a refused request must not change."""
    return {
        **identity_state(),
        "files": sorted(StoredFile.objects.values_list("id", "sha256")),
        "documents": sorted(Document.objects.values_list("id", "organization_id", "status")),
        "status_changes": DocumentStatusChange.objects.count(),
        "links": sorted(
            ClientLink.objects.values_list("id", "status", "office_id", "client_id", "categories")
        ),
        "assignments": ClientAssignment.objects.count(),
        "sent": sorted(
            SentDocument.objects.values_list("id", "status", "reference", "reason", "source_state")
        ),
        "sent_changes": SentDocumentChange.objects.count(),
    }


PUBLIC, ACCOUNT, ORG = "public", "account", "org"
P = Permission


@dataclass(frozen=True)
class Route:
    scope: str  # PUBLIC, ACCOUNT or ORG
    permission: Permission | None = None  # ORG only; None: any member
    lists: bool = False  # a GET shows the organization's data (members, events, ...)


# Every named URL pattern outside the API, by "namespace:name".
WEB_ROUTES: dict[str, Route] = {
    "healthz": Route(PUBLIC),
    "readyz": Route(PUBLIC),
    "set_language": Route(PUBLIC),
    # allauth: entrance pages work without a session; the rest are the user's own settings
    "account_login": Route(PUBLIC),
    "account_logout": Route(PUBLIC),
    "account_inactive": Route(PUBLIC),
    "account_signup": Route(PUBLIC),
    "account_email_verification_sent": Route(PUBLIC),
    "account_reset_password": Route(PUBLIC),
    "account_confirm_login_code": Route(PUBLIC),
    "account_confirm_password_reset_code": Route(PUBLIC),
    "account_complete_password_reset": Route(PUBLIC),
    "account_password_reset_completed": Route(PUBLIC),
    "mfa_authenticate": Route(PUBLIC),
    "mfa_login_webauthn": Route(PUBLIC),
    "account_reauthenticate": Route(ACCOUNT),
    "account_email": Route(ACCOUNT),
    "account_change_password": Route(ACCOUNT),
    "account_set_password": Route(ACCOUNT),
    "mfa_index": Route(ACCOUNT),
    "mfa_reauthenticate": Route(ACCOUNT),
    "mfa_activate_totp": Route(ACCOUNT),
    "mfa_deactivate_totp": Route(ACCOUNT),
    "mfa_view_recovery_codes": Route(ACCOUNT),
    "mfa_generate_recovery_codes": Route(ACCOUNT),
    "mfa_download_recovery_codes": Route(ACCOUNT),
    "mfa_list_webauthn": Route(ACCOUNT),
    "mfa_add_webauthn": Route(ACCOUNT),
    "mfa_reauthenticate_webauthn": Route(ACCOUNT),
    "mfa_remove_webauthn": Route(ACCOUNT),
    "mfa_edit_webauthn": Route(ACCOUNT),
    # the portal
    "web:invitation_landing": Route(PUBLIC),  # the raw token in the URL is the credential
    "web:organization_create": Route(ACCOUNT),
    "web:preferences": Route(ACCOUNT),
    "web:organization_switch": Route(ACCOUNT),  # takes an organization id in the body: see below
    "web:home": Route(ORG, lists=True),
    "web:organization_settings": Route(ORG, P.ORGANIZATION_MANAGE, lists=True),
    "web:member_list": Route(ORG, P.USERS_MANAGE, lists=True),
    "web:member_detail": Route(ORG, P.USERS_MANAGE),
    "web:member_permissions": Route(ORG, P.USERS_MANAGE),
    "web:member_lock": Route(ORG, P.USERS_MANAGE),
    "web:member_unlock": Route(ORG, P.USERS_MANAGE),
    "web:member_delete": Route(ORG, P.USERS_MANAGE),
    "web:invitation_create": Route(ORG, P.USERS_MANAGE),
    "web:invitation_resend": Route(ORG, P.USERS_MANAGE),
    "web:invitation_revoke": Route(ORG, P.USERS_MANAGE),
    "web:audit_list": Route(ORG, P.AUDIT_VIEW, lists=True),
    "web:audit_export": Route(ORG, P.AUDIT_VIEW, lists=True),
    "web:audit_detail": Route(ORG, P.AUDIT_VIEW),
    "web:token_list": Route(ORG, lists=True),
    "web:token_revoke": Route(ORG),  # the token's owner, or a member with users.manage
    # documents and payment slips (issue 4)
    "web:document_list": Route(ORG, P.DOCUMENTS_VIEW, lists=True),
    "web:document_upload": Route(ORG, P.DOCUMENTS_UPLOAD),
    "web:document_detail": Route(ORG, P.DOCUMENTS_VIEW),
    "web:document_file": Route(ORG, P.DOCUMENTS_VIEW),
    "web:document_page": Route(ORG, P.DOCUMENTS_VIEW),
    # the company's side of the exchange (issue 11): send takes document ids in the body
    # ("ids"): see test_sending_refuses_foreign_ids; the status poll only reads the own
    # organization's sendings of the ids it is given (a foreign id reads as not sent)
    "web:document_send": Route(ORG, P.DOCUMENTS_SEND),
    "web:document_exchange_rows": Route(ORG, P.DOCUMENTS_VIEW),
    "web:document_exchange": Route(ORG, P.DOCUMENTS_VIEW),
    "web:document_withdraw": Route(ORG, P.DOCUMENTS_SEND),
    "web:document_replace": Route(ORG, P.DOCUMENTS_SEND),
    # correcting the category: documents.upload, from the page documents.view shows (issue 11)
    "web:document_kind": Route(ORG, P.DOCUMENTS_UPLOAD),
    "web:payment_slip_list": Route(ORG, P.DOCUMENTS_VIEW, lists=True),
    "web:payment_slip_rows": Route(ORG, P.DOCUMENTS_VIEW, lists=True),
    # these three take slip ids in the body ("ids"): see test_slip_actions_refuse_foreign_ids
    "web:payment_slip_process": Route(ORG, P.PAYMENT_SLIPS_PROCESS),
    "web:payment_slip_reject": Route(ORG, P.PAYMENT_SLIPS_PROCESS),
    "web:payment_slip_export": Route(ORG, P.PAYMENT_SLIPS_PROCESS),
    # client links and the exchange setup wizard (issue 11)
    "web:link_list": Route(ORG, P.CLIENT_LINKS_MANAGE),
    "web:link_create": Route(ORG, P.CLIENT_LINKS_MANAGE),
    "web:link_detail": Route(ORG, P.CLIENT_LINKS_MANAGE),
    "web:link_accept": Route(ORG, P.CLIENT_LINKS_MANAGE),
    "web:link_revoke": Route(ORG, P.CLIENT_LINKS_MANAGE),
    "web:link_settings": Route(ORG, P.CLIENT_LINKS_MANAGE),
    "web:link_assign": Route(ORG, P.CLIENT_LINKS_MANAGE),
    "web:link_join": Route(PUBLIC),  # the raw token in the URL is the credential
    "web:setup_start": Route(PUBLIC),
    "web:setup_invited": Route(PUBLIC),
    "web:setup_organization": Route(ACCOUNT),  # one's own memberships only
    "web:setup_users": Route(ORG, P.USERS_MANAGE),
    "web:setup_summary": Route(ORG, P.CLIENT_LINKS_MANAGE, lists=True),
    # the partner space of an accounting office (issue 11): the office's clients and what
    # they sent; client ids and sent ids are walked below for the office/accountant/client
    # dimension as well (test_partner_routes_*)
    "web:client_list": Route(ORG, P.DOCUMENTS_VIEW, lists=True),
    "web:client_documents": Route(ORG, P.DOCUMENTS_VIEW),
    "web:client_rows": Route(ORG, P.DOCUMENTS_VIEW),
    "web:client_book": Route(ORG, P.DOCUMENTS_VIEW),
    "web:client_reject": Route(ORG, P.DOCUMENTS_VIEW),
    "web:client_download": Route(ORG, P.DOCUMENTS_VIEW),
    "web:client_document_detail": Route(ORG, P.DOCUMENTS_VIEW),
    "web:client_document_status": Route(ORG, P.DOCUMENTS_VIEW),
    "web:client_document_file": Route(ORG, P.DOCUMENTS_VIEW),
    "web:client_document_page": Route(ORG, P.DOCUMENTS_VIEW),
    "web:scan_app": Route(PUBLIC),  # the app shell: a log-in form until the phone is linked
    "web:scan_manifest": Route(PUBLIC),
    "web:scan_service_worker": Route(PUBLIC),
    "web:scan_preview": Route(ORG, P.DOCUMENTS_UPLOAD),
    "web:scan_confirm": Route(ORG, P.DOCUMENTS_UPLOAD),
    "web:scan_receipt": Route(ORG, P.DOCUMENTS_UPLOAD),
    "web:scan_recent": Route(ORG, P.DOCUMENTS_UPLOAD),  # only the caller's own scans
    # the API's own pages (its operations are classified in API_ROUTES)
    "api:api-root": Route(PUBLIC),
    "api:openapi-json": Route(PUBLIC),
    "api:openapi-view": Route(PUBLIC),
}

# Every API operation, by (METHOD, path in the OpenAPI schema).
API_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/organization"): Route(ORG, lists=True),
    ("PATCH", "/organization"): Route(ORG, P.ORGANIZATION_MANAGE),
    ("GET", "/members"): Route(ORG, P.USERS_MANAGE, lists=True),
    ("POST", "/members"): Route(ORG, P.USERS_MANAGE),
    ("GET", "/members/{membership_id}"): Route(ORG, P.USERS_MANAGE),
    ("PATCH", "/members/{membership_id}"): Route(ORG, P.USERS_MANAGE),
    ("DELETE", "/members/{membership_id}"): Route(ORG, P.USERS_MANAGE),
    ("POST", "/members/{membership_id}/lock"): Route(ORG, P.USERS_MANAGE),
    ("POST", "/members/{membership_id}/unlock"): Route(ORG, P.USERS_MANAGE),
    ("GET", "/invitations"): Route(ORG, P.USERS_MANAGE, lists=True),
    ("POST", "/invitations"): Route(ORG, P.USERS_MANAGE),
    ("GET", "/invitations/{invitation_id}"): Route(ORG, P.USERS_MANAGE),
    ("POST", "/invitations/{invitation_id}/resend"): Route(ORG, P.USERS_MANAGE),
    ("POST", "/invitations/{invitation_id}/revoke"): Route(ORG, P.USERS_MANAGE),
    ("GET", "/tokens"): Route(ORG, lists=True),
    ("POST", "/tokens"): Route(ORG),
    ("DELETE", "/tokens/{token_id}"): Route(ORG),
    ("GET", "/audit-events"): Route(ORG, P.AUDIT_VIEW, lists=True),
    ("GET", "/audit-events.csv"): Route(ORG, P.AUDIT_VIEW, lists=True),
    # documents.view shows all documents; documents.upload alone only the caller's own
    # scans, so these need no single permission (None) and are not in the 403 walk
    ("GET", "/documents"): Route(ORG, lists=True),
    ("POST", "/documents"): Route(ORG, P.DOCUMENTS_UPLOAD),
    ("GET", "/documents/{document_id}"): Route(ORG),
    ("GET", "/documents/{document_id}/file"): Route(ORG),
    ("PATCH", "/documents/{document_id}"): Route(ORG, P.DOCUMENTS_UPLOAD),
    ("GET", "/payment-slips"): Route(ORG, lists=True),  # payment_slips.process or documents.view
    ("POST", "/payment-slips/{document_id}/processed"): Route(ORG, P.PAYMENT_SLIPS_PROCESS),
    ("POST", "/payment-slips/{document_id}/rejected"): Route(ORG, P.PAYMENT_SLIPS_PROCESS),
    ("POST", "/payment-slips/pain001"): Route(ORG, P.PAYMENT_SLIPS_PROCESS),
    # the exchange (issue 11): links, sending, the office's partner space; the new
    # dimension (linked, sent, shared, assigned) is walked in the tests at the end
    ("POST", "/client-links"): Route(ORG, P.CLIENT_LINKS_MANAGE),
    ("GET", "/client-links"): Route(ORG),  # client_links.manage or documents.send
    ("POST", "/client-links/{link_id}/accept"): Route(ORG, P.CLIENT_LINKS_MANAGE),
    ("POST", "/client-links/{link_id}/revoke"): Route(ORG, P.CLIENT_LINKS_MANAGE),
    ("PATCH", "/client-links/{link_id}"): Route(ORG, P.CLIENT_LINKS_MANAGE),
    ("POST", "/documents/{document_id}/send"): Route(ORG, P.DOCUMENTS_SEND),
    ("POST", "/documents/{document_id}/withdraw"): Route(ORG, P.DOCUMENTS_SEND),
    ("POST", "/documents/{document_id}/replace"): Route(ORG, P.DOCUMENTS_SEND),
    ("GET", "/clients"): Route(ORG, P.DOCUMENTS_VIEW),
    ("GET", "/clients/{client_id}/documents"): Route(ORG, P.DOCUMENTS_VIEW),
    ("GET", "/clients/{client_id}/documents/{sent_id}"): Route(ORG, P.DOCUMENTS_VIEW),
    ("GET", "/clients/{client_id}/documents/{sent_id}/file"): Route(ORG, P.DOCUMENTS_VIEW),
    ("POST", "/clients/{client_id}/documents/{sent_id}/status"): Route(ORG, P.DOCUMENTS_VIEW),
}


def _first_event(t: Tenant) -> int:
    return int(AuditEvent.objects.filter(organization=t.organization).order_by("seq")[0].pk)


def _payment_slip(t: Tenant) -> int:
    """A payment slip of ``t`` read from a real QR-bill photo of the shared corpus."""
    data = qrbill_file("s1_bill01_w900.png")[0]
    result = document_services.document_ingest(
        organization=t.organization,
        data=data,
        filename=f"{t.marker}-bill.png",
        source=Document.Source.UPLOAD,
        actor=t.admin,
    )
    (slip,) = result.documents
    assert slip.kind == Document.Kind.PAYMENT_SLIP
    return int(slip.pk)


def _client_link(t: Tenant) -> int:
    """An active link between ``t`` (the client) and an accounting office."""
    office = office_admin()
    link = exchange_services.client_link_create(
        organization=office.organization, tax_id=t.organization.tax_id, country="CH",
        email=t.admin.email, direction=LinkDirection.CLIENT, actor=office.user, ip=None,
    )  # fmt: skip
    exchange_services.client_link_accept(
        link=link, organization=t.organization, actor=t.admin, ip=None
    )
    return int(link.pk)


def _link_token(t: Tenant) -> str:
    """The e-mail's token of ``t``'s request to an office that is not on the hub yet."""
    link = exchange_services.client_link_create(
        organization=t.organization, tax_id=new_uid(), email=f"{t.marker}-office@example.com",
        direction=LinkDirection.ACCOUNTING_OFFICE, actor=t.admin, ip=None,
    )  # fmt: skip
    return exchange_services.client_link_token(link.pk)


def _admin_membership(t: Tenant) -> Membership:
    return Membership.objects.get(organization=t.organization, user=t.admin)


def _link(t: Tenant) -> int:
    """An active link of ``t`` (a company) with a new accounting office."""
    return int(make_link(office_admin(), _admin_membership(t)).pk)


def _sent(t: Tenant) -> int:
    """A payment slip of ``t`` sent to its accounting office: the office's sent document."""
    link = make_link(office_admin(), _admin_membership(t))
    slip = make_slip(_admin_membership(t), "s1_bill02")
    sent, _created = exchange_services.document_send(
        document=slip, link=link, actor=t.admin, ip=None
    )
    return int(sent.pk)


def _webauthn_key(t: Tenant) -> int:
    key = Authenticator.objects.create(
        user=t.admin,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": f"{t.marker} key", "credential": {}},
    )
    return int(key.pk)


def _partner(t: Tenant) -> tuple[int, int]:
    """(client id, sent id): ``t`` made an accounting office too, with a client (named
    after ``t``'s marker) that sent it a payment slip. Made once per tenant."""
    made: tuple[int, int] | None = getattr(t, "_partner", None)
    if made is None:
        t.organization.kind = Organization.Kind.BOTH
        t.organization.save(update_fields=["kind"])
        office = Membership.objects.get(organization=t.organization, user=t.admin)
        client = admin_of(make_organization(name=f"{t.marker.title()} Client AG"))
        link = make_link(office, client)
        sent = send(client, link, make_slip(client))
        made = (int(client.organization_id), int(sent.pk))
        t._partner = made  # type: ignore[attr-defined]  # a cache on the test's tenant
    return made


# How to fill a URL keyword with an object of organization A (the victim).
KWARGS: dict[str, Callable[[Tenant], object]] = {
    "membership_id": lambda t: t.membership.pk,
    "invitation_id": lambda t: t.invitation.pk,
    "token_id": lambda t: t.api_token.pk,
    "event_id": _first_event,
    "token": lambda t: t.invitation_token,
    "pk": _webauthn_key,  # allauth's WebAuthn keys belong to one user
    "document_id": _payment_slip,
    "page": lambda t: 1,  # a page number, not an object: the document_id is A's
    "link_id": _client_link,
    "link_token": _link_token,
    "client_id": lambda t: _partner(t)[0],
    "sent_id": lambda t: _partner(t)[1],
}

# Ids that exist nowhere: a foreign id must get exactly the answer one of these gets.
MISSING: dict[str, object] = dict.fromkeys(KWARGS, 2_000_000_000) | {
    "token": "no-such-token",
    "link_token": "0" * 64,
}

HOW_TO_CLASSIFY = (
    "classify it in tests/hub/test_isolation.py: add it to {table} as PUBLIC (no login), "
    "ACCOUNT (the user's own things, no organization data) or ORG with the permission it "
    "needs; the isolation walk then checks it"
)
WEB_METHODS = ("GET", "POST")


@dataclass(frozen=True)
class WebPattern:
    name: str
    route: str
    kwargs: tuple[str, ...]


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), namespace, entry


def _web_patterns() -> list[WebPattern]:
    found: dict[str, WebPattern] = {}
    for route, namespace, pattern in _walk(get_resolver()):
        name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
        if namespace == "api" and pattern.name not in {"api-root", "openapi-json", "openapi-view"}:
            continue  # API operations are walked through the OpenAPI schema
        assert pattern.name, f"URL pattern {route!r} has no name: name it, then " + (
            HOW_TO_CLASSIFY.format(table="WEB_ROUTES")
        )
        keys = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        found[name] = WebPattern(name, route, keys)
    return sorted(found.values(), key=lambda p: p.name)


def _scoped(scope: str, *, with_ids: bool | None = None) -> list[WebPattern]:
    """Classified patterns of ``scope`` (unclassified ones fail test_every_route_is_classified)."""
    return [
        p
        for p in _web_patterns()
        if p.name in WEB_ROUTES
        and WEB_ROUTES[p.name].scope == scope
        and (with_ids is None or bool(p.kwargs) == with_ids)
    ]


def _api_prefix() -> str:
    return reverse("api:api-root").rstrip("/")


@functools.cache
def _api_schema() -> dict[str, Any]:
    """The OpenAPI document, built once per run (it is the same for every request, and
    building it for each call made the route walks take minutes)."""
    return dict(api.get_openapi_schema(path_prefix=""))


@functools.cache
def _api_operations() -> dict[tuple[str, str], dict[str, Any]]:
    schema = _api_schema()
    return {
        (method.upper(), path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def _api_classified() -> list[tuple[str, str]]:
    """Operations in API_ROUTES (unclassified ones fail test_every_route_is_classified)."""
    return [key for key in _api_operations() if key in API_ROUTES]


def test_every_route_is_classified() -> None:
    # given every URL pattern and every API operation of the hub
    web = _web_patterns()
    operations = _api_operations()
    api_routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.removeprefix("api/v1/"))
        for route, namespace, pattern in _walk(get_resolver())
        if namespace == "api" and pattern.name not in {"api-root", "openapi-json", "openapi-view"}
    }

    # when they are looked up in the tables
    unclassified = [p.name for p in web if p.name not in WEB_ROUTES]
    unclassified_api = [f"{m} {path}" for m, path in operations if (m, path) not in API_ROUTES]
    outside_schema = sorted(api_routes - {path for _m, path in operations})
    unknown_kwargs = sorted({k for p in web for k in p.kwargs} - set(KWARGS))
    unknown_api_kwargs = sorted(
        {k for _m, path in operations for k in re.findall(r"{(\w+)}", path)} - set(KWARGS)
    )
    stale = sorted(set(WEB_ROUTES) - {p.name for p in web}) + sorted(
        f"{m} {path}" for m, path in set(API_ROUTES) - set(operations)
    )

    # then every one is known, and so is every URL keyword
    assert not unclassified, f"unclassified URL patterns {unclassified}: " + (
        HOW_TO_CLASSIFY.format(table="WEB_ROUTES")
    )
    assert not unclassified_api, f"unclassified API operations {unclassified_api}: " + (
        HOW_TO_CLASSIFY.format(table="API_ROUTES")
    )
    assert not outside_schema, f"API URLs missing from the OpenAPI schema: {outside_schema}"
    assert not unknown_kwargs + unknown_api_kwargs, (
        f"unknown URL keywords {unknown_kwargs + unknown_api_kwargs}: add a factory of an "
        "organization-A object for each to KWARGS in tests/hub/test_isolation.py"
    )
    assert not stale, f"routes classified but gone (remove them from the tables): {stale}"


# --- requests ---------------------------------------------------------------------------


def _values(victim: Tenant) -> dict[str, object]:
    """Every URL keyword filled with an object of ``victim`` (created once, before a snapshot)."""
    return {key: make(victim) for key, make in KWARGS.items()}


def _web_url(pattern: WebPattern, values: dict[str, object]) -> str:
    return reverse(pattern.name, kwargs={k: values[k] for k in pattern.kwargs})


def _example(schema: dict[str, Any], components: dict[str, Any]) -> object:
    """A minimal value that satisfies ``schema`` (required fields only)."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "anyOf" in schema:
        return _example(schema["anyOf"][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: _example(schema["properties"][name], components)
            for name in schema.get("required", [])
        }
    if kind == "array":
        # Honour minItems so that a valid body reaches the permission check.
        return [_example(schema["items"], components)] * schema.get("minItems", 0)
    if kind == "string" and schema.get("format") in _STRING_FORMATS:
        return _STRING_FORMATS[schema["format"]]
    examples: dict[str, object] = {
        "string": "isolation@example.com",
        "integer": 1,
        "number": 1,
        "boolean": False,
    }
    return examples.get(str(kind))


_STRING_FORMATS = {"date": "2026-01-01", "date-time": "2026-01-01T00:00:00Z"}


def _api_body(operation: dict[str, Any]) -> str | None:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    return json.dumps(_example(content["schema"], _api_schema()["components"]["schemas"]))


def _api_call(
    client: Client,
    method: str,
    path: str,
    values: dict[str, object],
    headers: dict[str, str] | None = None,
) -> Response:
    url = _api_prefix() + path.format(**values)
    body = _api_body(_api_operations()[(method, path)])
    return client.generic(method, url, body or "", content_type="application/json", headers=headers)


def _bearer(raw_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw_token}"}


def _session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response: Response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]  # set on streaming responses
    return response.content.decode()


# --- organization B against organization A ----------------------------------------------


def test_web_routes_with_ids_answer_404_to_another_organization() -> None:
    # given organizations A and B, and B's admin logged in
    alpha, beta = tenant("zorvath"), tenant("quillon")
    values = _values(alpha)
    client = _session(beta.admin)
    targets = _scoped(ORG, with_ids=True)
    assert len(targets) >= 8
    before = _state()

    # when B's admin sends every method to every such route with A's ids
    answers = {
        (p.name, method): client.generic(method, _web_url(p, values)).status_code
        for p in targets
        for method in WEB_METHODS
    }

    # then each answers 404 (or 405 for a method the route does not allow) and A is untouched
    wrong = {key: status for key, status in answers.items() if status not in {404, 405}}
    assert not wrong, f"expected 404 for A's objects, got {wrong}"
    for p in targets:
        assert 404 in {answers[(p.name, m)] for m in WEB_METHODS}, p.name
    assert _state() == before


def test_account_routes_with_ids_answer_404_for_another_users_object() -> None:
    # given A's admin with a WebAuthn key, and B's admin logged in who just confirmed the
    # password (so allauth does not ask to re-authenticate before looking at the key)
    alpha, beta = tenant("zorvath"), tenant("quillon")
    values = _values(alpha)
    client = Client()
    login = client.post(reverse("account_login"), {"login": beta.admin.email, "password": PASSWORD})
    assert login.status_code == 302
    confirmed = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert confirmed.status_code == 302
    targets = _scoped(ACCOUNT, with_ids=True)
    assert targets
    before = _state()

    # when B's admin opens and posts to A's admin's key pages
    answers = {
        (p.name, m): client.generic(m, _web_url(p, values)).status_code
        for p in targets
        for m in WEB_METHODS
    }

    # then every answer is 404 (405 for a method the page does not take), nothing changed
    assert not {k: s for k, s in answers.items() if s not in {404, 405}}, answers
    for p in targets:
        assert 404 in {answers[(p.name, m)] for m in WEB_METHODS}, p.name
    assert _state() == before


def test_web_list_pages_show_only_the_own_organization() -> None:
    # given organizations A and B, each with a payment slip, and B's admin logged in
    alpha, beta = tenant("zorvath"), tenant("quillon")
    values = _values(alpha)
    _payment_slip(beta)
    client = _session(beta.admin)
    targets = _scoped(ORG, with_ids=False)

    # when B's admin opens every organization page without an id
    pages = {p.name: client.get(_web_url(p, values)) for p in targets}

    # then each shows B's data where it lists things, and never anything of A
    # (405: the route takes POST only)
    assert not {n: r.status_code for n, r in pages.items() if r.status_code not in {200, 405}}
    for name, response in pages.items():
        if response.status_code == 405:
            continue
        text = _text(response).lower()
        assert alpha.marker not in text, f"{name} shows data of another organization"
        if WEB_ROUTES[name].lists:
            assert beta.marker in text, f"{name} does not show the own organization's data"


@pytest.mark.parametrize("auth", ["session", "token"])
def test_api_operations_with_ids_answer_404_to_another_organization(auth: str) -> None:
    # given organizations A and B, and B's admin calling the API by session or token
    alpha, beta = tenant("zorvath"), tenant("quillon")
    values = _values(alpha)
    client = _session(beta.admin) if auth == "session" else Client()
    headers = _bearer(beta.admin_token) if auth == "token" else {}
    targets = [key for key in _api_classified() if "{" in key[1]]
    assert len(targets) >= 8
    before = _state()

    # when every operation with an id is called with A's ids
    answers = {key: _api_call(client, *key, values=values, headers=headers) for key in targets}

    # then every answer is a 404 identical to the one for an id that does not exist
    wrong = {f"{m} {p}": r.status_code for (m, p), r in answers.items() if r.status_code != 404}
    assert not wrong, f"expected 404 for A's objects, got {wrong}"
    missing = {key: _api_call(client, *key, values=MISSING, headers=headers) for key in targets}
    for key, response in answers.items():
        assert response.json() == missing[key].json(), key
        assert response.json()["code"].endswith("not-found"), key
    assert _state() == before


@pytest.mark.parametrize("auth", ["session", "token"])
def test_api_lists_show_only_the_own_organization(auth: str) -> None:
    # given organizations A and B with a slip each, B's admin calling by session or token
    alpha, beta = tenant("zorvath"), tenant("quillon")
    values = _values(alpha)
    _payment_slip(beta)
    client = _session(beta.admin) if auth == "session" else Client()
    headers = _bearer(beta.admin_token) if auth == "token" else {}
    targets = [k for k in _api_classified() if k[0] == "GET" and "{" not in k[1]]

    # when every GET without an id is called
    answers = {key: _api_call(client, *key, values=values, headers=headers) for key in targets}

    # then each answers 200 with B's data and nothing of A
    assert {k: r.status_code for k, r in answers.items()} == dict.fromkeys(answers, 200)
    for (method, path), response in answers.items():
        text = _text(response).lower()
        assert alpha.marker not in text, f"{method} {path} shows another organization's data"
        if API_ROUTES[(method, path)].lists:
            assert beta.marker in text, f"{method} {path} misses the own organization's data"


@pytest.mark.parametrize(
    "name", ["web:payment_slip_process", "web:payment_slip_reject", "web:payment_slip_export"]
)
def test_slip_actions_refuse_foreign_ids(name: str) -> None:
    # given A's pending payment slip, B's own slip, and B's admin logged in
    alpha, beta = tenant("zorvath"), tenant("quillon")
    foreign, own = _payment_slip(alpha), _payment_slip(beta)
    client = _session(beta.admin)
    before = _state()

    # when B's admin ticks A's slip (alone, or next to one of B's) and submits
    alone = client.post(reverse(name), {"ids": [foreign], "reason": "x", "debtor_iban": ""})
    mixed = client.post(reverse(name), {"ids": [own, foreign], "reason": "x"})

    # then both answer 404 and no slip changed, not even B's own
    assert (alone.status_code, mixed.status_code) == (404, 404)
    assert _state() == before


def test_sending_refuses_foreign_ids() -> None:
    # given A's document, B's own document, and B's admin logged in
    alpha, beta = tenant("zorvath"), tenant("quillon")
    foreign, own = _payment_slip(alpha), _payment_slip(beta)
    client = _session(beta.admin)
    before = _state()

    # when B's admin sends A's document (alone, or next to one of B's)
    alone = client.post(reverse("web:document_send"), {"ids": [foreign]})
    mixed = client.post(reverse("web:document_send"), {"ids": [own, foreign]})
    polled = client.get(reverse("web:document_exchange_rows"), {"ids": [foreign]})

    # then both answer 404, nothing changed, and the poll shows nothing of A
    assert (alone.status_code, mixed.status_code, polled.status_code) == (404, 404, 200)
    assert alpha.marker not in polled.content.decode().lower()
    assert _state() == before


def test_switching_to_a_foreign_organization_is_refused() -> None:
    # given organizations A and B, and B's admin logged in
    alpha, beta = tenant("zorvath"), tenant("quillon")
    client = _session(beta.admin)

    # when B's admin asks to work in A
    client.post(reverse("web:organization_switch"), {"organization": alpha.organization.pk})
    home = client.get(reverse("web:home"))
    api_org = client.get(_api_prefix() + "/organization")

    # then they still work in B
    assert alpha.marker not in home.content.decode().lower()
    assert beta.marker in home.content.decode().lower()
    assert api_org.json()["id"] == beta.organization.pk


# --- missing permission inside one's own organization -----------------------------------


def _permissioned_web() -> list[tuple[WebPattern, Permission]]:
    return [
        (p, permission)
        for p in _scoped(ORG)
        if (permission := WEB_ROUTES[p.name].permission) is not None
    ]


def _member_lacking(alpha: Tenant, permission: Permission) -> Any:
    others = sorted(p.value for p in Permission if p != permission)
    return alpha.member_without(f"lacks-{permission.value}@example.com", permissions=others)


def test_web_routes_answer_403_without_their_permission() -> None:
    # given organization A and, per permission, a member holding every other one
    alpha = tenant("zorvath")
    values = _values(alpha)
    lacking = {perm: _member_lacking(alpha, perm) for perm in {p for _w, p in _permissioned_web()}}
    before = _state()

    # when each member calls the routes that need the one permission they lack
    answers = {}
    for pattern, permission in _permissioned_web():
        client = _session(lacking[permission])
        for method in WEB_METHODS:
            status = client.generic(method, _web_url(pattern, values)).status_code
            answers[(pattern.name, method)] = status

    # then each answers 403 (405 for a method the route does not allow) and nothing changed
    assert not {k: s for k, s in answers.items() if s not in {403, 405}}, answers
    assert _state() == before


@pytest.mark.parametrize("auth", ["session", "token"])
def test_api_operations_answer_403_without_their_permission(auth: str) -> None:
    # given organization A and, per permission, a member (and token) holding every other one
    alpha = tenant("zorvath")
    values = _values(alpha)
    needed = {key: r.permission for key, r in API_ROUTES.items() if r.permission is not None}
    tokens: dict[Permission, str] = {}
    users = {}
    for permission in set(needed.values()):
        users[permission] = _member_lacking(alpha, permission)
        _token, tokens[permission] = services.api_token_create(
            organization=alpha.organization,
            user=users[permission],
            name=f"lacks {permission.value}",
            permissions=[p.value for p in Permission if p != permission],
            ip=None,
        )
    before = _state()

    # when each calls the operations that need the one permission it lacks
    answers = {}
    for key, permission in needed.items():
        if key not in _api_operations():
            continue
        if auth == "token":
            client, headers = Client(), _bearer(tokens[permission])
        else:
            client, headers = _session(users[permission]), {}
        answers[key] = _api_call(client, *key, values=values, headers=headers)

    # then each answers 403 with the permission-denied code and nothing changed
    wrong = {f"{m} {p}": r.status_code for (m, p), r in answers.items() if r.status_code != 403}
    assert not wrong, f"expected 403, got {wrong}"
    assert {r.json()["code"] for r in answers.values()} == {"permission-denied"}
    assert _state() == before


# --- nobody logged in -------------------------------------------------------------------


def test_anonymous_requests_to_private_routes_are_sent_to_login() -> None:
    # given organization A and nobody logged in
    alpha = tenant("zorvath")
    values = _values(alpha)
    client = Client()
    private = _scoped(ACCOUNT) + _scoped(ORG)
    before = _state()

    # when every private page is requested
    answers = {p.name: client.get(_web_url(p, values)) for p in private}
    api_answers = {key: _api_call(client, *key, values=values) for key in _api_classified()}

    # then the web sends to the login page (or refuses the method) and the API answers 401
    for name, response in answers.items():
        assert response.status_code in {302, 405}, (name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login")), name
    assert {k: r.status_code for k, r in api_answers.items()} == dict.fromkeys(api_answers, 401)
    assert _state() == before


def test_public_routes_answer_without_error() -> None:
    # given organization A and a user of B logged in
    alpha, beta = tenant("zorvath"), tenant("quillon")
    values = _values(alpha)
    client = _session(beta.admin)
    public = _scoped(PUBLIC)
    before = _state()

    # when every public page is opened (without submitting anything)
    answers = {p.name: client.get(_web_url(p, values)).status_code for p in public}

    # then none fails and none changes anything
    assert not {n: s for n, s in answers.items() if s >= 500}, answers
    assert _state() == before


def test_foreign_user_cannot_accept_an_invitation_by_link() -> None:
    # given A's pending invitation and a logged-in user of B who got hold of the link
    alpha, beta = tenant("zorvath"), tenant("quillon")
    client = _session(beta.member)
    before = _state()

    # when they open and submit the link
    url = reverse("web:invitation_landing", kwargs={"token": alpha.invitation_token})
    client.get(url)
    client.post(url)

    # then they did not become a member of A
    assert _state() == before
    assert not alpha.organization.memberships.filter(user=beta.member).exists()


def test_outsider_without_organization_sees_no_tenant_data() -> None:
    # given organization A and a verified user who belongs nowhere
    alpha = tenant("zorvath")
    values = _values(alpha)
    client = _session(verified_user("outsider@example.com"))

    # when they open every organization page and every API list
    pages = [client.get(_web_url(p, values)) for p in _scoped(ORG, with_ids=False)]
    apis = [
        _api_call(client, m, path, values=values)
        for m, path in _api_classified()
        if m == "GET" and "{" not in path
    ]

    # then none shows anything of A; the API refuses them
    assert all(alpha.marker not in _text(r).lower() for r in pages + apis)
    assert {r.status_code for r in apis} <= {401, 403}


# --- the partner space: another office, an unassigned accountant, another client ---------


def _partner_patterns() -> list[WebPattern]:
    return [p for p in _scoped(ORG, with_ids=True) if "client_id" in p.kwargs]


def _partner_answers(client: Client, values: dict[str, object]) -> dict[tuple[str, str], int]:
    """Each partner route by GET, and by POST with the sent id ticked and a reason."""
    answers = {}
    for p in _partner_patterns():
        url = _web_url(p, values)
        answers[(p.name, "GET")] = client.get(url).status_code
        body = {"ids": [values["sent_id"]], "reason": "x", "status": "received"}
        answers[(p.name, "POST")] = client.post(url, body).status_code
    return answers


def _carrying_the_sent_id(answers: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The answers where the sent id was asked for: in the URL, or ticked in a POST (the
    client's own list and table rightly answer when only the client id is its own)."""
    in_url = {p.name for p in _partner_patterns() if "sent_id" in p.kwargs}
    return {
        (name, method): status for (name, method), status in answers.items()
        if name in in_url or (method == "POST" and name not in {"web:client_documents",
                                                               "web:client_rows"})
    }  # fmt: skip


def _all_404(answers: dict[tuple[str, str], int]) -> None:
    assert not {k: s for k, s in answers.items() if s not in {404, 405}}, answers
    for name in {name for name, _method in answers}:
        assert 404 in {answers.get((name, m)) for m in WEB_METHODS}, name


def test_partner_routes_answer_404_to_another_office() -> None:
    # given office A with a client that sent a document, and office B with its own client
    alpha = tenant("zorvath")
    values = _values(alpha)
    beta = office_admin()
    own_client = admin_of()
    send(own_client, make_link(beta, own_client), make_slip(own_client))
    assert len(_partner_patterns()) >= 8
    client = _session(beta.user)
    before = _state()

    # when B's admin uses A's client id, and its own client id with A's sent document
    foreign = _partner_answers(client, values)
    mixed = _partner_answers(client, {**values, "client_id": own_client.organization_id})

    # then every answer is 404 (405: the method is not the route's) and nothing changed
    _all_404(foreign)
    _all_404(_carrying_the_sent_id(mixed))
    assert _state() == before


def test_partner_routes_answer_404_for_a_client_not_assigned_to_the_accountant() -> None:
    # given office A with a client, and an accountant of A not assigned to it
    alpha = tenant("zorvath")
    values = _values(alpha)
    accountant = make_membership(organization=alpha.organization, role="accountant")
    client = _session(accountant.user)
    before = _state()

    # when the accountant opens the client's pages
    answers = _partner_answers(client, values)
    listing = client.get(reverse("web:client_list")).content.decode().lower()

    # then none is there, as if the client did not exist
    _all_404(answers)
    assert f"{alpha.marker} client ag" not in listing
    assert _state() == before

    # and once assigned, the client's documents open
    exchange_services.client_assign(
        office=alpha.organization, client=Organization.objects.get(pk=_partner(alpha)[0]),
        user=accountant.user, actor=alpha.admin, ip=None,
    )  # fmt: skip
    detail = client.get(reverse("web:client_document_detail", kwargs={
        "client_id": values["client_id"], "sent_id": values["sent_id"]}))  # fmt: skip
    assert detail.status_code == 200


def test_a_client_of_the_office_never_sees_another_clients_documents() -> None:
    # given office A with client X (from the walk) and client Y, each having sent a document
    alpha = tenant("zorvath")
    values = _values(alpha)
    office = Membership.objects.get(organization=alpha.organization, user=alpha.admin)
    other = admin_of(make_organization(name="Quillon Client AG"))
    other_sent = send(other, make_link(office, other), make_slip(other))
    x_admin = Membership.objects.get(organization_id=_partner(alpha)[0], role="admin")
    before = _state()

    # when the office asks for Y's document under X's id, and X's admin for the office pages
    swapped = _partner_answers(_session(alpha.admin), {**values, "sent_id": other_sent.pk})
    as_client = _partner_answers(_session(x_admin.user), {**values, "sent_id": other_sent.pk})
    tab = _session(alpha.admin).get(
        reverse("web:client_documents", kwargs={"client_id": values["client_id"]})
    )

    # then Y's document is unknown under X, a client sees no office pages at all, and X's
    # tab lists X's document only
    _all_404(_carrying_the_sent_id(swapped))
    _all_404(as_client)
    assert [s.pk for s in tab.context["documents"]] == [values["sent_id"]]
    assert "quillon" not in tab.content.decode().lower()
    assert _state() == before


# --- the exchange: an office, its clients, and what crossed the links -------------------


def _api_get(client: Client, path: str) -> Response:
    return client.get(_api_prefix() + path)


def _same_404_as_missing(client: Client, path: str, missing_path: str) -> None:
    found, missing = _api_get(client, path), _api_get(client, missing_path)
    assert (found.status_code, missing.status_code) == (404, 404), path
    assert found.json() == missing.json(), path


def _client_ids(client: Client, client_id: int) -> list[int]:
    response = _api_get(client, f"/clients/{client_id}/documents")
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def _api_post(client: Client, path: str, body: dict[str, Any] | None = None) -> Response:
    return client.post(_api_prefix() + path, body or {}, content_type="application/json")


def test_an_office_sees_a_clients_documents_only_once_linked_and_only_what_was_sent() -> None:
    # given a company whose office asked for a link, and two payment slips of the company
    office, company = office_admin(), admin_of()
    link = make_link(office, company, accept=False)
    sent_slip = make_slip_to(company, creditor="Sent AG", amount="10.00")
    kept_slip = make_slip_to(company, creditor="Kept AG", amount="20.00")
    api = _session(office.user)
    client_id = company.organization.pk

    # when the office looks before the company accepted
    # then the company is not its client: 404, as for an organization that does not exist
    _same_404_as_missing(api, f"/clients/{client_id}/documents", "/clients/2000000000/documents")

    # when the company accepts and sends one slip
    link = exchange_services.client_link_accept(
        link=link, organization=company.organization, actor=company.user, ip=None
    )
    sent, _created = exchange_services.document_send(
        document=sent_slip, link=link, actor=company.user, ip=None
    )

    # then the office sees that one only; the company's documents themselves stay its own
    assert _client_ids(api, client_id) == [sent.pk]
    _same_404_as_missing(api, f"/documents/{kept_slip.pk}", "/documents/2000000000")
    _same_404_as_missing(api, f"/documents/{sent_slip.pk}", "/documents/2000000000")

    # when the link is revoked and the company tries to send the other slip
    exchange_services.client_link_revoke(
        link=link, organization=company.organization, actor=company.user, ip=None
    )
    refused = _api_post(
        _session(company.user), f"/documents/{kept_slip.pk}/send", {"link": link.pk}
    )

    # then nothing new crosses, and what was sent stays readable to the office
    assert (refused.status_code, refused.json()["code"]) == (409, "link-revoked")
    assert _client_ids(api, client_id) == [sent.pk]


def test_an_office_sees_only_the_categories_the_link_shared_when_they_were_sent() -> None:
    # given a link that shares payment slips only, a slip and an "other" document
    office, company = office_admin(), admin_of()
    link = make_link(office, company, categories=["payment_slip"])
    slip = make_slip_to(company, creditor="Shared AG", amount="30.00")
    letter = ingest(company, blank_pdf(), keep_unreadable_as_other=True).documents[0]
    sender = _session(company.user)
    api = _session(office.user)

    # when the company sends both, then shares "other" only and sends another slip
    first = _api_post(sender, f"/documents/{slip.pk}/send", {"link": link.pk})
    other = _api_post(sender, f"/documents/{letter.pk}/send", {"link": link.pk})
    narrowed = sender.patch(
        _api_prefix() + f"/client-links/{link.pk}",
        {"categories": ["other"]},
        content_type="application/json",
    )
    later = make_slip_to(company, creditor="Later AG", amount="40.00")
    refused = _api_post(sender, f"/documents/{later.pk}/send", {"link": link.pk})

    # then what was shared when it was sent crossed, nothing else
    assert first.status_code == 200
    assert (other.status_code, other.json()["code"]) == (422, "category-not-shared")
    assert narrowed.json()["categories"] == ["other"]
    assert (refused.status_code, refused.json()["code"]) == (422, "category-not-shared")
    assert _client_ids(api, company.organization.pk) == [first.json()["sending"]["id"]]


def test_an_accountant_sees_only_the_clients_assigned_to_them() -> None:
    # given an office with two clients, each of which sent a slip, and an accountant
    # who was given the first client only
    office = office_admin()
    first, second = admin_of(), admin_of()
    for company, bill in ((first, "s1_bill03"), (second, "s1_bill04")):
        link = make_link(office, company)
        exchange_services.document_send(
            document=make_slip(company, bill), link=link, actor=company.user, ip=None
        )
    accountant = make_membership(organization=office.organization, role=Role.ACCOUNTANT)
    exchange_services.client_assign(
        office=office.organization, client=first.organization, user=accountant.user,
        actor=office.user, ip=None,
    )  # fmt: skip
    api = _session(accountant.user)

    # when the accountant lists the clients and opens each
    listed = _api_get(api, "/clients").json()["items"]

    # then only the first is theirs; the second answers 404 like a client that does not exist
    assert [item["id"] for item in listed] == [first.organization.pk]
    assert len(_client_ids(api, first.organization.pk)) == 1
    second_id = second.organization.pk
    _same_404_as_missing(api, f"/clients/{second_id}/documents", "/clients/2000000000/documents")
    assert second.organization.name not in _text(_api_get(api, "/client-links"))


def test_a_client_never_sees_another_client_of_its_office_nor_the_offices_documents() -> None:
    # given an office with two clients; the second sent a slip; the office has its own slip
    office = office_admin()
    first, second = admin_of(), admin_of()
    first_link = make_link(office, first)
    second_link = make_link(office, second)
    theirs = make_slip(second, "s1_bill05")
    sent, _created = exchange_services.document_send(
        document=theirs, link=second_link, actor=second.user, ip=None
    )
    office_slip = make_slip(office, "s1_bill01")
    api = _session(first.user)
    missing_client = "/clients/2000000000/documents"

    # when the first client looks for the second client and for the office's documents
    clients = _api_get(api, "/clients")
    links = _api_get(api, "/client-links")

    # then it has no clients, sees its own link only, and every other id answers 404
    assert (clients.status_code, clients.json()["items"]) == (200, [])
    assert [item["id"] for item in links.json()["items"]] == [first_link.pk]
    assert second.organization.name not in _text(links)
    _same_404_as_missing(api, f"/clients/{second.organization.pk}/documents", missing_client)
    _same_404_as_missing(api, f"/clients/{office.organization.pk}/documents", missing_client)
    _same_404_as_missing(
        api,
        f"/clients/{second.organization.pk}/documents/{sent.pk}",
        "/clients/2000000000/documents/2000000000",
    )
    _same_404_as_missing(api, f"/documents/{theirs.pk}", "/documents/2000000000")
    _same_404_as_missing(api, f"/documents/{office_slip.pk}", "/documents/2000000000")
