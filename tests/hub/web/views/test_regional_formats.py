"""Amounts, dates, IBANs and references read the same on every page, in the regional
format of the organization (Swiss by default for a Swiss one) or of the user's choice."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.template import Context, Template
from django.urls import reverse

from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity import regional
from ledgerbridge.hub.identity.models import AuditEvent, Organization, User
from tests.hub.factories import admin_of, make_slip
from tests.hub.helpers import client_for

if TYPE_CHECKING:
    from ledgerbridge.hub.identity.models import Membership

pytestmark = pytest.mark.django_db


def _blocks_html(*blocks: str) -> str:
    spans = " ".join(f'<span class="grp">{block}</span>' for block in blocks)
    return f'<span class="grps">{spans}</span>'


IBAN_HTML = _blocks_html("CH07", "3173", "5141", "7776", "3170", "6")
REFERENCE_HTML = _blocks_html("36", "08377", "83533", "74068", "12415", "86834")


def _slip_in(country: str, *, language: str = "de") -> tuple[Membership, Document]:
    """A pending slip of 3009.64 EUR due on 7 December 2026 in an organization of ``country``."""
    member = admin_of()
    Organization.objects.filter(pk=member.organization_id).update(country=country)
    User.objects.filter(pk=member.user_id).update(language=language)
    slip = make_slip(member)
    Document.objects.filter(pk=slip.pk).update(
        amount=Decimal("3009.64"), due_date=date(2026, 12, 7)
    )
    return member, slip


@pytest.mark.parametrize(
    ("country", "amount", "due"),
    [
        ("CH", "EUR\xa03'009.64", "07.12.2026"),
        ("DE", "EUR\xa03.009,64", "07.12.2026"),
        ("PL", "EUR\xa03\xa0009,64", "07.12.2026"),
        ("GB", "EUR\xa03,009.64", "07/12/2026"),
    ],
)
def test_the_slip_list_writes_the_organizations_regional_format(
    country: str, amount: str, due: str
) -> None:
    # given a slip in an organization of ``country`` that chose no format
    member, _slip = _slip_in(country)
    # when
    page = client_for(member).get(reverse("web:payment_slip_list")).content.decode()
    # then
    assert f"<strong>{amount}</strong>" in page
    assert f'class="nowrap">{due}</td>' in page
    assert IBAN_HTML in page
    assert REFERENCE_HTML in page


@pytest.mark.parametrize(
    ("country", "amount", "received"),
    [("CH", "EUR\xa03'009.64", r"\d\d\.\d\d\.\d{4} \d\d:\d\d"),
     ("DE", "EUR\xa03.009,64", r"\d\d\.\d\d\.\d{4} \d\d:\d\d")],
)  # fmt: skip
def test_the_document_list_writes_the_organizations_regional_format(
    country: str, amount: str, received: str
) -> None:
    # given
    member, _slip = _slip_in(country, language="en")
    # when
    page = client_for(member).get(reverse("web:document_list")).content.decode()
    # then
    assert amount in page
    assert re.search(rf'class="nowrap">{received}</td>', page)
    assert "a.m." not in page
    assert "p.m." not in page


def test_the_detail_writes_the_iban_and_qr_reference_in_blocks() -> None:
    # given
    member, slip = _slip_in("CH")
    # when
    page = (
        client_for(member)
        .get(reverse("web:document_detail", kwargs={"document_id": slip.pk}))
        .content.decode()
    )
    # then
    assert f'<dd class="mono">{IBAN_HTML}</dd>' in page
    assert f'<dd class="mono break">{REFERENCE_HTML}</dd>' in page
    assert "<dd>07.12.2026</dd>" in page


def test_a_member_may_write_amounts_their_own_way() -> None:
    # given a member of a Swiss organization who prefers the British format
    member, _slip = _slip_in("CH")
    client = client_for(member)
    # when
    response = client.post(reverse("web:preferences"), {"language": "en", "regional_format": "gb"})
    page = client.get(reverse("web:payment_slip_list")).content.decode()
    # then
    assert response.status_code == 302
    user = User.objects.get(pk=member.user_id)
    assert (user.language, user.regional_format) == ("en", "gb")
    assert "<strong>EUR\xa03,009.64</strong>" in page
    assert 'class="nowrap">07/12/2026</td>' in page


def test_preferences_refuse_an_unknown_format_and_change_nothing() -> None:
    # given
    member = admin_of()
    client = client_for(member)
    # when
    response = client.post(reverse("web:preferences"), {"language": "de", "regional_format": "xx"})
    # then
    assert response.status_code == 200
    assert "regional_format" in response.context["form"].errors
    user = User.objects.get(pk=member.user_id)
    assert (user.language, user.regional_format) == ("en", "")


def test_an_admin_chooses_the_organizations_format_in_the_settings() -> None:
    # given a Swiss organization that writes in the German format from now on
    member, _slip = _slip_in("CH")
    client = client_for(member)
    data = {"name": "Muster AG", "regional_format": "de"}
    # when
    response = client.post(reverse("web:organization_settings"), data)
    page = client.get(reverse("web:payment_slip_list")).content.decode()
    # then
    assert response.status_code == 302
    organization = Organization.objects.get(pk=member.organization_id)
    assert organization.regional_format == "de"
    event = AuditEvent.objects.filter(organization=organization, action="settings_changed").first()
    assert event is not None
    assert event.details["changed"]["regional_format"] == ["", "de"]
    assert "<strong>EUR\xa03.009,64</strong>" in page


def test_the_settings_offer_the_countrys_format_as_the_default() -> None:
    # given
    member = admin_of()
    # when
    page = client_for(member).get(reverse("web:organization_settings")).content.decode()
    # then
    assert '<option value="" selected>As usual in the country — 3&#x27;009.64 · 07.12.2026' in page


def test_the_scan_app_gets_the_regional_format_for_its_script() -> None:
    # given
    member, _slip = _slip_in("DE")
    # when
    page = client_for(member).get(reverse("web:scan_app")).content.decode()
    # then
    assert 'data-group="." data-decimal="," data-date="d.m.Y"' in page


@pytest.mark.parametrize(
    ("region", "html"),
    [
        ("ch", "CHF\xa03'009.64 · 07.12.2026"),
        ("de", "CHF\xa03.009,64 · 07.12.2026"),
        ("pl", "CHF\xa03\xa0009,64 · 07.12.2026"),
        ("gb", "CHF\xa03,009.64 · 07/12/2026"),
    ],
)
def test_the_filters_write_the_active_region(region: str, html: str) -> None:
    # given
    template = Template("{% load ledger_l10n %}{{ amount|money:currency }} · {{ day|short_date }}")
    context = Context({"amount": Decimal("3009.64"), "currency": "CHF", "day": date(2026, 12, 7)})
    # when
    with regional.override(region):
        rendered = template.render(context)
    # then
    assert rendered == html


def test_the_money_filter_escapes_the_currency() -> None:
    # given
    template = Template("{% load ledger_l10n %}{{ amount|money:currency }}")
    # when
    with regional.override("ch"):
        rendered = template.render(Context({"amount": "1", "currency": "<b>"}))
    # then
    assert rendered == "&lt;b&gt;\xa01.00"
