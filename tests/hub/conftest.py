"""Fixtures shared by the hub tests: a real Chromium driving the live hub.

The browser is Debian's ``/usr/bin/chromium`` driven by Playwright's Python package (never
a downloaded browser). One browser per test session; each test opens fresh contexts
(cookie jars) from ``browser_context``, so two users can be logged in side by side. The
hub itself runs in pytest-django's ``live_server`` thread: the same process and the same
test database on SQLite and PostgreSQL, so tests set up data with the services and read
sent e-mails from ``django.core.mail.outbox``. Screenshots go to
``<artifacts>/browser/`` (the path is printed at the end of the run).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HOW_TO = (
    "Debian chromium is missing at /usr/bin/chromium: run `make install-test` "
    "(or `sudo apt-get install chromium`) to enable the browser tests"
)


def require_chromium(path: Path = CHROMIUM, environ: Mapping[str, str] = os.environ) -> None:
    """Skip (with how to enable) when Chromium is missing; in CI fail instead.

    CI must run acceptance B, so a missing browser there is an error, not a skip.
    """
    if path.exists():
        return
    if environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(HOW_TO)
    pytest.skip(HOW_TO)


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test keeps its own audit checkpoints: organization ids repeat between tests."""
    settings.LEDGERBRIDGE_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    return tmp_path / "audit-checkpoints"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Files stored by the test go to a temporary folder (``MEDIA_ROOT``)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    # The sync Playwright API keeps an asyncio loop in this thread while the browser is up,
    # and Django refuses ORM calls "from an async context" when it sees one (the tests'
    # own queries and the database flush between tests). The tests call the ORM from this
    # thread only between browser steps, never concurrently, so the guard is off while the
    # browser runs and restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Open a fresh browser context (own cookies) on the live hub; all closed at the end."""
    opened: list[BrowserContext] = []
    # Rate-limit counters live in the database cache, which a transactional flush keeps.
    cache.clear()

    def open_context(**options: Any) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-US")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(browser_context: Callable[..., BrowserContext]) -> Page:
    return browser_context().new_page()


@pytest.fixture
def shot(artifacts_dir: Path, request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as ``browser/<test>-<nn>-<name>.png`` and return its path."""
    folder = artifacts_dir / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name).strip("_")
    for stale in folder.glob(f"{test}-*.png"):  # from an earlier run of this test
        stale.unlink()
    taken: list[str] = []

    def take(page: Page, name: str) -> Path:
        taken.append(name)
        path = folder / f"{test}-{len(taken):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
