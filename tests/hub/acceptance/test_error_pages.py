"""Items 8 and 9 of issue 9 in Chromium: the branded 403/404 pages, and the API docs offline.

The error pages are looked at on a desktop (1366x768) and a phone (390x844) in German, as
the user who meets them would; the API docs must render Swagger UI with every request to
a host other than the live server aborted, and must not even try to reach one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.hub.conftest import PHONE
from tests.hub.factories import tenant
from tests.hub.helpers import log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page, Route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}


def _no_wider_than_the_viewport(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


@pytest.mark.parametrize(("name", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)])
def test_missing_and_forbidden_pages_are_branded_in_german(
    name: str,
    viewport: dict[str, int],
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
) -> None:
    # given: the admin, and a member without any permission, both reading German
    acme = tenant("acme")
    clerk = acme.member_without("acme-clerk@example.com", permissions=[])
    for user in (acme.admin, clerk):
        user.language = "de"
        user.save(update_fields=["language"])
    admin_page = browser_context(viewport=viewport).new_page()
    log_in(admin_page, acme.admin.email)
    clerk_page = browser_context(viewport=viewport).new_page()
    log_in(clerk_page, clerk.email)
    # when
    missing = admin_page.goto("/documents/99999/")
    forbidden = clerk_page.goto("/members/")
    # then
    assert missing is not None
    assert missing.status == 404
    expect(admin_page.locator("h1")).to_have_text("Diese Seite gibt es nicht")
    expect(admin_page.locator("main a.btn")).to_have_text("Zurück zur Übersicht")
    expect(admin_page.locator("nav a[href='/members/']")).to_have_count(1)
    _no_wider_than_the_viewport(admin_page)
    shot(admin_page, f"404-{name}")
    assert forbidden is not None
    assert forbidden.status == 403
    expect(clerk_page.locator("h1")).to_have_text("Sie dürfen diese Seite nicht öffnen")
    _no_wider_than_the_viewport(clerk_page)
    shot(clerk_page, f"403-{name}")


@pytest.mark.parametrize(("name", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)])
def test_api_docs_render_with_the_outside_network_blocked(
    name: str,
    viewport: dict[str, int],
    browser_context: Callable[..., BrowserContext],
    live_server: object,
    shot: Callable[[Page, str], Path],
) -> None:
    # given: every request to another host than the live server fails, and is recorded
    own = urlsplit(str(live_server)).netloc
    outside: list[str] = []
    page = browser_context(viewport=viewport).new_page()

    def only_the_hub(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_hub)
    # when
    page.goto("/api/v1/docs")
    # then: Swagger UI drew the operations from the hub's own schema
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/organization").first
    expect(operation).to_be_visible()
    assert page.locator(".opblock").count() > 20
    shot(page, f"docs-{name}")
    assert outside == []
