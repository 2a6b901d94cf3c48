"""Change-log details read as labelled text: yes/no, known keys labelled, unknown keys kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory
from ledgerbridge.hub.web.describe import (
    ACTION_LABELS,
    action_label,
    category_label,
    details_items,
    details_text,
)
from tests.hub.factories import admin_of
from tests.hub.helpers import client_for


def test_booleans_read_yes_or_no_and_known_keys_get_their_label() -> None:
    # given the details of a login and of a changed two-factor requirement
    login = {"signup": False}
    requirement = {"require_mfa": True}
    # when
    items = details_items(login) + details_items(requirement)
    # then
    assert items == [("New account", "no"), ("Two-factor authentication", "yes")]


def test_unknown_keys_and_values_stay_verbatim() -> None:
    # given
    details = {"new_key": "ab12", "weird": 3.5, "token_id": None, "kind": "new_kind"}
    # when
    items = details_items(details)
    # then
    assert items == [
        ("new_key", "ab12"),
        ("weird", "3.5"),
        ("API token", "—"),
        ("Kind", "new_kind"),
    ]


def test_records_lists_and_changes_read_as_sentences() -> None:
    # given what the ingest, the permission editor and the settings page record
    details = {
        "documents": [{"id": 4, "kind": "payment_slip", "duplicate_of": 2}, {"id": 5}],
        "after": {"role": "employee", "permissions": ["documents.view", "documents.upload"]},
        "changed": {"name": ["Old AG", "New AG"], "town": ["Bern", "Basel"]},
    }
    # when
    text = details_text(details)
    # then
    assert text == (
        "Documents: #4 (Kind: Payment slip, Duplicate of: #2), #5"
        " · After: Role: employee; Permissions: documents.view, documents.upload"
        " · Changed: Name: Old AG → New AG; Town: Bern → Basel"
    )


def test_long_values_are_cut_in_the_table_but_not_on_the_entry_page() -> None:
    # given
    details = {"filename": "x" * 200}
    # when
    short = details_items(details)
    full = details_items(details, shorten=False)
    # then
    assert short == [("File", "x" * 79 + "…")]
    assert full == [("File", "x" * 200)]


def test_labels_and_yes_no_follow_the_language() -> None:
    # given
    details = {"signup": True, "email": "a@b.ch"}
    # when
    with translation.override("de"):
        items = details_items(details)
    # then: yes/no from Django's own catalogue, the e-mail label from the portal's
    assert items[0][1] == "Ja"
    assert items[1] == ("E-Mail", "a@b.ch")


@pytest.mark.django_db
def test_change_log_shows_labelled_details_not_python_values() -> None:
    # given a login event as the account adapter records it
    admin = admin_of()
    services.audit_record(
        organization=admin.organization,
        actor=admin.user,
        subject_user=admin.user,
        category=AuditCategory.SECURITY,
        action=AuditAction.LOGIN_SUCCEEDED,
        details={"signup": False},
    )
    # when
    response = client_for(admin).get(reverse("web:audit_list"))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "<dt>New account</dt><dd>no</dd>" in body
    assert "signup" not in body
    assert "False" not in body


def test_document_events_read_as_labels_in_the_language_of_the_reader() -> None:
    # given what the ingest and the payment slip services record
    ingest = {"source": "upload", "documents": [{"id": 4, "kind": "payment_slip"}]}
    processed = {"document_id": 4, "from": "pending", "reason": ""}
    # when
    with translation.override("de"):
        labels = (category_label("documents"), action_label("ingest"))
        items = details_items(ingest) + details_items(processed)
    with translation.override("pl"):
        slip = action_label("payment-slip-processed")
    # then
    assert labels == ("Dokumente", "Dokument eingegangen")
    assert items == [
        ("Quelle", "Upload"),
        ("Dokumente", "#4 (Art: Einzahlungsschein)"),
        ("Dokument", "#4"),
        ("Von", "Offen"),
        ("Grund", "—"),
    ]
    assert slip == "Przetworzono blankiet wpłaty"


def test_every_action_the_services_record_has_a_label() -> None:
    # given every action code written by the identity, accounts and documents services
    src = Path(__file__).parents[4] / "src" / "ledgerbridge" / "hub"
    written = {
        code
        for path in src.rglob("*.py")
        for code in re.findall(r'action=(?:f?"|_mfa_event\(")([a-z0-9_-]+)', path.read_text())
    }
    # when: the slip services build their action from the status they set (and a
    # management command passes action="store_true" to argparse)
    written = {c for c in written if c not in {"payment-slip-", "store_true"}} | {
        "payment-slip-processed",
        "payment-slip-rejected",
        "locked",
        "unlocked",
        "reauthentication_failed",
    }
    # then
    assert sorted(written - set(ACTION_LABELS)) == []
