"""Reads of the documents domain; every one takes the organization first.

A foreign or missing id raises :class:`~ledgerbridge.hub.core.errors.NotFound` alike, so
that nobody can learn which ids exist in other organizations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerbridge.hub.core.codes import ErrorCode
from ledgerbridge.hub.core.errors import Invalid, NotFound
from ledgerbridge.hub.documents.models import (
    Document,
    DocumentStatusChange,
    MailInbox,
    StorageUsage,
    StoredFile,
)
from ledgerbridge.hub.documents.searchtext import search_terms

if TYPE_CHECKING:
    from collections.abc import Collection

    from django.db.models import QuerySet

    from ledgerbridge.hub.identity.models import Organization

__all__ = [
    "document_count_this_month",
    "document_get",
    "document_in_category",
    "document_list",
    "document_status_history",
    "documents_of_category",
    "mail_inbox_by_address",
    "month_start",
    "payment_slip_exports",
    "payment_slip_get",
    "payment_slip_list",
    "payment_slips_by_ids",
    "pending_slips_version",
    "storage_used_bytes",
]


def month_start(now: datetime | None = None) -> datetime:
    """Midnight UTC of the first day of the current calendar month (plans count from it)."""
    now = now or timezone.now()
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def document_count_this_month(*, organization: Organization) -> int:
    """Documents the organization got since the month began (UTC): the plan's
    ``documents_per_month`` count, an index range scan on (organization, created_at)."""
    return Document.objects.filter(organization=organization, created_at__gte=month_start()).count()


def storage_used_bytes(*, organization: Organization) -> int:
    """The bytes of the organization's stored files, as the quota charge keeps them."""
    row = StorageUsage.objects.filter(organization_id=organization.pk).first()
    if row is not None:
        return int(row.used_bytes)
    return int(
        StoredFile.objects.filter(organization_id=organization.pk).aggregate(t=Sum("size"))["t"]
        or 0
    )


def document_list(
    *,
    organization: Organization,
    kind: str | None = None,
    status: str | None = None,
    source: str | None = None,
    duplicate: bool | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    search: str = "",
) -> QuerySet[Document]:
    """The organization's documents, newest first, filtered; ``search`` looks in the
    extracted fields (creditor, IBAN, reference, invoice number, amount) and the file
    name, blind to accents and case, with amounts in any regional format."""
    documents = Document.objects.filter(organization=organization).select_related(
        "file", "created_by"
    )
    if kind:
        documents = documents.filter(kind=kind)
    if status:
        documents = documents.filter(status=status)
    if source:
        documents = documents.filter(source=source)
    if duplicate is not None:
        documents = documents.filter(duplicate_of__isnull=not duplicate)
    if since is not None:
        documents = documents.filter(created_at__gte=since)
    if until is not None:
        documents = documents.filter(created_at__lt=until)
    for forms in search_terms(search):
        match = Q()
        for form in forms:
            match |= Q(search_text__icontains=form)
        documents = documents.filter(match)
    return documents.order_by("-created_at", "-id")


def document_in_category(documents: QuerySet[Document], category: str) -> QuerySet[Document]:
    """``documents`` narrowed to one category (a :class:`Document.Kind` value), as the
    partner space's category tabs show them.

    A category is the document's kind, with one widening: ``incoming_invoice`` also holds
    the payment slips that carry an invoice, i.e. a QR-bill whose Swico S1 bill
    information names an invoice number (the ``invoice_number`` column). Such a slip stays
    a ``payment_slip`` and is in that tab too. An unknown category is refused
    (``document-kind-invalid``, 422) rather than answering nothing.

    Filters only: the caller's queryset keeps its organization filter, order and joins.
    """
    if category not in Document.Kind.values:
        raise Invalid(ErrorCode.DOCUMENT_KIND_INVALID, _("Unknown document category."))
    if category == Document.Kind.INCOMING_INVOICE:
        slip_with_invoice = Q(kind=Document.Kind.PAYMENT_SLIP) & ~Q(invoice_number="")
        return documents.filter(Q(kind=category) | slip_with_invoice)
    return documents.filter(kind=category)


def documents_of_category(*, organization: Organization, category: str) -> QuerySet[Document]:
    """The organization's documents of one category, newest first (see
    :func:`document_in_category` for what a category holds)."""
    return document_in_category(document_list(organization=organization), category)


def document_get(*, organization: Organization, document_id: int) -> Document:
    """One document of the organization (NotFound for a foreign or missing id)."""
    document = (
        Document.objects.filter(organization=organization, pk=document_id)
        .select_related("file", "source_file", "created_by", "duplicate_of")
        .first()
    )
    if document is None:
        raise NotFound(ErrorCode.DOCUMENT_NOT_FOUND, _("No such document."))
    return document


def document_status_history(*, document: Document) -> QuerySet[DocumentStatusChange]:
    return DocumentStatusChange.objects.filter(
        organization_id=document.organization_id, document=document
    ).select_related("actor", "actor_token")


def payment_slip_list(
    *, organization: Organization, status: str | Collection[str] | None = None
) -> QuerySet[Document]:
    """The organization's payment slips in the order they arrived (oldest first), in
    ``status`` (one status or several)."""
    slips = Document.objects.filter(
        organization=organization, kind=Document.Kind.PAYMENT_SLIP
    ).select_related("file", "created_by")
    if isinstance(status, str):
        slips = slips.filter(status=status)
    elif status:
        slips = slips.filter(status__in=list(status))
    return slips.order_by("id")


def payment_slip_exports(
    *, organization: Organization, document_ids: Collection[int]
) -> dict[int, DocumentStatusChange]:
    """The latest export to a pain.001 file of each of these slips that was ever exported
    (whatever its status now): the history step with the file's ``message_id``, who, when."""
    steps = (
        DocumentStatusChange.objects.filter(
            organization=organization,
            document_id__in=list(document_ids),
            to_status=Document.Status.EXPORTED,
        )
        .select_related("actor", "actor_token")
        .order_by("document_id", "at", "id")
    )
    return {step.document_id: step for step in steps}


def payment_slip_get(*, organization: Organization, document_id: int) -> Document:
    slip = payment_slip_list(organization=organization).filter(pk=document_id).first()
    if slip is None:
        raise NotFound(ErrorCode.PAYMENT_SLIP_NOT_FOUND, _("No such payment slip."))
    return slip


def payment_slips_by_ids(*, organization: Organization, document_ids: list[int]) -> list[Document]:
    """The organization's payment slips with these ids, in the order given (one query);
    ``NotFound`` when any id is missing or foreign, like :func:`payment_slip_get`."""
    by_id = payment_slip_list(organization=organization).in_bulk(document_ids)
    if any(pk not in by_id for pk in document_ids):
        raise NotFound(ErrorCode.PAYMENT_SLIP_NOT_FOUND, _("No such payment slip."))
    return [by_id[pk] for pk in dict.fromkeys(document_ids)]


def pending_slips_version(*, organization: Organization) -> str:
    """A cheap fingerprint of the organization's payment slips, for ``ETag``s.

    One aggregate query: the number of slips, of pending ones, and the newest change.
    Any new slip or status change moves it (a status change sets ``updated_at``).
    """
    row = Document.objects.filter(
        organization=organization, kind=Document.Kind.PAYMENT_SLIP
    ).aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status=Document.Status.PENDING)),
        newest=Max("updated_at"),
        last_id=Max("id"),
    )
    newest = row["newest"].timestamp() if row["newest"] else 0
    return f"{row['total']}.{row['pending']}.{row['last_id'] or 0}.{newest:.6f}"


def mail_inbox_by_address(address: str) -> MailInbox | None:
    """The inbox that receives mail for ``address`` (case-insensitive), if any."""
    return (
        MailInbox.objects.filter(address__iexact=address.strip())
        .select_related("organization")
        .first()
    )
