"""Issue 10, finding 5 in Chromium: the main pages work under the strict policy.

Every page is opened with a listener for ``securitypolicyviolation`` events and the
console: the policy must block nothing the hub itself serves (the browser reports each
blocked script or style, and a Permissions-Policy feature it does not know, on the
console), while htmx still runs its requests. Looked at on a laptop and a phone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.hub.conftest import PHONE
from tests.hub.factories import make_payment_slip, tenant, with_totp
from tests.hub.helpers import log_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
# Reports each violation on the console too, where the listener below collects it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


def _watched(context: BrowserContext) -> tuple[Page, list[str]]:
    """A page whose console errors and warnings (violations among them) are collected."""
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    messages: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            messages.append(f"{page.url}: {message.text}")

    page.on("console", collect)
    page.on("pageerror", lambda error: messages.append(f"{page.url}: {error}"))
    return page, messages


@pytest.mark.parametrize(("name", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)])
def test_main_pages_work_without_a_policy_violation(
    name: str,
    viewport: dict[str, int],
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
) -> None:
    # given an organization with a payment slip, its admin logged in, and a visitor
    acme = tenant("acme")
    slip = make_payment_slip(acme.organization)
    page, messages = _watched(browser_context(viewport=viewport))
    visitor, visitor_messages = _watched(browser_context(viewport=viewport))
    log_in(page, acme.admin.email)

    # when they open the main pages, filter the documents and create a token
    visitor.goto("/accounts/login/")
    shot(visitor, f"csp-login-{name}")
    visitor.goto("/api/v1/docs")
    expect(visitor.locator(".swagger-ui .info .title")).to_be_visible()
    unprotected: list[str] = []
    for path in (
        "/",
        f"/documents/{slip.pk}/",
        "/documents/upload",
        "/payment-slips/",
        "/scan/",
        "/members/",
        "/invitations/new",
        "/changelog/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/email/",
    ):
        response = page.goto(path)
        assert response is not None
        unprotected += [] if response.headers.get("content-security-policy") else [path]
        shot(page, f"csp{path.replace('/', '-').rstrip('-')}-{name}")
    page.goto("/documents/")
    if name == "phone":
        page.locator("#document-filters summary").click()

    def filtered_by_htmx(response: Response) -> bool:
        return "q=zzz" in response.url and response.request.headers.get("hx-request") == "true"

    with page.expect_response(filtered_by_htmx):
        page.fill("#id_q", "zzz")
    expect(page.locator("#document-table .empty")).to_be_visible()
    shot(page, f"csp-documents-filtered-{name}")
    page.goto("/changelog/")
    page.locator("table a").first.click()
    shot(page, f"csp-changelog-detail-{name}")
    page.goto("/tokens/")
    page.fill("input[name=name]", "Books")
    page.locator("input[name=permissions]").first.check()
    page.locator("form:has(input[name=name]) [type=submit]").first.click()
    expect(page.locator(".token-usage")).to_be_visible()
    shot(page, f"csp-token-created-{name}")

    # then every page had a policy that blocked nothing, and htmx swapped the table in
    assert unprotected == []
    assert messages == []
    assert visitor_messages == []


def test_two_factor_step_works_without_a_policy_violation(
    browser_context: Callable[..., BrowserContext],
    shot: Callable[[Page, str], Path],
) -> None:
    # given an admin with an authenticator app
    acme = tenant("acme")
    with_totp(acme.admin)
    page, messages = _watched(browser_context(viewport=LAPTOP))

    # when they log in and reach the code step
    log_in(page, acme.admin.email)
    step = page.reload()

    # then the step shows under the policy, with nothing blocked
    assert "/accounts/2fa/authenticate/" in page.url
    assert step is not None
    assert "script-src 'self' 'nonce-" in step.headers["content-security-policy"]
    expect(page.locator("input[name=code]")).to_be_visible()
    shot(page, "csp-2fa-authenticate")
    assert messages == []
