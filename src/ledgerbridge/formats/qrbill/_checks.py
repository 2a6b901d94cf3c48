"""Check digits and character rules used by the QR-bill reader.

Pure functions over strings: IBAN (ISO 13616), QR reference (27 digits, recursive
mod 10), creditor reference (ISO 11649) and the character set of the Swiss
Implementation Guidelines QR-bill v2.3. The check digits are python-stdnum's
(``stdnum.iban``, ``stdnum.ch.esr``, ``stdnum.iso11649``); the thin wrappers add the
shape rules of the QR-bill that stdnum is more lenient about (27 digits exactly, no
all-zero reference, IBAN check digits 02-98).

>>> is_valid_iban("CH44 3199 9123 0008 8901 2"), is_qr_iban("CH4431999123000889012")
(True, True)
>>> is_valid_qr_reference("210000000003139471430009017")
True
>>> is_valid_creditor_reference("RF18539007547034")
True
"""

from __future__ import annotations

import re

from stdnum import iban as stdnum_iban
from stdnum import iso11649
from stdnum.ch import esr

__all__ = [
    "compact",
    "invalid_characters",
    "is_qr_iban",
    "is_valid_creditor_reference",
    "is_valid_iban",
    "is_valid_qr_reference",
    "qr_reference_check_digit",
]

_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")
_SCOR = re.compile(r"RF[0-9]{2}[A-Z0-9]{1,21}")
_QRR = re.compile(r"[0-9]{27}")
# ISO 13616 check digits are 98 minus a remainder mod 97 of 1..96: never 00, 01 or 99.
_MIN_CHECK, _MAX_CHECK = 2, 98


def compact(value: str) -> str:
    """Remove every space and upper-case: how references and IBANs are printed vs stored."""
    return value.replace(" ", "").upper()


def is_valid_iban(value: str) -> bool:
    """Generic IBAN check: shape, check digits 02-98 and mod-97 checksum (spaces ignored).

    >>> is_valid_iban("RF0072"), is_valid_iban("RF991X")  # mod 97 holds, check digits don't
    (False, False)
    """
    iban = compact(value)
    if not _IBAN.fullmatch(iban) or not _MIN_CHECK <= int(iban[2:4]) <= _MAX_CHECK:
        return False
    return stdnum_iban.is_valid(iban, check_country=False)


def is_qr_iban(iban: str) -> bool:
    """A QR-IBAN carries an institution ID (positions 5-9) from 30000 to 31999."""
    iid = compact(iban)[4:9]
    return iid.isdigit() and len(iid) == 5 and 30000 <= int(iid) <= 31999


def qr_reference_check_digit(digits: str) -> int:
    """The recursive mod-10 check digit over ``digits`` (the first 26 of a QR reference)."""
    return int(esr.calc_check_digit(digits))


def is_valid_qr_reference(value: str) -> bool:
    """27 digits, not all zero, the last one the recursive mod-10 check digit."""
    ref = compact(value)
    if not _QRR.fullmatch(ref) or set(ref) == {"0"}:
        return False
    return esr.is_valid(ref)


def is_valid_creditor_reference(value: str) -> bool:
    """ISO 11649: ``RF``, two check digits, 1-21 alphanumerics; mod 97 of the rotation is 1."""
    ref = compact(value)
    if not _SCOR.fullmatch(ref):
        return False
    return iso11649.is_valid(ref)


# IG QR-bill v2.3, 4.1.1: Basic Latin printable, Latin-1 Supplement, Latin Extended-A,
# plus Ș ș Ț ț and the euro sign (324 code points in all). One compiled class finds the
# characters outside it without a Python-level loop over every character of every field.
_NOT_PERMITTED = re.compile("[^\x20-\x7e\xa0-\u017f\u0218-\u021b\u20ac]")


def invalid_characters(text: str) -> str:
    """The characters of ``text`` outside the v2.3 permitted set, in order, deduplicated.

    >>> invalid_characters("Zürich ✓ Straße ✓ €")
    '✓'
    """
    return "".join(dict.fromkeys(_NOT_PERMITTED.findall(text)))
