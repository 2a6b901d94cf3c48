"""Swiss QR-bill payloads (SIX Implementation Guidelines QR-bill v2.3).

:func:`read` takes the text of a Swiss QR code (``SPC`` ... ``EPD``, UTF-8, elements
separated by CR LF or LF) and returns one payment-slip :class:`Document`;
:func:`parse_payload` does the same work on decoded text and is reused by the image and
PDF readers, which find the text in QR codes.

Codes are ``qrbill-<element>-<problem>`` and never change meaning.

Raised as :class:`MalformedDocument` (no bill can be built):
``qrbill-encoding-invalid`` (not UTF-8), ``qrbill-header-invalid`` (first element not
``SPC``), ``qrbill-too-few-lines`` (fewer than 31 elements), ``qrbill-version-unsupported``
(not ``02xx``), ``qrbill-coding-type-unsupported`` (not ``1``), ``qrbill-trailer-missing``
(element 31 is not ``EPD``), ``qrbill-unreadable`` (anything unexpected).

Error findings: ``qrbill-field-too-long``, ``qrbill-character-invalid`` (outside the v2.3
Latin set), ``qrbill-iban-missing``, ``qrbill-iban-country`` (not CH/LI),
``qrbill-iban-invalid``, ``qrbill-iban-checksum``, ``qrbill-creditor-missing``,
``qrbill-address-type-invalid``, ``qrbill-address-name-missing``,
``qrbill-address-postal-code-missing``, ``qrbill-address-town-missing``,
``qrbill-address-country-invalid``,
``qrbill-address-combined-extra``, ``qrbill-ultimate-creditor-not-empty``,
``qrbill-amount-invalid``, ``qrbill-amount-decimals``, ``qrbill-amount-range``,
``qrbill-currency-missing``, ``qrbill-currency-invalid``, ``qrbill-reference-type-invalid``
(also for a valid reference of the other type),
``qrbill-qr-iban-requires-qrr``, ``qrbill-qrr-requires-qr-iban``,
``qrbill-reference-missing``, ``qrbill-reference-not-allowed``, ``qrbill-qrr-invalid``,
``qrbill-qrr-check-digit``, ``qrbill-scor-invalid``, ``qrbill-scor-checksum``,
``qrbill-bill-information-invalid`` (not ``//`` and a two-character syntax name),
``qrbill-alternative-procedures-too-many``, and the ``swico-*`` codes of
:mod:`ledgerbridge.formats.swico` for broken ``//S1/`` bill information.

Warning findings (tolerated, seen on real bills): ``qrbill-iban-spaces``,
``qrbill-reference-spaces``, ``qrbill-trailing-blanks``, ``qrbill-trailing-separator``
(a line break after the last element, which the guidelines forbid),
``qrbill-separator-cr`` (bare CR separators), ``qrbill-address-combined`` (address type
``K``, read but no longer permitted by v2.3).

A combined (``K``) address is read into :class:`Address` with address line 1 as
``street`` and address line 2 as ``town``.

>>> lines = ["SPC", "0200", "1", "CH4431999123000889012", "S", "Robert Schneider AG",
...          "Rue du Lac", "1268", "2501", "Biel", "CH", *[""] * 7, "1949.75", "CHF",
...          *[""] * 7, "QRR", "210000000003139471430009017", "", "EPD"]
>>> result = read("\\r\\n".join(lines).encode(), options=ReadOptions())
>>> slip = result.documents[0].data
>>> slip.amount, slip.reference_type, slip.creditor.town, result.documents[0].findings
(Decimal('1949.75'), 'QRR', 'Biel', ())
"""

from __future__ import annotations

from ledgerbridge.formats.errors import ErrorCode, FormatError, MalformedDocument
from ledgerbridge.formats.model import Container, Document, Format, Kind, ReadOptions, ReadResult
from ledgerbridge.formats.qrbill._checks import (
    is_qr_iban,
    is_valid_creditor_reference,
    is_valid_iban,
    is_valid_qr_reference,
)
from ledgerbridge.formats.qrbill._parse import parse_payload

__all__ = [
    "is_qr_iban",
    "is_valid_creditor_reference",
    "is_valid_iban",
    "is_valid_qr_reference",
    "parse_payload",
    "read",
    "sniff",
    "to_document",
]

_BOM = b"\xef\xbb\xbf"


def sniff(head: bytes) -> bool:
    """True for text that starts with the QR type ``SPC`` (after an optional UTF-8 BOM)."""
    return head.removeprefix(_BOM).startswith(b"SPC")


def to_document(text: str, container: Container) -> Document:
    """Parse ``text`` into a payment-slip :class:`Document` found in ``container``.

    Every failure is a :class:`FormatError`; nothing else escapes.
    """
    try:
        slip, findings = parse_payload(text)
    except FormatError:
        raise
    except Exception as exc:  # a bug must still surface as a stable, catchable code
        raise MalformedDocument(
            ErrorCode.QRBILL_UNREADABLE, "", f"cannot read the payload: {exc}"
        ) from exc
    return Document(
        format=Format.SWISS_QR_BILL,
        container=container,
        kind=Kind.PAYMENT_SLIP,
        data=slip,
        findings=tuple(findings),
    )


def read(data: bytes, *, options: ReadOptions) -> ReadResult:
    """Read one QR-bill payload given as text bytes."""
    del options  # a payload is a few hundred bytes: no cap of its own applies
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedDocument(
            ErrorCode.QRBILL_ENCODING_INVALID, f"byte {exc.start}", "the payload is not UTF-8 text"
        ) from exc
    return ReadResult(documents=(to_document(text, Container.TEXT),))
