"""The document search is blind to accents and case on every database and finds amounts
however they are written (run on PostgreSQL with LEDGERBRIDGE_TEST_DATABASE_URL)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from ledgerbridge.hub.documents import selectors
from ledgerbridge.hub.documents.models import Document
from tests.hub.factories import admin_of, make_slip_to
from tests.hub.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "creditor"),
    [
        ("sorensen", "Søren Sørensen ApS"),
        ("SØRENSEN", "Søren Sørensen ApS"),
        ("MULLER", "Müller & Söhne AG"),
        ("muller sohne", "Müller & Söhne AG"),
        ("strasse", "Weißstraße Bau GmbH"),
        ("lodz", "Łódź Księgowość Sp. z o.o."),
        ("ksiegowosc", "Łódź Księgowość Sp. z o.o."),
        ("aero", "Ærø Færge A/S"),
        ("dorde", "Đorđe Petrović"),
        ("Zurich", "Zürich Versicherung"),
    ],
)
def test_search_folds_accents_case_and_letters_of_their_own(query: str, creditor: str) -> None:
    # given a slip to ``creditor`` and one to somebody else
    admin = admin_of()
    found = make_slip_to(admin, creditor=creditor, amount="10.00")
    make_slip_to(admin, creditor="Anderes Unternehmen AG", amount="20.00")
    # when
    result = selectors.document_list(organization=admin.organization, search=query)
    # then
    assert list(result) == [found]


@pytest.mark.parametrize(
    "query", ["3009.64", "3'009.64", "3\u2019009.64", "3009,64", "3 009.64", "3\xa0009,64",
              "3.009,64", "3,009.64", "3009"],
)  # fmt: skip
def test_search_finds_an_amount_written_in_any_regional_format(query: str) -> None:
    # given
    admin = admin_of()
    found = make_slip_to(admin, creditor="Muster AG", amount="3009.64")
    make_slip_to(admin, creditor="Muster AG", amount="309.64")
    # when
    result = selectors.document_list(organization=admin.organization, search=query)
    # then
    assert list(result) == [found]


def test_search_words_must_all_match() -> None:
    # given
    admin = admin_of()
    found = make_slip_to(admin, creditor="Müller AG", amount="3009.64")
    make_slip_to(admin, creditor="Müller AG", amount="12.00")
    make_slip_to(admin, creditor="Meier AG", amount="3009.64")
    # when
    result = selectors.document_list(organization=admin.organization, search="muller 3'009.64")
    # then
    assert list(result) == [found]


def test_the_pending_slip_list_searches_the_same_way() -> None:
    # given
    admin = admin_of()
    found = make_slip_to(admin, creditor="Søren Sørensen ApS", amount="3009.64")
    other = make_slip_to(admin, creditor="Meier AG", amount="12.00")
    # when
    page = client_for(admin).get(reverse("web:payment_slip_list"), {"q": "sorensen 3'009.64"})
    # then
    html = page.content.decode()
    assert f'id="slip-{found.pk}"' in html
    assert f'id="slip-{other.pk}"' not in html


def test_the_migration_fills_the_search_text_of_existing_documents() -> None:
    # given a document from before the column (its search text empty)
    admin = admin_of()
    slip = make_slip_to(admin, creditor="Søren Sørensen ApS", amount="3009.64")
    Document.objects.filter(pk=slip.pk).update(search_text="")
    migration = importlib.import_module(
        "ledgerbridge.hub.documents.migrations.0005_document_search_text"
    )
    # when
    migration.fill_search_text(apps, None)
    # then
    slip.refresh_from_db()
    assert slip.search_text == (
        "soren sorensen aps ch0731735141777631706 360837783533740681241586834 "
        "2025-0566 s1_bill01.txt 3009.64"
    )
