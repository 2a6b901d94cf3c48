"""The documents pages speak the reader's language: amounts, statuses, severities, offline text."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from ledgerbridge.hub.documents.models import Document
from tests.hub.factories import admin_of, ingest, qrbill_file
from tests.hub.helpers import client_for

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

WARNING = {"severity": "warning", "code": "swico-tag-unknown", "location": "x", "message": "m"}


def _slip(language: str, regional_format: str = "") -> tuple[Membership, Document]:
    member = admin_of()
    member.user.language = language
    member.user.regional_format = regional_format
    member.user.save(update_fields=["language", "regional_format"])
    photo, _entry = qrbill_file()
    scan = ingest(member, photo, filename="bill.png", source=Document.Source.SCAN)
    document = scan.documents[0]
    Document.objects.filter(pk=document.pk).update(
        amount=Decimal("289482.1"), currency="CHF", findings=[WARNING]
    )
    return member, document


@pytest.mark.parametrize(
    ("language", "region", "amount", "status", "severity"),
    [
        ("de", "de", "289.482,10", "Offen", "Warnung"),
        ("fr", "fr", "289\xa0482,10", "En attente", "Avertissement"),
        ("pl", "pl", "289\xa0482,10", "Oczekujący", "Ostrzeżenie"),
        ("de", "", "289'482.10", "Offen", "Warnung"),  # a Swiss organization's own format
    ],
)
def test_detail_shows_the_amount_status_history_and_severity_in_the_language(
    language: str, region: str, amount: str, status: str, severity: str
) -> None:
    # given a pending slip with a warning, read by a member who speaks ``language`` and
    # chose the regional format ``region`` (blank: the organization's)
    member, document = _slip(language, region)
    # when
    response = client_for(member).get(
        reverse("web:document_detail", kwargs={"document_id": document.pk})
    )
    # then
    page = response.content.decode()
    assert f"<strong>CHF\xa0{amount}</strong>" in page
    assert f"<strong>{status}</strong>" in page
    assert f">{severity}</span> <code>swico-tag-unknown</code>" in page
    assert ">warning<" not in page
    assert "289482" not in page


def test_lists_and_recent_scans_group_the_amount() -> None:
    # given a German-speaking member of a Swiss organization
    member, _document = _slip("de")
    client = client_for(member)
    # when
    pages = [
        client.get(reverse(name)).content.decode()
        for name in ("web:document_list", "web:payment_slip_list", "web:scan_recent")
    ]
    # then
    assert ["CHF\xa0289'482.10" in page for page in pages] == [True, True, True]


def test_the_scan_app_registers_its_worker_with_the_translated_offline_notice() -> None:
    # given
    member, _document = _slip("fr")
    # when
    page = client_for(member).get(reverse("web:scan_app")).content.decode()
    # then
    sw = reverse("web:scan_service_worker")
    assert f'data-sw="{sw}?lang=fr&amp;title=Vous%20%C3%AAtes%20hors%20ligne&amp;text=' in page
