"""Conformance of the QR-bill, Swico S1, image and PDF readers with ``qrbill/`` of the corpus.

Payload vectors: ``valid`` => no error finding (and ``expected_fields`` where given);
``invalid`` => a :class:`FormatError` or error findings whose codes are exactly the ones
we map SwissQRBill's ``expected_error`` key to. Reference vectors check the IBAN, QR
reference and creditor reference functions. Swico vectors: the decoded bill information
equals ``expected_swico``/``lenient_decode``; broken parts give warnings. Renderings (PNG,
PDF) and every image of ``qrbill/generated`` must decode to exactly ``expected_fields``.
SVG is not an input format we promise: those renderings are skipped with that reason.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ledgerbridge.formats import (
    FormatError,
    PaymentSlip,
    ReadOptions,
    Severity,
    qrbill,
    read,
    swico,
)
from ledgerbridge.formats.model import Address, BillInformation
from tests.formats.conformance.corpus import Tally, manifest

TALLY = Tally("qrbill")

# SwissQRBill ValidationConstants key -> our codes (see the qrbill module docstring).
KEY_CODES = {
    "account_iban_invalid": {"qrbill-iban-invalid", "qrbill-iban-checksum"},
    "account_iban_not_from_ch_or_li": {"qrbill-iban-country"},
    "additional_info_too_long": {"qrbill-field-too-long"},
    "address_type_conflict": {"qrbill-address-combined-extra", "qrbill-address-type-invalid"},
    "alt_scheme_max_exceed": {"qrbill-alternative-procedures-too-many"},
    "amount_outside_valid_range": {"qrbill-amount-range"},
    "bill_info_invalid": {"qrbill-bill-information-invalid"},
    "number_invalid": {"qrbill-amount-invalid"},
    "country_code_invalid": {"qrbill-address-country-invalid"},
    "field_value_missing": {
        "qrbill-iban-missing",
        "qrbill-currency-missing",
        "qrbill-creditor-missing",
        "qrbill-address-name-missing",
        "qrbill-address-postal-code-missing",
        "qrbill-address-town-missing",
        "qrbill-reference-missing",
    },
    "field_value_too_long": {"qrbill-field-too-long"},
    "coding_type_unsupported": {"qrbill-coding-type-unsupported"},
    "currency_not_chf_or_eur": {"qrbill-currency-invalid"},
    # A decoder sees a 35th element as a broken structure; we name what it is: a third
    # alternative procedure.
    "data_structure_invalid": {
        "qrbill-header-invalid",
        "qrbill-too-few-lines",
        "qrbill-trailer-missing",
        "qrbill-alternative-procedures-too-many",
    },
    "qr_ref_invalid_use_for_non_qr_iban": {"qrbill-qrr-requires-qr-iban"},
    "cred_ref_invalid_use_for_qr_iban": {"qrbill-qr-iban-requires-qrr"},
    "qr_ref_missing": {"qrbill-qr-iban-requires-qrr"},
    "ref_invalid": {
        "qrbill-qrr-invalid",
        "qrbill-qrr-check-digit",
        "qrbill-scor-invalid",
        "qrbill-scor-checksum",
    },
    "ref_type_invalid": {"qrbill-reference-type-invalid"},
    "version_unsupported": {"qrbill-version-unsupported"},
}
_CHECKS = {
    "iban": qrbill.is_valid_iban,
    "qrr": qrbill.is_valid_qr_reference,
    "scor": qrbill.is_valid_creditor_reference,
}
_SVG = "SVG is not an input format ledgerbridge promises (only PDF and raster images)"


def _entries(prefix: str) -> list[dict[str, Any]]:
    return [e for e in manifest("qrbill") if e["file"].startswith(prefix)]


def _ids(entries: list[dict[str, Any]]) -> list[Any]:
    return [pytest.param(e, id=e["file"]) for e in entries]


def _address(expected: dict[str, Any] | None) -> Address | None:
    if expected is None:
        return None
    if expected["address_type"] == "K":
        # A combined address keeps line 1 in street and line 2 in town (qrbill docstring).
        return Address(
            "K",
            expected["name"],
            expected["address_line_1"],
            None,
            None,
            expected["address_line_2"],
            expected["country"],
        )
    return Address(
        address_type="S",
        name=expected["name"] or None,
        street=expected.get("street") or None,
        building_number=expected.get("house_no") or None,
        postal_code=expected.get("postal_code") or None,
        town=expected.get("town") or None,
        country=expected["country"],
    )


def _fields(slip: PaymentSlip) -> dict[str, Any]:
    """The part of ``expected_fields`` the model carries (header and trailer are checked
    by the reader but not kept)."""
    return {
        "account": slip.iban,
        "creditor": slip.creditor,
        "ultimate_creditor": None,
        "amount": None if slip.amount is None else str(slip.amount),
        "currency": slip.currency,
        "debtor": slip.ultimate_debtor,
        "reference_type": slip.reference_type,
        "reference": slip.reference,
        "unstructured_message": slip.message,
        "bill_information": slip.bill_information,
        "alternative_schemes": list(slip.alternative_procedures),
    }


def _expected(fields: dict[str, Any]) -> dict[str, Any]:
    wanted = {key: value for key, value in fields.items() if key not in _NOT_IN_MODEL}
    wanted["creditor"] = _address(fields["creditor"])
    wanted["debtor"] = _address(fields["debtor"])
    return wanted


_NOT_IN_MODEL = {"qr_type", "version", "coding_type", "trailer"}


def _error_codes(data: bytes) -> tuple[list[str], PaymentSlip | None]:
    try:
        result = qrbill.read(data, options=ReadOptions())
    except FormatError as err:
        return [err.code], None
    document = result.documents[0]
    assert isinstance(document.data, PaymentSlip)
    return [f.code for f in document.findings if f.is_error], document.data


@pytest.mark.parametrize("entry", _ids(_entries("vectors/payload/")))
def test_qrbill_payload_vector(entry: dict[str, Any]) -> None:
    # given
    data = entry["path"].read_bytes()
    # when
    codes, slip = _error_codes(data)
    if entry["expect"] == "valid":
        ok = not codes
    else:
        wanted = KEY_CODES[entry["expected_error"]["key"]]
        ok = bool(codes) and set(codes) <= wanted
    if ok and "expected_fields" in entry and slip is not None:
        ok = _fields(slip) == _expected(entry["expected_fields"])
    TALLY.record("payload", ok=ok)
    # then
    assert ok, codes


@pytest.mark.parametrize("entry", _ids(_entries("vectors/reference/")))
def test_qrbill_reference_vector(entry: dict[str, Any]) -> None:
    # given
    check = _CHECKS[entry["vector_kind"]]
    # when
    valid = check(entry["path"].read_text("utf-8"))
    TALLY.record("reference", ok=valid == (entry["expect"] == "valid"))
    # then
    assert valid == (entry["expect"] == "valid")


def _bill(expected: dict[str, Any]) -> BillInformation:
    def number(text: str) -> Decimal:
        return Decimal(text)

    vat_dates = [
        expected[k] for k in ("vat_date", "vat_start_date", "vat_end_date") if k in expected
    ]
    rates: list[tuple[Decimal, Decimal | None]] = [
        (number(rate), number(amount)) for rate, amount in expected.get("vat_rate_details", [])
    ]
    if "vat_rate" in expected:
        rates = [(number(expected["vat_rate"]), None)]
    return BillInformation(
        invoice_number=expected.get("invoice_number"),
        invoice_date=date.fromisoformat(expected["invoice_date"])
        if "invoice_date" in expected
        else None,
        customer_reference=expected.get("customer_reference"),
        vat_number=expected.get("vat_number"),
        vat_dates=tuple(date.fromisoformat(d) for d in vat_dates),
        vat_rates=tuple(rates),
        import_vat=tuple((number(r), number(a)) for r, a in expected.get("vat_import_taxes", [])),
        payment_conditions=tuple(
            (number(d), int(n)) for d, n in expected.get("payment_conditions", [])
        ),
    )


_SWICO_MISSES = {
    "vectors/swico-s1/lenient_08.txt": (
        "a well-formed Swico S1 string (an escaped slash '\\/' in the customer reference, "
        "tags 10/20/40 in order). Its source, SwissQRBill's escapedCharacters_unescaped, is a "
        "positive test: the decoder must return 405/1 and nothing is ignored. We decode it "
        "exactly as the manifest's own lenient_decode says, with no finding; the manifest "
        "labels every case of that test class invalid"
    ),
}


def _swico() -> list[Any]:
    params = []
    for entry in _entries("vectors/swico-s1/"):
        reason = _SWICO_MISSES.get(entry["file"])
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(entry, id=entry["file"], marks=marks))
    return params


@pytest.mark.parametrize("entry", _swico())
def test_qrbill_swico_vector(entry: dict[str, Any]) -> None:
    # given
    text = entry["path"].read_text("utf-8")
    # when
    bill, findings = swico.decode(text)
    problems = [f for f in findings if f.severity is not Severity.INFO]
    if entry["expect"] == "valid":
        ok = bill == _bill(entry["expected_swico"]) and not problems
    elif not text.startswith("//S1/"):
        ok = bill is None  # SwissQRBill: not Swico S1 at all
    else:
        ok = bill == _bill(entry.get("lenient_decode", {})) and bool(problems)
    TALLY.record("swico-s1", ok=ok)
    # then
    assert ok, (bill, findings)


def _rendered() -> list[Any]:
    params = []
    for entry in _entries("rendered/"):
        marks = [pytest.mark.skip(reason=_SVG)] if entry["file"].endswith(".svg") else []
        params.append(pytest.param(entry, id=entry["file"], marks=marks))
    return params


def _check_rendering(entry: dict[str, Any], group: str) -> None:
    result = read(entry["path"].read_bytes(), filename=entry["file"])
    slips = [d.data for d in result.documents if isinstance(d.data, PaymentSlip)]
    errors = [f.code for d in result.documents for f in d.findings if f.is_error]
    ok = len(slips) == entry.get("payload_count", 1) and not errors
    ok = ok and [_fields(s) for s in slips] == [_expected(entry["expected_fields"])]
    TALLY.record(group, ok=ok)
    assert ok, (errors, [_fields(s) for s in slips])


@pytest.mark.parametrize("entry", _rendered())
def test_qrbill_rendering(entry: dict[str, Any]) -> None:
    # given / when / then
    _check_rendering(entry, "rendered")


@pytest.mark.parametrize("entry", _ids(manifest("qrbill/generated")))
def test_qrbill_generated_image(entry: dict[str, Any]) -> None:
    # given / when / then
    _check_rendering(entry, f"generated-{entry['variant']}")


@pytest.mark.parametrize(
    "entry", _ids([e for e in _entries("rendered/") if e["file"].endswith(".svg")])
)
def test_qrbill_svg_rendering_is_refused_with_a_format_error(entry: dict[str, Any]) -> None:
    # given
    data = entry["path"].read_bytes()
    # when / then: unsupported input must fail cleanly, never be half-read
    with pytest.raises(FormatError):
        read(data, filename=entry["file"])


def test_qrbill_corpus_report() -> None:
    # given / when
    report = TALLY.report()
    # then
    print(report)  # the pass rates are the point of this test
    assert report.startswith("conformance qrbill:")
