"""Conformance over corpus ``facturx-pdf``: Factur-X / ZUGFeRD 1 and 2 PDFs, read end to end.

Each PDF goes through :func:`ledgerbridge.formats.read` (PDF -> embedded XML -> CII
reader -> EN 16931 rules and the Factur-X profile element lists). ``expect: valid`` means
no error finding; ``expect: invalid`` means an error finding, or a :class:`FormatError`
refusing the file. MINIMUM and BASIC WL files are expected valid by the corpus, which is
why ``FX-NOT-AN-INVOICE`` is a warning.
The pass rates are printed by the last test (``pytest -rA`` or ``-s``).
"""

from __future__ import annotations

from typing import Any

import pytest

from ledgerbridge.formats import FormatError, Invoice, read
from tests.formats.conformance.corpus import Tally, manifest

TALLY = Tally("facturx-pdf")

MISSES = {
    "ZUGFeRDv2__Mustangproject__MustangGnuaccountingBeispielRE-20190610_507.pdf": (
        "BR-CL-11: the seller's legal registration ID has schemeID 9930, an EAS code (German "
        "VAT id) rather than an ISO 6523 ICD. CEN's code list rejects it, and so does the "
        "official Factur-X 1.09 EN16931 schematron (FX-SCH-A-000581, '@schemeID' not allowed); "
        "the 2019 source calls the file correct"
    ),
}


def _entries() -> list[Any]:
    params = []
    for entry in manifest("facturx-pdf"):
        reason = MISSES.get(entry["file"])
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(entry, id=entry["file"], marks=marks))
    return params


def _verdict(data: bytes) -> tuple[str, str]:
    try:
        result = read(data)
    except FormatError as err:
        return "invalid", err.code
    errors = [f.code for d in result.documents for f in d.findings if f.is_error]
    return ("invalid" if errors else "valid"), ",".join(errors)


@pytest.mark.parametrize("entry", _entries())
def test_facturx_pdf(entry: dict[str, Any]) -> None:
    # given
    data = entry["path"].read_bytes()

    # when
    verdict, detail = _verdict(data)

    # then
    ok = verdict == entry["expect"]
    TALLY.record(entry["expect"], ok=ok)
    assert ok, f"expected {entry['expect']}, got {verdict} ({detail})"


def test_facturx_pdf_invoice_data_is_read() -> None:
    # given
    entry = next(e for e in manifest("facturx-pdf") if e["file"].endswith("EN16931_Einfach.pdf"))

    # when
    (document,) = read(entry["path"].read_bytes()).documents

    # then
    assert (document.format.value, document.container.value, document.kind.value) == (
        "cii",
        "pdf",
        "invoice",
    )
    assert document.profile == entry["guideline"]
    assert isinstance(document.data, Invoice)
    assert document.data.number == "471102"


def test_facturx_pdf_report() -> None:
    # when
    report = TALLY.report()
    print(report)

    # then: the rates above are what the run measured; this guards against an empty run
    assert sum(TALLY.total.values()) == len(manifest("facturx-pdf"))
