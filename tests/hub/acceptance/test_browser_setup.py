"""The browser tests' own setup: a missing Chromium skips locally but fails in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hub.conftest import HOW_TO, require_chromium

MISSING = Path("/nonexistent/chromium")


def test_missing_chromium_fails_in_ci() -> None:
    # given no Chromium and a CI environment
    # when the browser tests ask for it
    # then they fail, naming how to install it
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        require_chromium(MISSING, {"CI": "true"})


def test_missing_chromium_skips_elsewhere_with_how_to() -> None:
    # given no Chromium on a developer machine
    # when the browser tests ask for it
    # then they are skipped with the how-to as reason
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_chromium(MISSING, {})
    assert str(skipped.value) == HOW_TO


def test_present_chromium_is_used(tmp_path: Path) -> None:
    # given an executable where Chromium is expected, in CI
    browser = tmp_path / "chromium"
    browser.touch()

    # when the browser tests ask for it
    # then nothing is skipped or failed
    require_chromium(browser, {"CI": "true"})
