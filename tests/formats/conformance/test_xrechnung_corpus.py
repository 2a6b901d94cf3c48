"""Conformance of the EN 16931 rules on XRechnung files with the shared corpus
(``xrechnung/manifest.json``): CEN rules plus the KoSIT BR-DE rules.

Same expectations as :mod:`tests.formats.conformance.test_ubl_corpus` (fragments checked
with :func:`check_cii` for their asserted rules, full files through ``read``; the official
verdict wins where the source disagrees). Misses are strict xfails with their reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.formats.conformance.corpus import Tally
from tests.formats.conformance.test_ubl_corpus import check_entry, params

TALLY = Tally("xrechnung")
# Every file of the folder passes; a future miss is added here as
# {file: reason}, which params() turns into a strict xfail.
_MISSES: dict[str, str] = {}


@pytest.mark.parametrize("entry", params("xrechnung", _MISSES))
def test_xrechnung_corpus_file(entry: dict[str, Any]) -> None:
    # given
    expected: list[str] = []
    # when
    misses = check_entry(entry, TALLY)
    # then
    assert misses == expected


def test_xrechnung_corpus_report() -> None:
    # given / when
    report = TALLY.report()
    # then
    print(report)
    assert report.startswith("conformance xrechnung:")
