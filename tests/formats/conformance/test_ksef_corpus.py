"""Conformance of the KSeF FA(3) reader with the shared corpus (``ksef/manifest.json``).

``expect: valid`` => no error finding; ``expect: invalid`` => an error finding or a
:class:`FormatError`. Misses are explicit strict xfails with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from ledgerbridge.formats import FormatError, read
from tests.formats.conformance.corpus import Tally, manifest, verdict

TALLY = Tally("ksef")

_MISSES = {
    "ksef-fop/fa3_podstawowa__FA_3_Przyklad_3_netto_brutto.xml": (
        "the corpus's expectation is XSD-only; two lines numbered 1 in a VAT invoice (a "
        "renderer fixture: the second line is not in P_13_1/P_15 either). The schema "
        "documents NrWierszaFa as the consecutive line number, so KSEF-LINE-DUPLICATE is an "
        "error; KSeF itself does not check it"
    ),
    "cirfmf-templates/java__invoice-template-fa-3-with-custom-subject_2.xml": (
        "the corpus's expectation is XSD-only; JST=1 (the invoice concerns a subordinate "
        "local-government unit) without the Podmiot3 with role 8 that the schema's "
        "documentation says must name it: KSEF-JST-PODMIOT3 is an error, although KSeF's "
        "submission check, which this integration-test template passes, does not enforce it"
    ),
    "ksefuj-error-cases/23-missing-bank-account-validation.xml": (
        "ksefuj rule, not KSeF's: NrRB (TNrRB, 10-34 characters) is any full account number; "
        "a 25-digit one is neither a Polish NRB (26 digits) nor an IBAN and may be a foreign "
        "domestic number, which has no check digits to verify"
    ),
}


def _params() -> list[Any]:
    params = []
    for entry in manifest("ksef"):
        reason = _MISSES.get(entry["file"])
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(entry, id=entry["file"], marks=marks))
    return params


@pytest.mark.parametrize("entry", _params())
def test_ksef_corpus_file(entry: dict[str, Any]) -> None:
    # given
    expected = entry["expect"]
    # when
    outcome, codes = verdict(entry)
    TALLY.record(entry["file"].split("/")[0], ok=outcome == expected)
    # then
    assert outcome == expected, codes


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
