"""Conformance of the EN 16931 rules on UBL with the shared corpus (``ubl/manifest.json``).

``scope: rules`` fragments (CEN unit tests) are checked with :func:`check_ubl` on the parsed
tree and only for their ``asserted`` rules: ``error`` rules must fire as errors, ``success``
rules must not fire, ``warning`` rules must fire as warnings. Full files go through
:func:`ledgerbridge.formats.read`: ``valid`` => no error finding, ``invalid`` => an error
finding (or a ``FormatError``) whose code is one of the manifest ``rules`` when given.

Where the source and today's official artefacts disagree (``verification_agrees: false``)
the official verdict (``verified.verdict``, CEN schematron 1.3.16) is the expectation:
our rules implement that schematron. Misses are strict xfails with their reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from ledgerbridge.formats import FormatError, ReadOptions, read
from ledgerbridge.formats.en16931 import check_cii, check_ubl
from ledgerbridge.formats.xmlsafe import parse
from tests.formats.conformance.corpus import Tally, manifest

TALLY = Tally("en16931-ubl")
_CII_ROOT = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
# Every file of the folder passes; a future miss is added here as
# {file: reason}, which params() turns into a strict xfail.
_MISSES: dict[str, str] = {}


def expectation(entry: dict[str, Any]) -> str:
    """The verdict to test against: the official one where the source disagrees."""
    if entry.get("verification_agrees") is False:
        return str(entry["verified"]["verdict"])
    return str(entry["expect"])


def fragment_misses(entry: dict[str, Any]) -> list[str]:
    """The asserted rules of a ``scope: rules`` fragment that our checks get wrong."""
    root = parse(entry["path"].read_bytes(), options=ReadOptions())
    findings = check_cii(root) if root.tag == _CII_ROOT else check_ubl(root)
    errors = {f.code for f in findings if f.is_error}
    warnings = {f.code for f in findings if not f.is_error}
    asserted = entry["asserted"]
    return [
        *(f"{r} did not fire" for r in asserted["error"] if r not in errors),
        *(f"{r} fired" for r in asserted["success"] if r in errors),
        *(f"{r} gave no warning" for r in asserted["warning"] if r not in warnings),
    ]


def file_misses(entry: dict[str, Any]) -> list[str]:
    """Why a full file's verdict differs from its expectation (empty when it agrees)."""
    try:
        result = read(entry["path"].read_bytes(), filename=entry["file"])
    except FormatError as err:
        codes = [err.code]
    else:
        codes = sorted({f.code for d in result.documents for f in d.findings if f.is_error})
    if expectation(entry) == "valid":
        return [f"unexpected errors {codes}"] if codes else []
    wanted = set(entry["rules"]) if entry.get("verification_agrees") is not False else set()
    if not codes or (wanted and not wanted & set(codes)):
        return [f"errors {codes}, expected one of {sorted(wanted) or 'any'}"]
    return []


def check_entry(entry: dict[str, Any], tally: Tally) -> list[str]:
    misses = fragment_misses(entry) if entry.get("scope") == "rules" else file_misses(entry)
    tally.record(entry["file"].split("/")[0], ok=not misses)
    return misses


def params(folder: str, misses: dict[str, str]) -> list[Any]:
    result = []
    for entry in manifest(folder):
        reason = misses.get(entry["file"])
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        result.append(pytest.param(entry, id=entry["file"], marks=marks))
    return result


@pytest.mark.parametrize("entry", params("ubl", _MISSES))
def test_ubl_corpus_file(entry: dict[str, Any]) -> None:
    # given
    expected: list[str] = []
    # when
    misses = check_entry(entry, TALLY)
    # then
    assert misses == expected


def test_ubl_corpus_report() -> None:
    # given / when
    report = TALLY.report()
    # then
    print(report)
    assert report.startswith("conformance en16931-ubl:")
