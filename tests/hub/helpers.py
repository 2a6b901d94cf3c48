"""Small helpers of the hub tests: clients, codes from e-mails, TOTP, state snapshots.

The TOTP here is written from RFC 6238 (HMAC-SHA1, 30 s steps, 6 digits) rather than
borrowed from allauth, so a login that succeeds proves the hub speaks the standard that
authenticator apps speak.

>>> totp_at("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59)  # RFC 6238 test vector, SHA-1
'287082'

"A refused request changes nothing" is checked by comparing snapshots taken before and
after: every row of every identity table (the audit log included) and the stored files.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import importlib.util
import os
import re
import struct
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse
from lxml import etree

from ledgerbridge.hub.api.auth import SESSION_KEY
from ledgerbridge.hub.documents.models import Document, StoredFile
from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    User,
)
from ledgerbridge.hub.identity.plans import Plan, PlanLimit, Plans
from tests.hub.factories import PASSWORD

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import FilePayload, Page

_CODE = re.compile(r"^\s*([A-Z0-9]{3,8}(?:-[A-Z0-9]{3,8})?)\s*$", re.MULTILINE)
_LINK = re.compile(r"https?://[^\s\"'<>]+")
STEP = 30

# --- clients -------------------------------------------------------------------------


def client_for(membership: Membership) -> Client:
    """A test client logged in as the membership's user."""
    client = Client()
    client.force_login(membership.user)
    return client


def session_client(membership: Membership, *, enforce_csrf: bool = False) -> Client:
    """A logged-in browser session acting for ``membership``'s organization in the API."""
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.organization_id
    session.save()
    return client


def token_client(membership: Membership, permissions: list[str] | None = None) -> Client:
    """A client that sends a fresh API token of ``membership`` as ``Authorization: Bearer``."""
    _token, raw = services.api_token_create(
        organization=membership.organization,
        user=membership.user,
        name="test",
        permissions=permissions or list(membership.permissions),
        ip=None,
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


# --- e-mail --------------------------------------------------------------------------


def mails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def code_from_mail(address: str) -> str:
    """The code on a line of its own in the last e-mail sent to ``address``."""
    sent = mails_to(address)
    assert sent, f"no e-mail was sent to {address}"
    found = _CODE.search(str(sent[-1].body))
    assert found, f"no code in the e-mail to {address}:\n{sent[-1].body}"
    return found.group(1)


def link_path_from_mail(address: str, contains: str) -> str:
    """Path of the first link containing ``contains`` in the last e-mail to ``address``.

    The e-mail links point at ``SITE_URL``; the test server listens elsewhere, so only the
    path is kept.
    """
    sent = mails_to(address)
    assert sent, f"no e-mail was sent to {address}"
    for link in _LINK.findall(str(sent[-1].body)):
        if contains in link:
            return str(urlsplit(link).path)
    raise AssertionError(f"no link with {contains!r} in:\n{sent[-1].body}")


# --- TOTP ----------------------------------------------------------------------------


def totp_step(now: float | None = None) -> int:
    return int(time.time() if now is None else now) // STEP


def totp_at(secret: str, now: float) -> str:
    """The six-digit code an authenticator app shows for ``secret`` at ``now``."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", totp_step(now)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def totp_now(secret: str, *, offset_periods: int = 0) -> str:
    """The code for ``secret`` now, or ``offset_periods`` 30-second steps away."""
    return totp_at(secret, time.time() + offset_periods * STEP)


# --- state snapshots -----------------------------------------------------------------

_IDENTITY_MODELS: tuple[Any, ...] = (
    User,
    EmailAddress,
    Organization,
    Membership,
    Invitation,
    ApiToken,
    AuditEvent,
)


def snapshot(*, ignore: frozenset[str] = frozenset()) -> dict[str, list[dict[str, Any]]]:
    """Every row of every identity table, as plain values, without the ``ignore`` columns.

    A request made with a token records the token's use (``last_used_at``); pass that name
    in ``ignore`` when the point is that nothing *else* changed.
    """
    return {
        model.__name__: [
            {key: value for key, value in row.items() if key not in ignore}
            for row in model.objects.order_by("pk").values()
        ]
        for model in _IDENTITY_MODELS
    }


def identity_state() -> dict[str, Any]:
    """The identity columns a refused request must leave as they were, MFA included."""
    return {
        "users": sorted(User.objects.values_list("email", "is_active", "password")),
        "emails": sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
        "organizations": sorted(
            Organization.objects.values_list("id", "name", "tax_id", "require_mfa")
        ),
        "memberships": sorted(
            Membership.objects.values_list("id", "status", "role", "permissions")
        ),
        "invitations": sorted(
            Invitation.objects.values_list("id", "token_hash", "accepted_at", "revoked_at")
        ),
        "tokens": sorted(ApiToken.objects.values_list("id", "revoked_at")),
        "authenticators": sorted(Authenticator.objects.values_list("id", "type")),
        "audit": sorted(
            AuditEvent.objects.values_list("organization_id", "seq", "hash"),
            key=lambda row: (row[0] or 0, row[1]),
        ),
    }


def counts() -> tuple[int, int]:
    """(stored files, documents) in the database."""
    return StoredFile.objects.count(), Document.objects.count()


def storage_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# --- QR-bill corpus ------------------------------------------------------------------


def qrbill_address(expected: dict[str, Any] | None) -> dict[str, Any] | None:
    """A manifest address (SwissQRBill names) as the canonical model's JSON."""
    if expected is None:
        return None
    return {
        "address_type": expected["address_type"],
        "name": expected["name"] or None,
        "street": expected.get("street") or None,
        "building_number": expected.get("house_no") or None,
        "postal_code": expected.get("postal_code") or None,
        "town": expected.get("town") or None,
        "country": expected["country"],
    }


# --- pain.001 ------------------------------------------------------------------------

PAIN001_NS = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}"


def pain001_schema() -> etree.XMLSchema | None:
    """The ISO 20022 ``pain.001.001.09.xsd`` that the ``sepaxml`` package (MIT, dev extra)
    ships, read from the installed package, never copied here; ``None`` without it."""
    spec = importlib.util.find_spec("sepaxml")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "pain.001.001.09.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def pain001_amounts(root: etree._Element) -> dict[str | None, Decimal]:
    """Each credit transfer's end-to-end ID and instructed amount."""
    ns = PAIN001_NS
    return {
        tx.findtext(f"{ns}PmtId/{ns}EndToEndId"): Decimal(
            tx.findtext(f"{ns}Amt/{ns}InstdAmt") or ""
        )
        for tx in root.iter(f"{ns}CdtTrfTxInf")
    }


def pain001_message_id(root: etree._Element) -> str:
    """The ``MsgId`` of the file's group header."""
    return root.findtext(f"{PAIN001_NS}CstmrCdtTrfInitn/{PAIN001_NS}GrpHdr/{PAIN001_NS}MsgId") or ""


# --- browser -------------------------------------------------------------------------


def log_in(page: Page, email: str, *, password: str = PASSWORD, next_url: str = "") -> None:
    """Log in through the login form (then follow ``next_url``, if given)."""
    query = f"?next={next_url}" if next_url else ""
    page.goto(f"{reverse('account_login')}{query}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form:has([name=password]) [type=submit]").first.click()
    page.wait_for_load_state()


def log_out(page: Page) -> None:
    page.goto("/accounts/logout/")
    page.locator("main form[action*='logout'] [type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url


def file_payload(name: str, mime_type: str, data: bytes) -> FilePayload:
    """A file for Playwright's ``set_input_files``."""
    return {"name": name, "mimeType": mime_type, "buffer": data}


def use_plans(settings: Any, *plans: Plan, default: str | None = None) -> Plans:
    """Make ``plans`` the operator's plans for one test (pytest-django's ``settings``).

    A plan keyed ``unlimited`` is the one every organization made without a choice has
    (the built-in default when the test began).
    """
    catalogue = Plans(tuple(plans), default or plans[0].key)
    settings.LEDGERBRIDGE_PLANS = catalogue
    return catalogue


def limited(**limits: int) -> Plan:
    """The plan ``unlimited`` of the built-in default, with ``limits`` (PlanLimit names)."""
    return Plan("unlimited", "Unlimited", {PlanLimit(name): n for name, n in limits.items()})


# --- a database for a hub started in a child process ------------------------------------


@contextlib.contextmanager
def scratch_database(prefix: str) -> Iterator[str | None]:
    """A new, empty database for a hub in a child process, dropped afterwards.

    On the PostgreSQL run (``LEDGERBRIDGE_TEST_DATABASE_URL`` set) its URL, on the same
    server, named ``<prefix>_<pid>_<random>``; on the SQLite run ``None``: the child then
    keeps its database in its data dir. The child migrates it (``ledgerbridge serve``
    does, ``ledgerbridge migrate`` otherwise).
    """
    url = os.environ.get("LEDGERBRIDGE_TEST_DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg
    from psycopg import sql

    server = url.rsplit("/", 1)[0]
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))
