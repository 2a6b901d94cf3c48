"""Code-list rules BR-CL-01 … BR-CL-26 (and KoSIT BR-DEX-04 … BR-DEX-08) for UBL and CII.

Each rule of the CEN code-list schematron is one :class:`Check` row: the element it reads
(by Clark name, optionally below a given parent), the attribute holding the code (or the
element's text), and the code list of :mod:`._codelists`. One walk over the tree applies
the rows of every element met, so a document is traversed once, and lookups are set
membership. The value is compared like the schematron does: ``normalize-space`` and
exactly one token (``upper-case`` for VATEX, the raw attribute for MIME codes).

KoSIT's XRechnung profiles replace some of these rules by their own with wider lists: the
extension (``profile="extension"``) the five identifier scheme rules by BR-DEX-04 … 08 and
BR-CL-24 by BR-DEX-01 (also ``application/xml``), the clean vehicles profile
(``profile="cvd"``) BR-CL-13 by BR-TMP-CVD-01 (also ``CVD``). KoSIT's validator
configuration then grades the replaced CEN rule down to a warning, and so do we.

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
...     b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
...     b'<cbc:DocumentCurrencyCode>EURO</cbc:DocumentCurrencyCode></Invoice>')
>>> [(f.code, f.location) for f in check_ubl_codes(root)]
[('BR-CL-04', '/Invoice/cbc:DocumentCurrencyCode')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931 import _cii, _ubl
from ledgerbridge.formats.en16931 import _codelists as cl
from ledgerbridge.formats.en16931._cii import RAM, RSM, UDT
from ledgerbridge.formats.en16931._ubl import CAC, CBC
from ledgerbridge.formats.en16931._walk import boolean
from ledgerbridge.formats.model import Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml import etree

__all__ = ["Check", "check_cii_codes", "check_ubl_codes"]

_INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
_PREFIXES = {**_ubl.PREFIXES, **_cii.PREFIXES}


def _text(el: etree._Element) -> str:
    """The string value of an element (its text and its descendants' text)."""
    return "".join(map(str, el.itertext()))


def _token(value: str) -> str | None:
    """``normalize-space(value)`` when it is a single token, else ``None`` (never listed)."""
    parts = value.split()
    return parts[0] if len(parts) == 1 else None


def _upper_token(value: str) -> str | None:
    token = _token(value)
    return None if token is None else token.upper()


def _raw(value: str) -> str | None:
    return value


def _note_subject(value: str) -> str | None:
    """UBL BT-21: the text between the first two ``#`` of a note ("" when there is none)."""
    if "#" not in value:
        return ""
    after = value.partition("#")[2]
    return after.partition("#")[0] if "#" in after else ""


@dataclass(frozen=True, slots=True)
class Check:
    """One code-list assertion: which value of which element must be in which list."""

    rule: str
    codes: frozenset[str]
    attr: str | None = None  # the attribute holding the code; None = the element's text
    parent: str | None = None  # Clark name the element's parent must have
    optional: bool = True  # the context reads ``[@attr]``: no attribute, no check
    fold: Callable[[str], str | None] = _token
    when: Callable[[etree._Element], bool] | None = None
    accept: Callable[[etree._Element, str], bool] | None = None
    kosit: tuple[str, str, frozenset[str]] | None = None  # profile, rule and list replacing it


def _has_ancestor(el: etree._Element, *tags: str) -> bool:
    return any(a.tag in tags for a in el.iterancestors())


def _charge_indicator(el: etree._Element, path: tuple[str, ...]) -> bool | None:
    node: etree._Element | None = el.getparent()
    for tag in path:
        node = None if node is None else node.find(tag)
    return None if node is None else boolean(_text(node))


def _is_charge(path: tuple[str, ...], *, charge: bool) -> Callable[[etree._Element], bool]:
    return lambda el: _charge_indicator(el, path) is charge


def _reason_checks(tag: str, parent: str, indicator: tuple[str, ...]) -> list[tuple[str, Check]]:
    """BR-CL-19 (allowance reasons) and BR-CL-20 (charge reasons), told apart by ``indicator``."""
    return [
        (tag, Check(rule, codes, parent=parent, when=_is_charge(indicator, charge=charge)))
        for rule, codes, charge in (
            ("BR-CL-19", cl.ALLOWANCE_REASONS, False),
            ("BR-CL-20", cl.CHARGE_REASONS, True),
        )
    ]


def _sepa(el: etree._Element, value: str) -> bool:
    supplier, payee = CAC + "AccountingSupplierParty", CAC + "PayeeParty"
    return _token(value) == "SEPA" and _has_ancestor(el, supplier, payee)


def _object_reference(el: etree._Element) -> bool:
    parent = el.getparent()
    if parent is None or parent.tag not in {
        CAC + "AdditionalDocumentReference",
        CAC + "DocumentReference",
    }:
        return False
    return any(_text(c) == "130" for c in parent.iterchildren(CBC + "DocumentTypeCode"))


def _table(namespace: str, checks: list[tuple[str, Check]]) -> dict[str, tuple[Check, ...]]:
    """The rows by the Clark name of the element they read."""
    table: dict[str, list[Check]] = {}
    for tag, check in checks:
        table.setdefault(namespace + tag, []).append(check)
    return {tag: tuple(rows) for tag, rows in table.items()}


_CVD_CLASSIFICATION = ("cvd", "BR-TMP-CVD-01", cl.XRECHNUNG_CVD_CLASSIFICATIONS)
_EXTENSION_MIME = ("extension", "BR-DEX-01", cl.XRECHNUNG_MIME_CODES)
_UBL_AMOUNTS = [
    "Amount",
    "BaseAmount",
    "PriceAmount",
    "TaxAmount",
    "TaxableAmount",
    "LineExtensionAmount",
    "TaxExclusiveAmount",
    "TaxInclusiveAmount",
    "AllowanceTotalAmount",
    "ChargeTotalAmount",
    "PrepaidAmount",
    "PayableRoundingAmount",
    "PayableAmount",
]
_UBL_INDICATOR = (CBC + "ChargeIndicator",)

UBL_CHECKS = _table(
    CBC,
    [
        ("InvoiceTypeCode", Check("BR-CL-01", cl.INVOICE_TYPES)),
        ("CreditNoteTypeCode", Check("BR-CL-01", cl.CREDIT_NOTE_TYPES)),
        *(
            (tag, Check("BR-CL-03", cl.CURRENCIES, "currencyID", optional=False))
            for tag in _UBL_AMOUNTS
        ),
        ("DocumentCurrencyCode", Check("BR-CL-04", cl.CURRENCIES)),
        ("TaxCurrencyCode", Check("BR-CL-05", cl.CURRENCIES)),
        (
            "DescriptionCode",
            Check("BR-CL-06", cl.UBL_TAX_POINT_CODES, parent=CAC + "InvoicePeriod"),
        ),
        ("ID", Check("BR-CL-07", cl.OBJECT_SCHEMES, "schemeID", when=_object_reference)),
        ("Note", Check("BR-CL-08", cl.NOTE_SUBJECT_PARTS, parent=_INVOICE, fold=_note_subject)),
        (
            "ID",
            Check(
                "BR-CL-10",
                cl.ICD,
                "schemeID",
                CAC + "PartyIdentification",
                accept=_sepa,
                kosit=("extension", "BR-DEX-04", cl.XRECHNUNG_ICD),
            ),
        ),
        (
            "CompanyID",
            Check(
                "BR-CL-11",
                cl.ICD,
                "schemeID",
                CAC + "PartyLegalEntity",
                kosit=("extension", "BR-DEX-05", cl.XRECHNUNG_ICD),
            ),
        ),
        (
            "ItemClassificationCode",
            Check(
                "BR-CL-13",
                cl.ITEM_CLASSIFICATIONS,
                "listID",
                CAC + "CommodityClassification",
                kosit=_CVD_CLASSIFICATION,
            ),
        ),
        ("IdentificationCode", Check("BR-CL-14", cl.COUNTRIES, parent=CAC + "Country")),
        ("IdentificationCode", Check("BR-CL-15", cl.COUNTRIES, parent=CAC + "OriginCountry")),
        ("PaymentMeansCode", Check("BR-CL-16", cl.PAYMENT_MEANS, parent=CAC + "PaymentMeans")),
        ("ID", Check("BR-CL-17", cl.VAT_CATEGORIES, parent=CAC + "TaxCategory")),
        ("ID", Check("BR-CL-18", cl.VAT_CATEGORIES, parent=CAC + "ClassifiedTaxCategory")),
        *_reason_checks("AllowanceChargeReasonCode", CAC + "AllowanceCharge", _UBL_INDICATOR),
        (
            "ID",
            Check(
                "BR-CL-21",
                cl.ICD,
                "schemeID",
                CAC + "StandardItemIdentification",
                kosit=("extension", "BR-DEX-06", cl.XRECHNUNG_ICD),
            ),
        ),
        ("TaxExemptionReasonCode", Check("BR-CL-22", cl.VATEX, fold=_upper_token)),
        *(
            (tag, Check("BR-CL-23", cl.UNITS, "unitCode"))
            for tag in ("InvoicedQuantity", "BaseQuantity", "CreditedQuantity")
        ),
        (
            "EmbeddedDocumentBinaryObject",
            Check("BR-CL-24", cl.MIME_CODES, "mimeCode", fold=_raw, kosit=_EXTENSION_MIME),
        ),
        (
            "EndpointID",
            Check(
                "BR-CL-25", cl.EAS, "schemeID", kosit=("extension", "BR-DEX-07", cl.XRECHNUNG_EAS)
            ),
        ),
        (
            "ID",
            Check(
                "BR-CL-26",
                cl.ICD,
                "schemeID",
                CAC + "DeliveryLocation",
                kosit=("extension", "BR-DEX-08", cl.XRECHNUNG_ICD),
            ),
        ),
    ],
)

_CII_INDICATOR = (RAM + "ChargeIndicator", UDT + "Indicator")


def _party_global_id(el: etree._Element) -> bool:
    return not _has_ancestor(el, RAM + "SpecifiedTradeProduct", RAM + "ShipToTradeParty")


def _ship_to_global_id(el: etree._Element) -> bool:
    parent = el.getparent()
    grand = None if parent is None else parent.getparent()
    return (
        parent is not None
        and parent.tag == RAM + "ShipToTradeParty"
        and grand is not None
        and grand.tag == RAM + "ApplicableHeaderTradeDelivery"
    )


def _not_tax_registration(el: etree._Element) -> bool:
    return not _has_ancestor(el, RAM + "SpecifiedTaxRegistration")


_CII_ICD = {
    "BR-CL-10": ("BR-DEX-04", _party_global_id, None),
    "BR-CL-21": ("BR-DEX-06", None, RAM + "SpecifiedTradeProduct"),
    "BR-CL-26": ("BR-DEX-08", _ship_to_global_id, None),
}

CII_CHECKS = _table(
    RAM,
    [
        (
            "TypeCode",
            Check(
                "BR-CL-01",
                cl.INVOICE_TYPES | cl.CREDIT_NOTE_TYPES,
                parent=RSM + "ExchangedDocument",
            ),
        ),
        ("TaxTotalAmount", Check("BR-CL-03", cl.CURRENCIES, "currencyID")),
        ("InvoiceCurrencyCode", Check("BR-CL-04", cl.CURRENCIES)),
        ("TaxCurrencyCode", Check("BR-CL-05", cl.CURRENCIES)),
        ("DueDateTypeCode", Check("BR-CL-06", cl.CII_TAX_POINT_CODES)),
        ("ReferenceTypeCode", Check("BR-CL-07", cl.OBJECT_SCHEMES)),
        ("SubjectCode", Check("BR-CL-08", cl.NOTE_SUBJECTS)),
        *(
            (
                "GlobalID",
                Check(
                    rule,
                    cl.ICD,
                    "schemeID",
                    parent,
                    when=when,
                    kosit=("extension", dex, cl.XRECHNUNG_ICD),
                ),
            )
            for rule, (dex, when, parent) in _CII_ICD.items()
        ),
        (
            "ID",
            Check(
                "BR-CL-11",
                cl.ICD,
                "schemeID",
                when=_not_tax_registration,
                kosit=("extension", "BR-DEX-05", cl.XRECHNUNG_ICD),
            ),
        ),
        (
            "ClassCode",
            Check("BR-CL-13", cl.ITEM_CLASSIFICATIONS, "listID", kosit=_CVD_CLASSIFICATION),
        ),
        ("CountryID", Check("BR-CL-14", cl.COUNTRIES)),
        ("ID", Check("BR-CL-15", cl.COUNTRIES, parent=RAM + "OriginTradeCountry")),
        (
            "TypeCode",
            Check(
                "BR-CL-16", cl.PAYMENT_MEANS, parent=RAM + "SpecifiedTradeSettlementPaymentMeans"
            ),
        ),
        ("CategoryCode", Check("BR-CL-17", cl.VAT_CATEGORIES, parent=RAM + "CategoryTradeTax")),
        ("CategoryCode", Check("BR-CL-18", cl.VAT_CATEGORIES, parent=RAM + "ApplicableTradeTax")),
        *_reason_checks("ReasonCode", RAM + "SpecifiedTradeAllowanceCharge", _CII_INDICATOR),
        ("ExemptionReasonCode", Check("BR-CL-22", cl.VATEX, fold=_upper_token)),
        ("BasisQuantity", Check("BR-CL-23", cl.UNITS, "unitCode")),
        ("BilledQuantity", Check("BR-CL-23", cl.UNITS, "unitCode")),
        (
            "AttachmentBinaryObject",
            Check("BR-CL-24", cl.MIME_CODES, "mimeCode", fold=_raw, kosit=_EXTENSION_MIME),
        ),
        (
            "URIID",
            Check(
                "BR-CL-25",
                cl.EAS,
                "schemeID",
                RAM + "URIUniversalCommunication",
                kosit=("extension", "BR-DEX-07", cl.XRECHNUNG_EAS),
            ),
        ),
    ],
)


def _where(el: etree._Element) -> str:
    steps = []
    node: etree._Element | None = el
    while node is not None:
        namespace, _, local = str(node.tag).rpartition("}")
        prefix = _PREFIXES.get(namespace + "}")
        steps.append(f"{prefix}:{local}" if prefix else local)
        node = node.getparent()
    return "/" + "/".join(reversed(steps))


def _passes(check: Check, el: etree._Element, raw: str, codes: frozenset[str]) -> bool:
    code = check.fold(raw)
    if code is not None and code in codes:
        return True
    return check.accept is not None and check.accept(el, raw)


def _findings(check: Check, el: etree._Element, profile: str | None) -> list[Finding]:
    raw = el.get(check.attr) if check.attr is not None else _text(el)
    if raw is None:
        if check.optional:
            return []
        raw = ""
    replaced = check.kosit is not None and check.kosit[0] == profile
    found = []
    if not _passes(check, el, raw, check.codes):
        # KoSIT's validator configuration grades a replaced CEN rule down to a warning.
        graded = Severity.WARNING if replaced else Severity.ERROR
        message = f"{raw!r} is not in the code list of {check.rule}."
        found.append(Finding(graded, check.rule, _where(el), message))
    if replaced and check.kosit is not None:
        _, rule, codes = check.kosit
        if not _passes(check, el, raw, codes):
            message = f"{raw!r} is not in the code list of {rule}."
            found.append(Finding(Severity.ERROR, rule, _where(el), message))
    return found


def _applies(check: Check, el: etree._Element, parent_tag: object) -> bool:
    if check.parent is not None and parent_tag != check.parent:
        return False
    return check.when is None or check.when(el)


def _check(
    root: etree._Element, table: dict[str, tuple[Check, ...]], profile: str | None
) -> list[Finding]:
    found: list[Finding] = []
    for el in root.iter():
        checks = table.get(el.tag) if isinstance(el.tag, str) else None
        if not checks:
            continue
        parent = el.getparent()
        parent_tag = None if parent is None else parent.tag
        for check in checks:
            if _applies(check, el, parent_tag):
                found += _findings(check, el, profile)
    return found


def check_ubl_codes(root: etree._Element, *, profile: str | None = None) -> list[Finding]:
    """BR-CL-01 … BR-CL-26 on a UBL Invoice or CreditNote, with KoSIT's ``profile``."""
    return _check(root, UBL_CHECKS, profile)


def check_cii_codes(root: etree._Element, *, profile: str | None = None) -> list[Finding]:
    """BR-CL-01 … BR-CL-26 on a CII CrossIndustryInvoice, with KoSIT's ``profile``."""
    return _check(root, CII_CHECKS, profile)
