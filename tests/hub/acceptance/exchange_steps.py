"""Steps of the exchange stories in a real browser, for the acceptance tests to compose.

Each step is what a person does on the pages (fill, click), waits for the page that
follows and returns what the next step needs. The full end-to-end story of issue 11
(office adds a client -> the client registers and accepts -> documents cross -> statuses
flow back) is built from these; ``test_exchange_browser.py`` runs the join path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from tests.hub.factories import PASSWORD
from tests.hub.helpers import code_from_mail, link_path_from_mail

if TYPE_CHECKING:
    from collections.abc import Iterable

    from playwright.sync_api import Page

__all__ = [
    "accept_request",
    "add_client",
    "connect_office",
    "join_path_from_mail",
    "link_row",
    "open_join_link",
    "register_from_join",
    "submit",
]


def submit(page: Page, field: str) -> None:
    """Click the submit button of the form that holds the input named ``field``."""
    page.locator(f"form:has([name={field}]) [type=submit]").first.click()
    page.wait_for_load_state()


def _request(
    page: Page,
    direction: str,
    *,
    tax_id: str,
    email: str,
    country: str = "CH",
    categories: Iterable[str] | None = None,
    language: str = "en",
) -> None:
    page.goto(f"{reverse('web:link_create')}?direction={direction}")
    page.select_option("main select[name=country]", country)
    page.fill("input[name=tax_id]", tax_id)
    page.fill("input[name=email]", email)
    page.select_option("main select[name=language]", language)
    if categories is not None:
        wanted = set(categories)
        for box in page.locator("input[name=categories]").all():
            box.set_checked(box.get_attribute("value") in wanted)
    submit(page, "tax_id")


def add_client(page: Page, *, tax_id: str, email: str, **options: object) -> None:
    """An accounting office's admin (logged in) adds a client by tax ID and e-mail."""
    _request(page, "client", tax_id=tax_id, email=email, **options)  # type: ignore[arg-type]  # the keyword options of _request


def connect_office(page: Page, *, tax_id: str, email: str, **options: object) -> None:
    """A company's admin (logged in) connects its accounting office."""
    _request(page, "accounting_office", tax_id=tax_id, email=email, **options)  # type: ignore[arg-type]  # the keyword options of _request


def join_path_from_mail(email: str) -> str:
    """The path of the request's link in the last e-mail to ``email``."""
    return link_path_from_mail(email, "/links/join/")


def open_join_link(page: Page, email: str) -> str:
    """Follow the e-mailed request as a visitor; return its path."""
    path = join_path_from_mail(email)
    page.goto(path)
    page.wait_for_load_state()
    return path


def register_from_join(
    page: Page,
    *,
    email: str,
    organization: str,
    first_name: str = "Bea",
    last_name: str = "Boss",
    town: str = "Bern",
    password: str = PASSWORD,
) -> None:
    """From the request's welcome page: register account and organization (the tax ID is
    filled in and fixed), then enter the e-mailed code; ends on the accept step."""
    page.locator("main a.btn", has_text="Register and accept").click()
    page.wait_for_load_state()
    page.fill("input[name=name]", organization)
    page.fill("input[name=town]", town)
    page.fill("input[name=first_name]", first_name)
    page.fill("input[name=last_name]", last_name)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.check("input[name=accept_terms]")
    submit(page, "password2")
    page.fill("input[name=code]", code_from_mail(email))
    submit(page, "code")


def accept_request(page: Page, categories: Iterable[str] | None = None) -> None:
    """On the accept step (the join page or /links/<id>/accept): choose and accept."""
    if categories is not None:
        wanted = set(categories)
        for box in page.locator("input[name=categories]").all():
            box.set_checked(box.get_attribute("value") in wanted)
    page.locator("main form button[type=submit]", has_text="Accept").first.click()
    page.wait_for_load_state()


def link_row(page: Page, text: str) -> str:
    """The text of the row of the links list that mentions ``text`` (opens the list)."""
    page.goto(reverse("web:link_list"))
    return page.locator("tr", has_text=text).first.inner_text()
