"""Write ISO 20022 ``pain.001.001.09`` credit transfer orders for Swiss banks (SPS 2022).

A pure writer: :func:`write_pain001` turns a debtor account and a list of
:class:`Pain001Payment` values into the bytes of a *CustomerCreditTransferInitiation*
following the Swiss Payment Standards (SIX, Swiss Implementation Guidelines for
Customer-Bank Messages, Credit Transfer, version 2.x for ``pain.001.001.09.ch.03``). The
message uses the ISO namespace, as SPS 2022 does, so it is also valid against the ISO
``pain.001.001.09.xsd`` (the tests check that whenever the schema is at hand).

Structure: one ``GrpHdr`` (MsgId, CreDtTm in UTC, NbOfTxs, CtrlSum, InitgPty with the
software name in ``CtctDtls``), then one ``PmtInf`` per currency, in the order the
currencies first appear (all share the one requested execution date), each with
``PmtMtd`` TRF, its own NbOfTxs/CtrlSum, ``ReqdExctnDt/Dt``, the debtor, its IBAN and its
agent. The debtor agent is the BIC when one is given; otherwise, for a Swiss or
Liechtenstein IBAN, the institution ID (IID, positions 5-9 of the IBAN) as
``ClrSysMmbId`` of the Swiss clearing system ``CHBCC``; otherwise ``Othr/Id`` =
``NOTPROVIDED``. Each transaction carries ``PmtId/InstrId`` (its 1-based position in the
message) and ``EndToEndId``, ``Amt/InstdAmt`` with exactly two decimals, the creditor's
name and structured postal address, its IBAN and the remittance information:

=========  ===================================================================
reference  ``RmtInf``
=========  ===================================================================
``QRR``    ``Strd/CdtrRefInf/Tp/CdOrPrtry/Prtry`` = ``QRR``, ``Ref`` (27 digits)
``SCOR``   ``Strd/CdtrRefInf/Tp/CdOrPrtry/Cd`` = ``SCOR``, ``Ref`` (ISO 11649)
``NON``    ``Ustrd`` = the unstructured message (no ``RmtInf`` without one)
=========  ===================================================================

With QRR or SCOR the unstructured message goes to ``Strd/AddtlRmtInf``, where the SPS
put the QR-bill's additional information.

Characters: free text (names, address parts, the message) is reduced to the SPS
character set (Basic Latin printable, Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț and
€, the set the QR-bill shares): typographic quotes and dashes become ``'`` ``"`` ``-``,
other characters lose their diacritics when that yields permitted ones (``ǎ`` -> ``a``,
``ﬁ`` -> ``fi``),
white space and control characters become one space, and anything left (another script,
an emoji) becomes ``.``; see :func:`transliterate`. Identifiers (MsgId, EndToEndId) are
never rewritten, since the bank reports them back: they must be 1-35 characters of the
SWIFT set ``a-z A-Z 0-9 / - ? : ( ) . , ' +`` and space.

Bad input raises :class:`~ledgerbridge.formats.errors.RuleViolation`, with the field as
location (``payments[2].amount``) and one of these codes: ``pain001-no-payments``,
``pain001-id-invalid``, ``pain001-end-to-end-id-duplicate``, ``pain001-created-at-not-utc``,
``pain001-iban-invalid``, ``pain001-bic-invalid``, ``pain001-amount-invalid`` (not a finite
:class:`~decimal.Decimal`), ``pain001-amount-not-positive``,
``pain001-amount-precision`` (more than two decimals: never rounded silently),
``pain001-amount-too-large``, ``pain001-currency-unknown`` (not an ISO 4217 currency with
two minor units), ``pain001-reference-type-unknown``, ``pain001-qrr-iban-country`` (QRR to
an IBAN outside CH/LI), ``pain001-qrr-needs-qr-iban``, ``pain001-qr-iban-needs-qrr``,
``pain001-qrr-currency`` (QRR in neither CHF nor EUR), ``pain001-reference-invalid``,
``pain001-reference-unexpected`` (a reference with type NON), ``pain001-text-missing``,
``pain001-text-too-long``, ``pain001-country-invalid``.

>>> from datetime import UTC, date, datetime
>>> from decimal import Decimal
>>> from lxml import etree
>>> payment = Pain001Payment(
...     end_to_end_id="INV-1", amount=Decimal("199.5"), currency="CHF",
...     creditor_name="Müller & Söhne", creditor_iban="CH93 0076 2011 6238 5295 7",
...     creditor_address=Pain001Address(town="Bern", country="CH"),
...     unstructured_message="Invoice 1")
>>> xml = write_pain001(debtor_name="Acme AG", debtor_iban="CH5604835012345678009",
...     payments=[payment], message_id="MSG-1", execution_date=date(2026, 1, 5),
...     created_at=datetime(2026, 1, 2, 9, 30, tzinfo=UTC))
>>> root = etree.fromstring(xml)
>>> [root.findtext(f"*/{{{NAMESPACE}}}GrpHdr/{{{NAMESPACE}}}{tag}")
...  for tag in ("NbOfTxs", "CtrlSum", "CreDtTm")]
['1', '199.50', '2026-01-02T09:30:00+00:00']
>>> transliterate("Łódź \\u2013 \\u201cŜtraße\\u201d \\U0001F600")
'Łódź - "Ŝtraße" .'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from lxml import etree

from ledgerbridge.formats.errors import ErrorCode, RuleViolation
from ledgerbridge.formats.qrbill import (
    is_qr_iban,
    is_valid_creditor_reference,
    is_valid_iban,
    is_valid_qr_reference,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledgerbridge.formats.model import PaymentSlip

__all__ = [
    "NAMESPACE",
    "Pain001Address",
    "Pain001Payment",
    "ReferenceType",
    "payment_from_slip",
    "transliterate",
    "write_pain001",
]

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
SOFTWARE_NAME = "ledgerbridge"

ReferenceType = Literal["QRR", "SCOR", "NON"]

# ISO 4217 active currencies whose minor unit is 2: the only ones an amount written with
# exactly two decimals is right for (JPY has 0, KWD 3: refused rather than mis-stated).
_ISO_4217_TWO_DECIMALS = """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT
    LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN
    NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP
    SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES
    WST XCD XCG YER ZAR ZMW ZWG"""
_CURRENCIES = frozenset(_ISO_4217_TWO_DECIMALS.split())
_QR_CURRENCIES = frozenset({"CHF", "EUR"})
_QR_COUNTRIES = frozenset({"CH", "LI"})
_CENT = Decimal("0.01")
# DecimalNumber / ActiveOrHistoricCurrencyAndAmount allow 18 digits in all: with two
# decimals, 16 before the point. CtrlSum must fit as well, so the cap is on the total.
_AMOUNT_LIMIT = Decimal(10) ** 16
_SWIFT_ID = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]{1,35}")
_BIC = re.compile(r"[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")
_COUNTRY = re.compile(r"[A-Z]{2}")
_MAX_ID = 35
_REFERENCE_TYPES: dict[str, ReferenceType] = {"QRR": "QRR", "SCOR": "SCOR", "NON": "NON"}
# A combined ("K") address line 2 that starts with a postal code: "8001 Zürich".
_POSTAL_TOWN = re.compile(r"(?P<postal>[0-9][0-9A-Za-z-]{2,15})\s+(?P<town>.+)")
# SPS limits names to 70 characters (ISO allows 140); the rest are the ISO lengths.
_MAX_NAME = 70
_MAX_STREET = 70
_MAX_BUILDING = 16
_MAX_POSTAL_CODE = 16
_MAX_TOWN = 35
_MAX_MESSAGE = 140
_REPLACEMENT = "."
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Pain001Address:
    """A creditor's structured postal address; ``town`` and ``country`` are required."""

    street: str | None = None
    building_number: str | None = None
    postal_code: str | None = None
    town: str
    country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True, slots=True, kw_only=True)
class Pain001Payment:
    """One credit transfer: who gets how much, where, and with which reference."""

    end_to_end_id: str
    amount: Decimal
    currency: str
    creditor_name: str
    creditor_iban: str
    creditor_address: Pain001Address
    reference_type: ReferenceType = "NON"
    reference: str | None = None
    unstructured_message: str | None = None


def payment_from_slip(slip: PaymentSlip, *, end_to_end_id: str) -> Pain001Payment:
    """The credit transfer that pays the QR-bill ``slip`` as it was read.

    A combined ("K") creditor address keeps postal code and town in one line; the SPS
    want both in their own elements, so the line is split after a leading postal code.
    A slip that leaves the amount open raises ``pain001-amount-invalid``, a creditor
    without town or country ``pain001-text-missing``.

    >>> from ledgerbridge.formats.model import Address, PaymentSlip
    >>> slip = PaymentSlip(iban="CH4431999123000889012", amount=Decimal("10"),
    ...     currency="CHF", reference_type="NON", reference=None, message=None,
    ...     bill_information=None, creditor=Address("K", "Muster AG", "Weg 1", town="8001 Zürich",
    ...     country="CH"))
    >>> payment_from_slip(slip, end_to_end_id="E-1").creditor_address.postal_code
    '8001'
    """
    if slip.amount is None:
        raise _violation(ErrorCode.PAIN001_AMOUNT_INVALID, "amount", "the slip has no amount")
    creditor = slip.creditor
    postal, town = creditor.postal_code, (creditor.town or "").strip()
    match = _POSTAL_TOWN.fullmatch(town) if creditor.address_type == "K" else None
    if match is not None:
        postal, town = match["postal"], match["town"]
    if not town or not creditor.country:
        raise _violation(ErrorCode.PAIN001_TEXT_MISSING, "creditor", "no creditor town or country")
    address = Pain001Address(
        street=creditor.street,
        building_number=creditor.building_number,
        postal_code=postal,
        town=town,
        country=creditor.country,
    )
    return Pain001Payment(
        end_to_end_id=end_to_end_id,
        amount=slip.amount,
        currency=slip.currency,
        creditor_name=creditor.name or "",
        creditor_iban=slip.iban,
        creditor_address=address,
        reference_type=_REFERENCE_TYPES.get(slip.reference_type, "NON"),
        reference=slip.reference,
        unstructured_message=slip.message,
    )


def _permitted(ch: str) -> bool:
    code_point = ord(ch)
    return (
        0x20 <= code_point <= 0x7E
        or 0xA0 <= code_point <= 0x17F
        or 0x218 <= code_point <= 0x21B
        or code_point == 0x20AC
    )


def _replace(ch: str) -> str:
    if unicodedata.combining(ch):
        return ""  # a mark that NFC could not fold into its letter: drop it, keep the letter
    if ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}:
        return " "
    stripped = "".join(
        part for part in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(part)
    )
    if stripped and all(_permitted(part) for part in stripped):
        return stripped
    return _REPLACEMENT


def transliterate(text: str) -> str:
    """``text`` reduced to the SPS character set, white space collapsed and stripped.

    >>> transliterate("  Zoë\\tO\\u2019Neil\\u00a0Ltd\\n")
    "Zoë O'Neil Ltd"
    """
    composed = unicodedata.normalize("NFC", text).translate(_TYPOGRAPHIC)
    kept = "".join(ch if _permitted(ch) and not ch.isspace() else _replace(ch) for ch in composed)
    return " ".join(kept.split())


def _violation(code: ErrorCode, location: str, message: str) -> RuleViolation:
    return RuleViolation(code, location, message)


def _compact(value: str) -> str:
    return value.replace(" ", "").upper()


def _identifier(value: str, location: str) -> str:
    if not _SWIFT_ID.fullmatch(value) or not value.strip():
        raise _violation(
            ErrorCode.PAIN001_ID_INVALID,
            location,
            f"{value!r} is not 1-35 characters of the SWIFT set (a-z A-Z 0-9 /-?:().,'+ space)",
        )
    return value


def _text(value: str | None, location: str, max_length: int, *, required: bool) -> str | None:
    cleaned = transliterate(value or "")
    if not cleaned:
        if required:
            raise _violation(ErrorCode.PAIN001_TEXT_MISSING, location, "a value is required")
        return None
    if len(cleaned) > max_length:
        raise _violation(
            ErrorCode.PAIN001_TEXT_TOO_LONG,
            location,
            f"{len(cleaned)} characters, at most {max_length} are allowed",
        )
    return cleaned


def _iban(value: str, location: str) -> str:
    iban = _compact(value)
    if not is_valid_iban(iban):
        raise _violation(ErrorCode.PAIN001_IBAN_INVALID, location, f"{value!r} is not a valid IBAN")
    return iban


def _amount(payment: Pain001Payment, location: str) -> Decimal:
    amount = payment.amount
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise _violation(
            ErrorCode.PAIN001_AMOUNT_INVALID, location, f"{amount!r} is not a finite Decimal"
        )
    if amount <= 0:
        raise _violation(
            ErrorCode.PAIN001_AMOUNT_NOT_POSITIVE, location, f"{amount} is not above 0"
        )
    if amount != amount.quantize(_CENT):
        raise _violation(
            ErrorCode.PAIN001_AMOUNT_PRECISION, location, f"{amount} has more than two decimals"
        )
    if amount >= _AMOUNT_LIMIT:
        raise _violation(
            ErrorCode.PAIN001_AMOUNT_TOO_LARGE, location, f"{amount} has too many digits"
        )
    return amount.quantize(_CENT)


@dataclass(frozen=True, slots=True)
class _Transaction:
    """A payment checked and cleaned: every field as it goes into the XML."""

    end_to_end_id: str
    amount: Decimal
    currency: str
    creditor_name: str
    creditor_iban: str
    address: tuple[tuple[str, str], ...]  # (element name, value), in schema order
    reference_type: ReferenceType
    reference: str | None
    message: str | None


def _address(address: Pain001Address, location: str) -> tuple[tuple[str, str], ...]:
    country = address.country.strip().upper()
    if not _COUNTRY.fullmatch(country):
        raise _violation(
            ErrorCode.PAIN001_COUNTRY_INVALID,
            f"{location}.country",
            f"{address.country!r} is not ISO",
        )
    parts = (
        ("StrtNm", _text(address.street, f"{location}.street", _MAX_STREET, required=False)),
        (
            "BldgNb",
            _text(
                address.building_number,
                f"{location}.building_number",
                _MAX_BUILDING,
                required=False,
            ),
        ),
        (
            "PstCd",
            _text(address.postal_code, f"{location}.postal_code", _MAX_POSTAL_CODE, required=False),
        ),
        ("TwnNm", _text(address.town, f"{location}.town", _MAX_TOWN, required=True)),
        ("Ctry", country),
    )
    return tuple((tag, value) for tag, value in parts if value is not None)


def _reference(payment: Pain001Payment, iban: str, location: str) -> str | None:
    kind = payment.reference_type
    reference = _compact(payment.reference or "") or None
    if kind not in ("QRR", "SCOR", "NON"):
        raise _violation(
            ErrorCode.PAIN001_REFERENCE_TYPE_UNKNOWN, f"{location}.reference_type", f"{kind!r}"
        )
    qr_iban = iban[:2] in _QR_COUNTRIES and is_qr_iban(iban)
    if kind == "QRR":
        _check_qrr(payment, iban, qr_iban, location)
    elif qr_iban:
        raise _violation(
            ErrorCode.PAIN001_QR_IBAN_NEEDS_QRR,
            f"{location}.creditor_iban",
            "a QR-IBAN is only paid with a QR reference (QRR)",
        )
    if kind == "NON":
        if reference is not None:
            raise _violation(
                ErrorCode.PAIN001_REFERENCE_UNEXPECTED, f"{location}.reference", "type NON has none"
            )
        return None
    valid = is_valid_qr_reference if kind == "QRR" else is_valid_creditor_reference
    if reference is None or not valid(reference):
        raise _violation(
            ErrorCode.PAIN001_REFERENCE_INVALID,
            f"{location}.reference",
            f"{payment.reference!r} is not a valid {kind} reference",
        )
    return reference


def _check_qrr(payment: Pain001Payment, iban: str, qr_iban: bool, location: str) -> None:
    if iban[:2] not in _QR_COUNTRIES:
        raise _violation(
            ErrorCode.PAIN001_QRR_IBAN_COUNTRY,
            f"{location}.creditor_iban",
            "a QR reference is only used with a Swiss or Liechtenstein IBAN",
        )
    if not qr_iban:
        raise _violation(
            ErrorCode.PAIN001_QRR_NEEDS_QR_IBAN,
            f"{location}.creditor_iban",
            "a QR reference needs a QR-IBAN (institution ID 30000-31999)",
        )
    if payment.currency not in _QR_CURRENCIES:
        raise _violation(
            ErrorCode.PAIN001_QRR_CURRENCY, f"{location}.currency", "QR payments are in CHF or EUR"
        )


def _transaction(payment: Pain001Payment, location: str) -> _Transaction:
    end_to_end_id = _identifier(payment.end_to_end_id, f"{location}.end_to_end_id")
    amount = _amount(payment, f"{location}.amount")
    if payment.currency not in _CURRENCIES:
        raise _violation(
            ErrorCode.PAIN001_CURRENCY_UNKNOWN,
            f"{location}.currency",
            f"{payment.currency!r} is not an ISO 4217 currency with two decimals",
        )
    iban = _iban(payment.creditor_iban, f"{location}.creditor_iban")
    reference = _reference(payment, iban, location)
    name = _text(payment.creditor_name, f"{location}.creditor_name", _MAX_NAME, required=True)
    message = _text(
        payment.unstructured_message,
        f"{location}.unstructured_message",
        _MAX_MESSAGE,
        required=False,
    )
    return _Transaction(
        end_to_end_id=end_to_end_id,
        amount=amount,
        currency=payment.currency,
        creditor_name=name or "",
        creditor_iban=iban,
        address=_address(payment.creditor_address, f"{location}.creditor_address"),
        reference_type=payment.reference_type,
        reference=reference,
        message=message,
    )


def _transactions(payments: Sequence[Pain001Payment]) -> list[_Transaction]:
    if not payments:
        raise _violation(
            ErrorCode.PAIN001_NO_PAYMENTS, "payments", "at least one payment is needed"
        )
    seen: set[str] = set()
    transactions = []
    for index, payment in enumerate(payments):
        transaction = _transaction(payment, f"payments[{index}]")
        if transaction.end_to_end_id in seen:
            raise _violation(
                ErrorCode.PAIN001_END_TO_END_ID_DUPLICATE,
                f"payments[{index}].end_to_end_id",
                f"{transaction.end_to_end_id!r} is used by an earlier payment",
            )
        seen.add(transaction.end_to_end_id)
        transactions.append(transaction)
    if sum(t.amount for t in transactions) >= _AMOUNT_LIMIT:
        raise _violation(
            ErrorCode.PAIN001_AMOUNT_TOO_LARGE, "payments", "the total has too many digits"
        )
    return transactions


def _created(created_at: datetime) -> str:
    if created_at.utcoffset() != timedelta(0):
        raise _violation(
            ErrorCode.PAIN001_CREATED_AT_NOT_UTC, "created_at", "an aware UTC datetime is needed"
        )
    return created_at.replace(microsecond=0).isoformat()


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if text is not None:
        child.text = text
    return child


def _path(parent: etree._Element, path: str, text: str) -> etree._Element:
    """Create the chain of elements ``A/B/C`` under ``parent``; ``C`` gets ``text``."""
    *steps, last = path.split("/")
    for step in steps:
        parent = _sub(parent, step)
    return _sub(parent, last, text)


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(_CENT):f}"


def _group_header(
    root: etree._Element,
    message_id: str,
    created: str,
    transactions: Sequence[_Transaction],
    name: str,
) -> None:
    header = _sub(root, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created)
    _sub(header, "NbOfTxs", str(len(transactions)))
    _sub(header, "CtrlSum", _money(sum((t.amount for t in transactions), Decimal(0))))
    party = _sub(header, "InitgPty")
    _sub(party, "Nm", name)
    contact = _sub(party, "CtctDtls")
    other = _sub(contact, "Othr")
    _sub(other, "ChanlTp", "NAME")
    _sub(other, "Id", SOFTWARE_NAME)


def _debtor_agent(parent: etree._Element, iban: str, bic: str | None) -> None:
    institution = _sub(_sub(parent, "DbtrAgt"), "FinInstnId")
    if bic is not None:
        _sub(institution, "BICFI", bic)
    elif iban[:2] in _QR_COUNTRIES:
        member = _sub(institution, "ClrSysMmbId")
        _path(member, "ClrSysId/Cd", "CHBCC")
        _sub(member, "MmbId", iban[4:9])
    else:
        _path(institution, "Othr/Id", "NOTPROVIDED")


def _remittance(parent: etree._Element, transaction: _Transaction) -> None:
    if transaction.reference is None:
        if transaction.message is not None:
            _sub(_sub(parent, "RmtInf"), "Ustrd", transaction.message)
        return
    structured = _sub(_sub(parent, "RmtInf"), "Strd")
    creditor_reference = _sub(structured, "CdtrRefInf")
    if transaction.reference_type == "QRR":
        _path(creditor_reference, "Tp/CdOrPrtry/Prtry", "QRR")
    else:
        _path(creditor_reference, "Tp/CdOrPrtry/Cd", "SCOR")
    _sub(creditor_reference, "Ref", transaction.reference)
    if transaction.message is not None:
        _sub(structured, "AddtlRmtInf", transaction.message)


def _credit_transfer(parent: etree._Element, transaction: _Transaction, number: int) -> None:
    element = _sub(parent, "CdtTrfTxInf")
    payment_id = _sub(element, "PmtId")
    _sub(payment_id, "InstrId", str(number))
    _sub(payment_id, "EndToEndId", transaction.end_to_end_id)
    amount = _path(element, "Amt/InstdAmt", _money(transaction.amount))
    amount.set("Ccy", transaction.currency)
    creditor = _sub(element, "Cdtr")
    _sub(creditor, "Nm", transaction.creditor_name)
    address = _sub(creditor, "PstlAdr")
    for tag, value in transaction.address:
        _sub(address, tag, value)
    _path(element, "CdtrAcct/Id/IBAN", transaction.creditor_iban)
    _remittance(element, transaction)


@dataclass(frozen=True, slots=True)
class _Debtor:
    name: str
    iban: str
    bic: str | None


def _payment_information(
    root: etree._Element,
    pmtinf_id: str,
    execution_date: date,
    debtor: _Debtor,
    numbered: Sequence[tuple[int, _Transaction]],
) -> None:
    block = _sub(root, "PmtInf")
    _sub(block, "PmtInfId", pmtinf_id)
    _sub(block, "PmtMtd", "TRF")
    _sub(block, "NbOfTxs", str(len(numbered)))
    _sub(block, "CtrlSum", _money(sum((t.amount for _, t in numbered), Decimal(0))))
    _path(block, "ReqdExctnDt/Dt", execution_date.isoformat())
    _sub(_sub(block, "Dbtr"), "Nm", debtor.name)
    _path(block, "DbtrAcct/Id/IBAN", debtor.iban)
    _debtor_agent(block, debtor.iban, debtor.bic)
    for number, transaction in numbered:
        _credit_transfer(block, transaction, number)


def _by_currency(transactions: Sequence[_Transaction]) -> dict[str, list[tuple[int, _Transaction]]]:
    groups: dict[str, list[tuple[int, _Transaction]]] = {}
    for number, transaction in enumerate(transactions, start=1):
        groups.setdefault(transaction.currency, []).append((number, transaction))
    return groups


def _debtor(name: str, iban: str, bic: str | None) -> _Debtor:
    cleaned = _text(name, "debtor_name", _MAX_NAME, required=True) or ""
    if bic is not None and not _BIC.fullmatch(bic):
        raise _violation(ErrorCode.PAIN001_BIC_INVALID, "debtor_bic", f"{bic!r} is not a BIC")
    return _Debtor(cleaned, _iban(iban, "debtor_iban"), bic)


def write_pain001(
    *,
    debtor_name: str,
    debtor_iban: str,
    payments: Sequence[Pain001Payment],
    message_id: str,
    created_at: datetime,
    execution_date: date,
    debtor_bic: str | None = None,
) -> bytes:
    """The UTF-8 bytes of a ``pain.001.001.09`` message ordering ``payments``.

    Raises :class:`RuleViolation` (codes in the module docstring) for any input the SPS
    do not accept; nothing is rounded or cut silently.
    """
    debtor = _debtor(debtor_name, debtor_iban, debtor_bic)
    message_id = _identifier(message_id, "message_id")
    created = _created(created_at)
    transactions = _transactions(payments)
    root = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})  # type: ignore[dict-item]  # lxml takes None for the default namespace; lxml-stubs allow str keys only
    initiation = _sub(root, "CstmrCdtTrfInitn")
    _group_header(initiation, message_id, created, transactions, debtor.name)
    for index, numbered in enumerate(_by_currency(transactions).values(), start=1):
        # Unique within the message and at most 35 characters, whatever the MsgId's length.
        pmtinf_id = f"{message_id[: _MAX_ID - 4]}-{index}"
        _payment_information(initiation, pmtinf_id, execution_date, debtor, numbered)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
