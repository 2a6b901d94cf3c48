"""Conformance of the EN 16931 rules on CII with the shared corpus (``cii/manifest.json``).

Same expectations as :mod:`tests.formats.conformance.test_ubl_corpus` (fragments checked
with :func:`check_cii` for their asserted rules, full files through ``read``; the official
verdict wins where the source disagrees). Misses are strict xfails with their reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.formats.conformance.corpus import Tally
from tests.formats.conformance.test_ubl_corpus import check_entry, params

TALLY = Tally("en16931-cii")
# Every file of the folder passes; a future miss is added here as
# {file: reason}, which params() turns into a strict xfail.
_MISSES: dict[str, str] = {}


@pytest.mark.parametrize("entry", params("cii", _MISSES))
def test_cii_corpus_file(entry: dict[str, Any]) -> None:
    # given
    expected: list[str] = []
    # when
    misses = check_entry(entry, TALLY)
    # then
    assert misses == expected


def test_cii_corpus_report() -> None:
    # given / when
    report = TALLY.report()
    # then
    print(report)
    assert report.startswith("conformance en16931-cii:")
