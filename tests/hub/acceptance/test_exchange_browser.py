"""The join path of a client link in a real Chromium: from the office's form to an active link.

An office adds a client by tax ID and e-mail; the client, not on the hub yet, follows the
e-mailed link, registers with the tax ID filled in and fixed, enters the e-mailed code,
lands on the accept step and accepts; both sides see the link active. Screenshots (also
on a phone) go to ``<artifacts>/browser/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ledgerbridge.hub.exchange.models import ClientLink, LinkStatus
from ledgerbridge.hub.identity.models import Organization
from tests.hub.acceptance.exchange_steps import (
    accept_request,
    add_client,
    link_row,
    open_join_link,
    register_from_join,
)
from tests.hub.conftest import PHONE
from tests.hub.factories import new_uid, office_admin
from tests.hub.helpers import log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_adds_a_client_who_registers_from_the_mail_and_accepts(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given an accounting office whose admin is logged in
    office = office_admin(email="anna@treuhand.test")
    Organization.objects.filter(pk=office.organization_id).update(name="Treuhand Muster AG")
    desk = browser_context().new_page()
    log_in(desk, office.user.email)
    tax_id = new_uid()

    # when the office adds a client by tax ID and e-mail
    add_client(
        desk,
        tax_id=tax_id,
        email="bea@newco.test",
        categories=["incoming_invoice", "purchase_receipt", "bank_statement"],
    )
    shot(desk, "office-links-pending")
    pending_row = link_row(desk, tax_id)

    # and the client follows the e-mailed link on a phone and registers
    phone = browser_context(viewport=PHONE).new_page()
    open_join_link(phone, "bea@newco.test")
    shot(phone, "join-welcome-phone")
    welcome = phone.locator("main").inner_text()
    phone.locator("main a.btn", has_text="Register and accept").click()
    phone.wait_for_load_state()
    shot(phone, "join-register-phone")
    fixed = phone.locator("input[name=tax_id]")
    fixed_value, fixed_disabled = fixed.input_value(), fixed.is_disabled()
    phone.go_back()
    register_from_join(phone, email="bea@newco.test", organization="Newco AG")
    shot(phone, "join-accept-step-phone")
    accept_request(phone, categories=["incoming_invoice", "purchase_receipt"])
    shot(phone, "join-summary-phone")

    # then the office's list named the client by its tax ID only while pending ...
    assert "Waiting for acceptance" in pending_row
    assert "Treuhand Muster AG" in welcome
    assert fixed_disabled
    assert fixed_value == tax_id  # CHE-123.456.789, as people write it
    # ... the new organization carries the link's tax ID, and the link is active for both
    newco = Organization.objects.get(name="Newco AG")
    link = ClientLink.objects.get(office=office.organization)
    assert (link.status, link.client_id) == (LinkStatus.ACTIVE, newco.pk)
    assert link.categories == ["incoming_invoice", "purchase_receipt"]
    assert "Newco AG" in phone.locator("main").inner_text()
    active_row = link_row(desk, "Newco AG")
    shot(desk, "office-links-active")
    assert "Active" in active_row
    assert "My client" in active_row
