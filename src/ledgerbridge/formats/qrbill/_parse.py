"""Split a QR-bill payload into its elements, check them and build a :class:`PaymentSlip`.

Structural breakage raises :class:`MalformedDocument`; every element rule that is broken
becomes a :class:`Finding` so that a slightly wrong bill can still be shown and booked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ledgerbridge.formats import swico
from ledgerbridge.formats.errors import ErrorCode, MalformedDocument
from ledgerbridge.formats.model import Address, Finding, PaymentSlip, Severity
from ledgerbridge.formats.qrbill import _checks

__all__ = ["parse_payload"]

_SEPARATOR = re.compile(r"\r\n|\n|\r")
_VERSION = re.compile(r"02[0-9]{2}")
_AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_COUNTRY = re.compile(r"[A-Z]{2}")
_BARE_CR = re.compile(r"\r(?!\n)")
_MIN_LINES = 31  # header (3) + account + 3 x 7 address lines + amount (2) + ref (3) + trailer
_MAX_ALTERNATIVE_PROCEDURES = 2
_MAX_AMOUNT = Decimal("999999999.99")
_MIN_AMOUNT = Decimal("0.01")
_MAX_ADDITIONAL_INFO = 140
_MAX_DECIMALS = 2
_IBAN_LENGTH = 21  # CH and LI IBANs
_QRR_LENGTH = 27
_ADDRESS_FIELDS = ("address_type", "name", "street", "building_number", "postal_code", "town")
# (max length) of each address line in the order of the payload; index 3 is 70 for "K".
_ADDRESS_MAX = (1, 70, 70, 16, 16, 35, 2)
_AMOUNT_MAX_LENGTH = 12
# IG v2.3: bill information starts with "//" and the two-character abbreviation of its syntax.
_BILL_INFORMATION = re.compile(r"//[A-Za-z0-9]{2}")
_LINE2 = 3
_COMBINED_LINE_MAX = 70


@dataclass
class _Findings:
    items: list[Finding] = field(default_factory=list)

    def error(self, code: str, location: str, message: str) -> None:
        self.items.append(Finding(Severity.ERROR, code, location, message))

    def warning(self, code: str, location: str, message: str) -> None:
        self.items.append(Finding(Severity.WARNING, code, location, message))

    def text(self, value: str, location: str, max_length: int | None) -> None:
        """Length and character-set rules shared by every element.

        ``max_length`` is ``None`` for an element whose own rule already bounds its length
        (IBAN, country code): one mistake gets one finding, not two.
        """
        if max_length is not None and len(value) > max_length:
            self.error(
                "qrbill-field-too-long",
                location,
                f"{len(value)} characters; at most {max_length} are allowed",
            )
        bad = _checks.invalid_characters(value)
        if bad:
            self.error(
                "qrbill-character-invalid",
                location,
                f"characters outside the QR-bill v2.3 set: {bad!r}",
            )


def _split(text: str, found: _Findings) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if _BARE_CR.search(text):
        found.warning("qrbill-separator-cr", "", "elements separated by CR alone (CR LF or LF)")
    lines = _SEPARATOR.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
        found.warning(
            "qrbill-trailing-separator",
            f"line {len(lines)}",
            "the last element ends with a line break",
        )
    cleaned = []
    for number, line in enumerate(lines, start=1):
        stripped = line.rstrip(" \t")
        if stripped != line:
            found.warning("qrbill-trailing-blanks", f"line {number}", "trailing blanks removed")
        cleaned.append(stripped)
    return cleaned


def _check_structure(lines: list[str]) -> None:
    if lines[0] != "SPC":
        raise MalformedDocument(
            ErrorCode.QRBILL_HEADER_INVALID, "line 1", "the QR type must be 'SPC'"
        )
    if len(lines) < _MIN_LINES:
        raise MalformedDocument(
            ErrorCode.QRBILL_TOO_FEW_LINES,
            f"line {len(lines)}",
            f"{len(lines)} elements; a QR-bill has at least {_MIN_LINES}",
        )
    if not _VERSION.fullmatch(lines[1]):
        raise MalformedDocument(
            ErrorCode.QRBILL_VERSION_UNSUPPORTED, "line 2", f"version {lines[1]!r} is not 02xx"
        )
    if lines[2] != "1":
        raise MalformedDocument(
            ErrorCode.QRBILL_CODING_TYPE_UNSUPPORTED, "line 3", f"coding type {lines[2]!r} is not 1"
        )
    if lines[30] != "EPD":
        raise MalformedDocument(
            ErrorCode.QRBILL_TRAILER_MISSING, "line 31", "the trailer 'EPD' is missing"
        )


def _address(lines: list[str], start: int, role: str, found: _Findings) -> Address | None:
    raw = lines[start : start + 7]
    if not any(raw):
        if role == "creditor":
            found.error("qrbill-creditor-missing", role, "the creditor address is empty")
        return None
    kind = raw[0]
    for offset, name in enumerate((*_ADDRESS_FIELDS, "country")):
        limit = _COMBINED_LINE_MAX if (offset == _LINE2 and kind == "K") else _ADDRESS_MAX[offset]
        found.text(raw[offset], f"{role}.{name}", None if name == "country" else limit)
    if kind not in ("S", "K"):
        found.error("qrbill-address-type-invalid", f"{role}.address_type", f"{kind!r} is not S")
    if not raw[1]:
        found.error("qrbill-address-name-missing", f"{role}.name", "the name is empty")
    if not _COUNTRY.fullmatch(raw[6]):
        found.error("qrbill-address-country-invalid", f"{role}.country", f"{raw[6]!r}")
    if kind == "K":
        return _combined(raw, role, found)
    if kind == "S" and not raw[4]:
        found.error(
            "qrbill-address-postal-code-missing",
            f"{role}.postal_code",
            "a structured address needs a postal code",
        )
    if kind == "S" and not raw[5]:
        found.error(
            "qrbill-address-town-missing", f"{role}.town", "a structured address needs a town"
        )
    values = [v or None for v in raw]
    return Address(*values)


def _combined(raw: list[str], role: str, found: _Findings) -> Address:
    found.warning(
        "qrbill-address-combined",
        f"{role}.address_type",
        "combined address type K is no longer permitted since QR-bill v2.3; use S",
    )
    if not raw[3]:
        found.error("qrbill-address-town-missing", f"{role}.town", "address line 2 is empty")
    if raw[4] or raw[5]:
        found.error(
            "qrbill-address-combined-extra",
            f"{role}.postal_code",
            "a combined address has no separate postal code or town",
        )
    # Address line 1 (street and number) goes to street, line 2 (postcode and town) to town.
    return Address("K", raw[1] or None, raw[2] or None, None, None, raw[3] or None, raw[6] or None)


def _amount(value: str, found: _Findings) -> Decimal | None:
    if not value:
        return None
    found.text(value, "amount", None)
    if not _AMOUNT.fullmatch(value):
        found.error("qrbill-amount-invalid", "amount", f"{value!r} is not a number")
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        found.error("qrbill-amount-invalid", "amount", f"{value!r} is not a number")
        return None
    if "." in value and len(value.split(".")[1]) > _MAX_DECIMALS:
        found.error("qrbill-amount-decimals", "amount", f"{value!r} has more than 2 decimals")
    elif not _MIN_AMOUNT <= amount <= _MAX_AMOUNT:
        found.error("qrbill-amount-range", "amount", f"{value} is outside 0.01 to 999999999.99")
    elif len(value) > _AMOUNT_MAX_LENGTH:  # a valid amount padded with zeros
        found.error(
            "qrbill-field-too-long",
            "amount",
            f"{len(value)} characters; at most {_AMOUNT_MAX_LENGTH} are allowed",
        )
    return amount


def _iban(value: str, found: _Findings) -> str:
    iban = _checks.compact(value)
    if iban != value:
        found.warning("qrbill-iban-spaces", "iban", "the IBAN is written with spaces or lower case")
    found.text(iban, "iban", None)
    if not iban:
        found.error("qrbill-iban-missing", "iban", "the account (IBAN) is empty")
    elif iban[:2] not in ("CH", "LI"):
        found.error("qrbill-iban-country", "iban", f"{iban[:2]!r}: only CH and LI IBANs")
    elif len(iban) != _IBAN_LENGTH or not iban[2:].isalnum():
        found.error("qrbill-iban-invalid", "iban", "a CH/LI IBAN has 21 characters")
    elif not _checks.is_valid_iban(iban):
        found.error("qrbill-iban-checksum", "iban", "the IBAN check digits are wrong")
    return iban


def _reference(ref_type: str, value: str, qr_iban: bool | None, found: _Findings) -> str | None:
    """``qr_iban`` is ``None`` when the IBAN is itself wrong: no rule then ties it to the type."""
    ref = value.replace(" ", "")
    if ref != value:
        found.warning("qrbill-reference-spaces", "reference", "the reference contains spaces")
    found.text(ref_type, "reference_type", 4)
    found.text(ref, "reference", 27)
    if ref_type not in ("QRR", "SCOR", "NON"):
        found.error("qrbill-reference-type-invalid", "reference_type", f"{ref_type!r}")
        return ref or None
    actual = _reference_kind(ref)
    if ref_type != "NON" and actual not in (None, ref_type):
        # A valid reference of the other kind: the type is what is wrong, and the rules
        # that tie the type to the IBAN would only repeat it.
        found.error(
            "qrbill-reference-type-invalid",
            "reference_type",
            f"the reference is a valid {actual} reference, but the type says {ref_type}",
        )
        return ref
    if qr_iban is True and ref_type != "QRR":
        found.error(
            "qrbill-qr-iban-requires-qrr", "reference_type", "a QR-IBAN needs a QR reference (QRR)"
        )
    if ref_type == "QRR" and qr_iban is False:
        found.error("qrbill-qrr-requires-qr-iban", "reference", "a QR reference needs a QR-IBAN")
    if ref_type == "NON":
        if ref:
            found.error("qrbill-reference-not-allowed", "reference", "type NON has no reference")
        return ref or None
    if not ref:
        found.error("qrbill-reference-missing", "reference", f"type {ref_type} needs a reference")
    elif ref_type == "QRR":
        _check_qrr(ref, found)
    else:
        _check_scor(ref, found)
    return ref or None


def _reference_kind(ref: str) -> str | None:
    if _checks.is_valid_qr_reference(ref):
        return "QRR"
    if _checks.is_valid_creditor_reference(ref):
        return "SCOR"
    return None


def _check_qrr(ref: str, found: _Findings) -> None:
    if len(ref) != _QRR_LENGTH or not ref.isdigit():
        found.error("qrbill-qrr-invalid", "reference", "a QR reference has 27 digits")
    elif not _checks.is_valid_qr_reference(ref):
        found.error("qrbill-qrr-check-digit", "reference", "the QR reference check digit is wrong")


def _check_scor(ref: str, found: _Findings) -> None:
    upper = ref.upper()
    if not re.fullmatch(r"RF[0-9]{2}[A-Z0-9]{1,21}", upper):
        found.error("qrbill-scor-invalid", "reference", "not an ISO 11649 creditor reference")
    elif not _checks.is_valid_creditor_reference(upper):
        found.error("qrbill-scor-checksum", "reference", "the creditor reference checksum is wrong")


def _additional(lines: list[str], found: _Findings) -> tuple[str | None, tuple[str, ...]]:
    message, bill_info = lines[29], (lines[31] if len(lines) > _MIN_LINES else "")
    found.text(message, "message", _MAX_ADDITIONAL_INFO)
    found.text(bill_info, "bill_information", _MAX_ADDITIONAL_INFO)
    if bill_info and not _BILL_INFORMATION.match(bill_info):
        found.error(
            "qrbill-bill-information-invalid",
            "bill_information",
            "bill information starts with '//' and the two-character name of its syntax",
        )
    if len(message) + len(bill_info) > _MAX_ADDITIONAL_INFO:
        found.error(
            "qrbill-field-too-long",
            "message+bill_information",
            f"message and bill information together exceed {_MAX_ADDITIONAL_INFO} characters",
        )
    procedures = tuple(lines[32:])
    if len(procedures) > _MAX_ALTERNATIVE_PROCEDURES:
        found.error(
            "qrbill-alternative-procedures-too-many",
            "alternative_procedures",
            f"{len(procedures)} alternative procedures; at most 2 are allowed",
        )
    for index, procedure in enumerate(procedures):
        found.text(procedure, f"alternative_procedures[{index}]", 100)
    return bill_info or None, procedures


def parse_payload(text: str) -> tuple[PaymentSlip, list[Finding]]:
    """Read the decoded text of a Swiss QR code into a payment slip and its findings.

    Raises :class:`MalformedDocument` when the text is not a QR-bill at all (wrong header,
    too few elements, unsupported version or coding type, no ``EPD`` trailer).
    """
    found = _Findings()
    lines = _split(text, found)
    _check_structure(lines)
    iban = _iban(lines[3], found)
    creditor = _address(lines, 4, "creditor", found)
    if any(lines[11:18]):
        found.error(
            "qrbill-ultimate-creditor-not-empty",
            "ultimate_creditor",
            "the ultimate creditor is reserved for future use and must be empty",
        )
    amount = _amount(lines[18], found)
    currency = lines[19]
    if not currency:
        found.error("qrbill-currency-missing", "currency", "the currency is empty")
    elif currency not in ("CHF", "EUR"):
        found.error("qrbill-currency-invalid", "currency", f"{currency!r}: only CHF and EUR")
    debtor = _address(lines, 20, "ultimate_debtor", found)
    iban_ok = not any(f.location == "iban" and f.is_error for f in found.items)
    qr_iban = _checks.is_qr_iban(iban) if iban_ok else None
    reference = _reference(lines[27], lines[28], qr_iban, found)
    bill_info, procedures = _additional(lines, found)
    bill = None
    if bill_info is not None and bill_info.startswith("//S1/"):
        bill, swico_findings = swico.decode(bill_info)
        found.items.extend(swico_findings)
    slip = PaymentSlip(
        iban=iban,
        amount=amount,
        currency=currency,
        reference_type=lines[27],
        reference=reference,
        message=lines[29] or None,
        bill_information=bill_info,
        creditor=creditor or Address(),
        ultimate_debtor=debtor,
        alternative_procedures=procedures,
        bill=bill,
    )
    return slip, found.items
