"""Conformance of the KSeF FA(3) reader with the shared corpus (``ksef/manifest.json``).

``expect: valid`` => no error finding; ``expect: invalid`` => an error finding or a
:class:`FormatError`. Misses are explicit strict xfails with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from ledgerbridge.formats import FormatError, read
from tests.formats.conformance.corpus import Tally, manifest

TALLY = Tally("ksef")

_DUMMY_NIP = (
    "the fixture's seller NIP 1234567890 has a wrong check digit; we report "
    "KSEF-NIP-CHECKSUM as an error, the XSD-derived expectation ignores check digits"
)
_MISSES = {
    "ksef-fop/fa3_korygujaca__FA_3_Przyklad_4.xml": _DUMMY_NIP,
    "ksef-fop/fa3_obciazeniowa__FA_3_obciazeniowa.xml": _DUMMY_NIP,
    "ksef-fop/fa3_obciazeniowa__FA_3_obciazeniowa_rozliczona.xml": _DUMMY_NIP,
    "ksef-fop/fa3_zalacznik__FA_3_Zalacznik_Przyklad_1.xml": _DUMMY_NIP,
    "ksef-fop/fa3_podstawowa__FA_3_Przyklad_3_netto_brutto.xml": (
        "two lines numbered 1 in a VAT invoice: KSEF-LINE-DUPLICATE is an error for us "
        "(NrWierszaFa is the consecutive line number), the XSD cannot express uniqueness"
    ),
    "ksefuj-error-cases/05-jst1-without-podmiot3.xml": (
        "ksefuj rule; FA(3) documents Podmiot3 role 8 as the way to share the invoice, not "
        "as a validity condition (the MF CIRFMF template omits it): we give a warning"
    ),
    "ksefuj-error-cases/17-gv1-without-podmiot3.xml": (
        "ksefuj rule; FA(3) documents Podmiot3 role 10 as the way to share the invoice, not "
        "as a validity condition: we give a warning"
    ),
    "ksefuj-error-cases/23-missing-bank-account-validation.xml": (
        "a 25-digit account number may be a foreign one (TNrRB allows 10-34 characters); "
        "only 26-digit NRBs and IBANs can be checked"
    ),
    "ksefuj-error-cases/25-negative-quantities.xml": (
        "ksefuj rule; a negative quantity on a VAT invoice is allowed by FA(3): we warn "
        "(KSEF-LINE-NEGATIVE-QUANTITY)"
    ),
}


def _params() -> list[Any]:
    params = []
    for entry in manifest("ksef"):
        reason = _MISSES.get(entry["file"])
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(entry, id=entry["file"], marks=marks))
    return params


def _verdict(entry: dict[str, Any]) -> tuple[str, list[str]]:
    try:
        result = read(entry["path"].read_bytes(), filename=entry["file"])
    except FormatError as err:
        return "invalid", [err.code]
    codes = [f.code for d in result.documents for f in d.findings if f.is_error]
    return ("invalid" if codes else "valid"), codes


@pytest.mark.parametrize("entry", _params())
def test_ksef_corpus_file(entry: dict[str, Any]) -> None:
    # given
    expected = entry["expect"]
    # when
    verdict, codes = _verdict(entry)
    TALLY.record(entry["file"].split("/")[0], ok=verdict == expected)
    # then
    assert verdict == expected, codes


def test_ksef_corpus_schema_checks_agree_with_the_xsd_verdict() -> None:
    # given
    entries = [e for e in manifest("ksef") if e.get("verified", {}).get("well_formed")]
    # when
    disagreements = []
    for entry in entries:
        try:
            result = read(entry["path"].read_bytes(), filename=entry["file"])
        except FormatError as err:  # a root that is not an FA(3) Faktura
            schema = [err.code]
        else:
            findings = result.documents[0].findings
            schema = [f.code for f in findings if f.code.startswith("KSEF-SCHEMA")]
        if (not schema) != entry["verified"]["xsd_valid"]:
            disagreements.append((entry["file"], schema))
    # then
    assert disagreements == []


def test_ksef_corpus_report() -> None:
    # given / when
    report = TALLY.report()
    # then
    print(report)
    assert report.startswith("conformance ksef:")
