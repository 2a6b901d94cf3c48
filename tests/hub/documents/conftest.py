"""Every documents test stores its files in its own temporary folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def _media(media: Path) -> Path:
    return media
