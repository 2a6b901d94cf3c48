"""Layout as measured in Chromium: tabs in view, tables inside their cards, folded filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from ledgerbridge.hub.identity.permissions import Permission, Role
from tests.hub.conftest import PHONE
from tests.hub.factories import make_membership, make_organization, verified_user
from tests.hub.helpers import client_for, log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.django_db

DESK = {"width": 1366, "height": 768}


def _admin(email: str, language: str = "en") -> None:
    make_membership(
        organization=make_organization(),
        user=verified_user(email, language=language),
        role=Role.ADMIN,
    )


def test_the_role_column_says_custom_after_custom_permissions() -> None:
    # given an employee given one more permission than the preset
    admin = make_membership(role=Role.ADMIN)
    make_membership(
        organization=admin.organization, role=Role.EMPLOYEE,
        permissions=[Permission.DOCUMENTS_VIEW, Permission.DOCUMENTS_UPLOAD, Permission.AUDIT_VIEW],
    )  # fmt: skip
    # when
    response = client_for(admin).get(reverse("web:member_list"))
    # then
    assert sorted(row["role"] for row in response.context["page"].object_list) == [
        "Administrator",
        "Custom",
    ]


def test_the_scan_login_names_the_role_as_the_members_page_does() -> None:
    # when
    page = Client().get(reverse("web:scan_app")).content.decode()
    # then
    assert "“Scan app” role" in page
    assert "“App” role" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "pl"])
def test_every_navigation_tab_is_in_view_at_1366_px(
    language: str,
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
) -> None:
    # given an administrator (every tab) in French or Polish
    _admin("ada@example.com", language)
    page = browser_context(
        viewport=DESK, locale=language, extra_http_headers={"Accept-Language": language}
    ).new_page()
    log_in(page, "ada@example.com")
    # when
    page.goto(reverse("web:document_list"))
    assert page.locator("html").get_attribute("lang") == language
    shot(page, f"nav-{language}")
    # then every tab lies fully inside the viewport
    boxes = page.locator(".mainnav li a").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.textContent.trim(), r.left >= 0 && r.right <= innerWidth]; })"
    )
    assert len(boxes) == 9  # with "Client links" (a company: no "Clients" tab)
    assert [name for name, inside in boxes if not inside] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_150_character_name_stays_inside_the_member_table(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given a member with a very long name
    admin = make_membership(user=verified_user("ada@example.com"), role=Role.ADMIN)
    make_membership(
        organization=admin.organization, role=Role.EMPLOYEE,
        user=verified_user("long@example.com", first_name="Maximilian" * 8, last_name="B" * 69),
    )  # fmt: skip
    for name, viewport in (("desk", DESK), ("phone", PHONE)):
        page = browser_context(viewport=viewport).new_page()
        log_in(page, "ada@example.com")
        # when
        page.goto(reverse("web:member_list"))
        shot(page, f"members-{name}")
        # then the table is no wider than its card, and the page no wider than the screen
        widths = page.evaluate(
            "() => { const t = document.querySelector('table.data');"
            " const c = t.closest('.card');"
            " return [t.getBoundingClientRect().width <= c.clientWidth + 0.5,"
            " document.documentElement.scrollWidth <= innerWidth]; }"
        )
        assert (name, widths) == (name, [True, True])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_document_filters_are_folded_and_the_file_input_is_a_button(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given
    _admin("ada@example.com")
    page = browser_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "ada@example.com")
    # when
    page.goto(reverse("web:document_list"))
    shot(page, "documents-phone")
    folded = page.evaluate("document.getElementById('document-filters').open")
    page.goto(reverse("web:document_upload"))
    shot(page, "upload-phone")
    # then the filters are folded, and the upload offers a styled button, not the raw input
    assert folded is False
    raw = page.locator("#id_files").bounding_box()
    assert raw is not None
    assert (raw["width"], raw["height"]) == (1, 1)
    assert page.locator(".file-button").is_visible()
    assert page.locator("#file-names").inner_text() == "No file chosen"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_desk_the_document_filters_stay_open(
    browser_context: Callable[..., BrowserContext], shot: Callable[[Page, str], Path]
) -> None:
    # given
    _admin("ada@example.com")
    page = browser_context(viewport=DESK).new_page()
    log_in(page, "ada@example.com")
    # when
    page.goto(reverse("web:document_list"))
    page.goto(reverse("web:payment_slip_list"))
    shot(page, "slips-desk")
    page.goto(reverse("web:document_list"))
    shot(page, "documents-desk")
    # then
    assert page.locator("#id_q").is_visible()
    assert page.locator("#document-filters > summary").is_hidden()
