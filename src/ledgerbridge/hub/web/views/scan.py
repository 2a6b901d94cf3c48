"""The scan app at ``/scan/``: a phone page that turns QR-bills into pending payment slips.

Flow: read, then confirm, then store. The phone decodes the QR code itself when the
browser can (``BarcodeDetector``) and sends the text; otherwise it sends a photo. Either
goes first to :func:`scan_preview`, which reads it with
:func:`~ledgerbridge.hub.documents.services.document_preview` (the ingest's own checks and
reading) and answers the fields (creditor, IBAN, amount, currency, reference, due date) WITHOUT
storing anything, so a wrong read costs nothing and leaves no slip to clean up in the
pending list. Only after the person confirms does :func:`scan_confirm` ingest the same
bytes with source ``scan`` and the phone's ``Idempotency-Key`` (the queue entry's id), so
a confirmation retried after a lost answer never creates a second slip. A photo is
therefore sent twice; the price of a preview that stores nothing.

Offline, the phone queues confirmed scans (IndexedDB) and sends them when the ``online``
event fires; photos taken offline are read and confirmed once back online. The page itself
is an installable PWA: :func:`scan_manifest` and :func:`scan_service_worker` (scope
``/scan/``, caching the app shell). Logging in on the page (an ``app`` role user, a normal
session) is what links the phone to the organization.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid, ServiceError
from ledgerbridge.hub.core.http import client_ip
from ledgerbridge.hub.documents import selectors, services
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity import services as identity_services
from ledgerbridge.hub.identity.permissions import Permission
from ledgerbridge.hub.identity.plans import Feature
from ledgerbridge.hub.web.decorators import org_permission_required
from ledgerbridge.hub.web.views.documents import ingest_outcome

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerbridge.hub.documents.services import IngestResult, PreviewDocument
    from ledgerbridge.hub.web.middleware import AuthedOrgRequest, OrgRequest

__all__ = [
    "scan_app",
    "scan_confirm",
    "scan_manifest",
    "scan_preview",
    "scan_receipt",
    "scan_recent",
    "scan_service_worker",
]

_RECENT = 20
_PAYLOAD_MAX_CHARS = 1000  # a QR-bill payload is at most 997 characters
_SW_SOURCE = "web/scan/sw.js"
# The files the phone needs to open the app without a network.
_SHELL_STATIC = (
    "web/app.css",
    "web/scan/scan.css",
    "web/scan/scan.js",
    "vendor/htmx.min.js",
    "web/scan/icon-192.png",
    "web/scan/icon.svg",
)


def _scan_input(request: AuthedOrgRequest) -> tuple[bytes, str]:
    """The scanned bytes: the decoded QR text (``payload``) or a ``photo`` upload."""
    payload = request.POST.get("payload", "")
    if payload:
        if len(payload) > _PAYLOAD_MAX_CHARS:
            raise Invalid(ErrorCode.QR_PAYLOAD_TOO_LONG, _("This is too long for a QR-bill."))
        return payload.encode("utf-8"), "qr-bill.txt"
    photo = request.FILES.get("photo")
    if photo is None:
        raise Invalid(ErrorCode.FILE_MISSING, _("Scan a QR-bill or take a photo of one."))
    return photo.read(services.max_upload_bytes() + 1), photo.name or "photo.jpg"


def _preview_fields(slip: PreviewDocument) -> dict[str, Any]:
    due = slip.due_date
    return {
        "creditor": slip.creditor_name,
        "iban": slip.iban,
        "amount": str(slip.amount) if slip.amount is not None else "",
        "currency": slip.currency,
        "reference": slip.reference,
        "due_date": due.isoformat() if due else "",
        "invoice_number": slip.invoice_number,
    }


def _error(exc: ServiceError) -> JsonResponse:
    return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=exc.status)


@org_permission_required(Permission.DOCUMENTS_UPLOAD)
@require_POST
def scan_preview(request: AuthedOrgRequest) -> HttpResponse:
    """Read the scan and answer its payment slips' fields; nothing is stored."""
    try:
        # The ingest checks the plan too (source scan); here the refusal comes before
        # the person confirms a read that could never be stored.
        identity_services.plan_require_feature(
            organization=request.organization, feature=Feature.SCAN_APP
        )
        data, filename = _scan_input(request)
        found = services.document_preview(
            organization=request.organization, data=data, filename=filename
        )
        slips = [d for d in found if d.kind == Document.Kind.PAYMENT_SLIP]
        if not slips:
            raise Invalid(ErrorCode.NO_PAYMENT_SLIP, _("This is a document, but not a QR-bill."))
    except ServiceError as exc:
        return _error(exc)
    return JsonResponse({"slips": [_preview_fields(slip) for slip in slips]})


def _scan_row(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "status": document.status,
        "creditor": document.creditor_name,
        "amount": str(document.amount) if document.amount is not None else "",
        "currency": document.currency,
        "duplicate_of": document.duplicate_of_id,
    }


@org_permission_required(Permission.DOCUMENTS_UPLOAD)
@require_POST
def scan_confirm(request: AuthedOrgRequest) -> HttpResponse:
    """Store the confirmed scan as payment slip(s); the same ``Idempotency-Key`` replays."""
    key = request.headers.get("Idempotency-Key", "")[:200] or None
    try:
        data, filename = _scan_input(request)
        result = services.document_ingest(
            organization=request.organization, data=data, filename=filename,
            source=Document.Source.SCAN, actor=request.user, idempotency_key=key,
            ip=client_ip(request),
        )  # fmt: skip
    except ServiceError as exc:
        return _error(exc)
    return _sent(result)


def _sent(result: IngestResult) -> JsonResponse:
    """What the app shows once a scan is stored: the outcome and the documents."""
    body = {
        "outcome": ingest_outcome(result),
        "documents": [_scan_row(d) for d in result.documents],
    }
    return JsonResponse(body, status=201 if result.created else 200)


@org_permission_required(Permission.DOCUMENTS_UPLOAD)
@require_POST
def scan_receipt(request: AuthedOrgRequest) -> HttpResponse:
    """Store a photo of a till receipt as a purchase receipt of the chosen ``category``, or
    of a paper document as the ``kind`` chosen (incoming invoice, ..., other).

    Nothing is previewed: a receipt without a QR code has nothing to confirm. A QR-bill
    photographed here is still read as the payment slip it is.
    """
    key = request.headers.get("Idempotency-Key", "")[:200] or None
    photo = request.FILES.get("photo")
    kind = request.POST.get("kind") or Document.Kind.PURCHASE_RECEIPT
    category = request.POST.get("category", "") if kind == Document.Kind.PURCHASE_RECEIPT else None
    try:
        if photo is None:
            raise Invalid(ErrorCode.FILE_MISSING, _("Take a photo of the receipt."))
        result = services.document_ingest(
            organization=request.organization,
            data=photo.read(services.max_upload_bytes() + 1), filename=photo.name or "receipt.jpg",
            source=Document.Source.SCAN, actor=request.user, idempotency_key=key,
            kind=kind, receipt_category=category, keep_unreadable_as_other=True,
            ip=client_ip(request),
        )  # fmt: skip
    except ServiceError as exc:
        return _error(exc)
    return _sent(result)


@org_permission_required(Permission.DOCUMENTS_UPLOAD)
@require_GET
def scan_recent(request: AuthedOrgRequest) -> HttpResponse:
    """The person's own recent scans with their status (polled by the app)."""
    scans = (
        selectors.document_list(organization=request.organization, source=Document.Source.SCAN)
        .filter(created_by=request.user)
        .select_related(None)[:_RECENT]
    )
    response = render(request, "web/scan/_recent.html", {"scans": list(scans)})
    response["Cache-Control"] = "no-store"
    return response


def _app_texts() -> dict[str, str]:
    """The sentences the app's script shows, translated here (the script has no catalogue)."""
    return {
        "reading": _("Reading the QR-bill…"),
        "noDetector": _(
            "This browser cannot read QR codes live: aim at the QR code and press "
            "“Take this picture”, or take a photo."
        ),
        "cameraDenied": _("The camera is not available. Take a photo instead."),
        "queuedOffline": _("Saved on this phone. It is sent as soon as you are online."),
        "photoOffline": _(
            "Photo saved on this phone. It is read when you are online; you confirm it then."
        ),
        "sent": _("Sent: the payment slip is in the pending list."),
        "existing": _("Already there: this QR-bill was sent before."),
        "duplicate": _("Sent, but flagged as a possible duplicate of an earlier slip."),
        "loginAgain": _("Your session has ended: log in again to send the waiting scans."),
        "failed": _("Refused"),
        "waiting": _("waiting"),
        "photo": _("Photo"),
        "qrText": _("QR-bill"),
        "openAmount": _("open amount"),
        "notQrBill": _("This QR code is not a Swiss QR-bill."),
        "discarded": _("Discarded."),
        "remove": _("Remove"),
        "recentOffline": _("Your recent scans are shown when you are online."),
        "networkError": _("No connection: the scan stays on this phone and is sent later."),
        "receiptSent": _("Sent: the receipt is kept as a purchase receipt."),
        "receiptOffline": _(
            "No connection: take the photo of the receipt again when you are online."
        ),
        "sending": _("Sending…"),
    }


@never_cache
@require_GET
def scan_app(request: HttpRequest) -> HttpResponse:
    """The app shell: the log-in form for a phone not yet linked, else the scanner."""
    req: OrgRequest = request  # type: ignore[assignment]  # the middleware set the attributes
    if not request.user.is_authenticated:
        return render(request, "web/scan/login.html", {"next": reverse("web:scan_app")})
    if req.membership is None:
        return render(request, "web/scan/no_org.html", status=403)
    if Permission.DOCUMENTS_UPLOAD not in req.org_permissions:
        return render(request, "web/403.html", {"permission": Permission.DOCUMENTS_UPLOAD},
                      status=403)  # fmt: skip
    context = {
        "organization": req.organization,
        "texts": _app_texts(),
        "receipt_categories": Document.ReceiptCategory.choices,
    }
    return render(request, "web/scan/app.html", context)


@require_GET
def scan_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (JSON), so that the phone can install the scan app."""
    manifest = {
        "name": _("ledgerbridge scan"),
        "short_name": _("LB Scan"),
        "description": _("Scan Swiss QR-bills into the pending payment slips."),
        "id": reverse("web:scan_app"),
        "start_url": reverse("web:scan_app"),
        "scope": reverse("web:scan_app"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f5f7fa",
        "theme_color": "#1f5fbf",
        "icons": [
            {"src": static("web/scan/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/scan/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("web/scan/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": static("web/scan/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }  # fmt: skip
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def _sw_source() -> str:
    found = finders.find(_SW_SOURCE)
    path = Path(
        found if isinstance(found, str) else Path(__file__).parents[1] / "static" / _SW_SOURCE
    )
    return path.read_text("utf-8")


@require_GET
def scan_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under ``/scan/`` so that its scope is the app."""
    shell = [reverse("web:scan_app"), reverse("web:scan_manifest")]
    shell += [static(name) for name in _SHELL_STATIC]
    source = _sw_source()
    version = hashlib.sha256(("\n".join(shell) + source).encode()).hexdigest()[:12]
    head = f"const SHELL = {json.dumps(shell)};\nconst VERSION = {json.dumps(version)};\n"
    response = HttpResponse(head + source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("web:scan_app")
    response["Cache-Control"] = "no-cache"
    return response
