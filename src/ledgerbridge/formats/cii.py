"""UN/CEFACT CII D16B (XRechnung CII, Factur-X/ZUGFeRD 2) and ZUGFeRD 1.0 into the EN 16931 model.

:func:`read_tree` reads a ``rsm:CrossIndustryInvoice`` (D16B, every Factur-X/ZUGFeRD 2
profile: MINIMUM, BASIC WL, BASIC, EN16931, EXTENDED, XRECHNUNG), a ZUGFeRD 1.0
``rsm:CrossIndustryDocument`` or the ZUGFeRD 1.0 release candidate of 2014 (root
``rsm:Invoice`` in ``urn:un:unece:uncefact:data:standard:CBFBUY:5``, children without a
namespace, dates without a ``DateTimeString`` wrapper) into
:class:`~ledgerbridge.formats.model.Invoice`. The three dialects name the same aggregates
differently; a :class:`_Dialect` holds the element names once so one walk serves all.
``Document.profile`` is the ``GuidelineSpecifiedDocumentContextParameter`` ID; a credit
note type code (381, 396, ...) makes the document a credit note.

Findings of the reader itself (codes are stable):

* ``CII-SCHEMA-DECIMAL`` / ``CII-SCHEMA-DATE``: an amount that is not an ``xs:decimal``,
  a date whose ``format`` is not 102 or whose text is not ``YYYYMMDD``;
* ``CII-SCHEMA-CODE``: a currency code that is not three capital letters (ISO 4217);
* ``CII-SCHEMA-MISSING``: the document header or the trade transaction is absent;
* ``FX-NOT-AN-INVOICE`` (warning): a Factur-X/ZUGFeRD MINIMUM or BASIC WL profile. These
  are booking aids, not invoices under EN 16931; they are read but not checked against
  the EN 16931 rules. Warning, not error: the Factur-X standard defines them as
  conforming files (the ZUGFeRD corpus files them under ``correct``);
* ``FX-PROFILE-UNKNOWN``: a ZUGFeRD 1.0 guideline that is none of BASIC, COMFORT, EXTENDED,
  or a Factur-X guideline in the spelling of Factur-X 1.0's first release, which the
  Factur-X code list does not have (the file is still checked as that profile);
* ``FX-PRERELEASE`` (warning): the ZUGFeRD 1.0 release-candidate dialect. Invoices of the
  pre-release were exchanged, so they are read, but no published schema or rule set
  applies to them; ``Document.profile`` is their guideline (``urn:ferd:invoice:rc:...``).

With ``options.validate`` the EN 16931 business rules of
:mod:`ledgerbridge.formats.en16931` add their findings for D16B documents; ZUGFeRD 1.0
and its release candidate predate EN 16931, so only the checks above apply to them.

>>> from ledgerbridge.formats.model import ReadOptions
>>> xml = (b'<rsm:CrossIndustryInvoice '
...        b'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
...        b'xmlns:ram="urn:un:unece:uncefact:data:standard:'
...        b'ReusableAggregateBusinessInformationEntity:100" '
...        b'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">'
...        b'<rsm:ExchangedDocument><ram:ID>7</ram:ID><ram:TypeCode>381</ram:TypeCode>'
...        b'<ram:IssueDateTime><udt:DateTimeString format="102">20250131</udt:DateTimeString>'
...        b'</ram:IssueDateTime></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>')
>>> doc = read(xml, options=ReadOptions(validate=False)).documents[0]
>>> doc.kind.value, doc.data.number, doc.data.issue_date
('credit_note', '7', datetime.date(2025, 1, 31))
>>> [f.code for f in doc.findings]
['CII-SCHEMA-MISSING']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ledgerbridge.formats import fxprofile, xmlsafe
from ledgerbridge.formats.en16931 import check_cii
from ledgerbridge.formats.errors import ErrorCode, UnsupportedFormat
from ledgerbridge.formats.model import (
    Container,
    Document,
    Finding,
    Format,
    Invoice,
    InvoiceLine,
    Kind,
    Party,
    Payment,
    ReadOptions,
    ReadResult,
    Severity,
    Totals,
    VatBreakdown,
)
from ledgerbridge.formats.namespaces import CII_NS, ZUGFERD1_NS, ZUGFERD1_RC_NS
from ledgerbridge.formats.untdid import CREDIT_NOTE_TYPE_CODES
from ledgerbridge.formats.values import ValueReader, path_of

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = ["NOT_AN_INVOICE_PROFILES", "read", "read_tree", "sniff", "sniff_root"]

_CURRENCY = re.compile(r"[A-Z]{3}")

#: Guideline IDs of the Factur-X/ZUGFeRD 2 profiles that are not EN 16931 invoices.
NOT_AN_INVOICE_PROFILES = frozenset(
    {
        "urn:factur-x.eu:1p0:minimum",
        "urn:factur-x.eu:1p0:basicwl",
        "urn:zugferd.de:2p0:minimum",
        "urn:zugferd.de:2p0:basicwl",
    }
)
_ZUGFERD1_LEVELS = ("basic", "comfort", "extended")
_ZUGFERD1_PROFILES = frozenset(
    f"urn:ferd:CrossIndustryDocument:invoice:1p0:{level}" for level in _ZUGFERD1_LEVELS
)
_ZUGFERD1_RC_PROFILES = frozenset(f"urn:ferd:invoice:rc:{level}" for level in _ZUGFERD1_LEVELS)


@dataclass(frozen=True, slots=True)
class _Dialect:
    """Clark-notation tags of one CII dialect, computed once at import."""

    root: str
    context: str
    header: str
    transaction: str
    agreement: str
    settlement: str
    summation: str
    line_delivery: str
    line_settlement: str
    line_summation: str
    rate: str
    ram: str
    date_text: str  # the path from a date element to its text: a DateTimeString or nothing

    @property
    def guideline(self) -> str:
        return f"{self.context}/{self.ram}GuidelineSpecifiedDocumentContextParameter/{self.ram}ID"

    @classmethod
    def build(cls, rsm: str, ram: str, udt: str, names: tuple[str, ...]) -> _Dialect:
        """The dialect whose root, context, header, ... are ``names`` (field order).

        An empty ``ram`` means unqualified aggregates, an empty ``udt`` dates whose text
        is the element's own (the release-candidate dialect).
        """
        rsm_names, ram_names = names[:4], names[4:]
        ram_prefix = f"{{{ram}}}" if ram else ""
        tags = [f"{{{rsm}}}{name}" for name in rsm_names]
        tags += [ram_prefix + name for name in ram_names]
        tags += [ram_prefix, f"/{{{udt}}}DateTimeString" if udt else ""]
        return cls(*tags)


_D16B = _Dialect.build(
    CII_NS,
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    (
        "CrossIndustryInvoice",
        "ExchangedDocumentContext",
        "ExchangedDocument",
        "SupplyChainTradeTransaction",
        "ApplicableHeaderTradeAgreement",
        "ApplicableHeaderTradeSettlement",
        "SpecifiedTradeSettlementHeaderMonetarySummation",
        "SpecifiedLineTradeDelivery",
        "SpecifiedLineTradeSettlement",
        "SpecifiedTradeSettlementLineMonetarySummation",
        "RateApplicablePercent",
    ),
)
#: The ZUGFeRD 1.0 names below the root, the same in the final and the RC dialect.
_ZUGFERD1_NAMES = (
    "SpecifiedExchangedDocumentContext",
    "HeaderExchangedDocument",
    "SpecifiedSupplyChainTradeTransaction",
    "ApplicableSupplyChainTradeAgreement",
    "ApplicableSupplyChainTradeSettlement",
    "SpecifiedTradeSettlementMonetarySummation",
    "SpecifiedSupplyChainTradeDelivery",
    "SpecifiedSupplyChainTradeSettlement",
    "SpecifiedTradeSettlementMonetarySummation",
    "ApplicablePercent",
)
_ZUGFERD1 = _Dialect.build(
    ZUGFERD1_NS,
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
    ("CrossIndustryDocument", *_ZUGFERD1_NAMES),
)
_ZUGFERD1_RC = _Dialect.build(
    ZUGFERD1_RC_NS,
    "",
    "",
    ("Invoice", *_ZUGFERD1_NAMES),
)
_DIALECTS = {d.root: d for d in (_D16B, _ZUGFERD1, _ZUGFERD1_RC)}


def sniff(head: bytes) -> bool:
    """True when ``head`` looks like a CII (or ZUGFeRD 1.0) invoice."""
    namespaces = (CII_NS, ZUGFERD1_NS, ZUGFERD1_RC_NS)
    return xmlsafe.sniff(head) and any(ns.encode() in head for ns in namespaces)


def sniff_root(root: etree._Element) -> bool:
    """True when the parsed ``root`` is a CII, ZUGFeRD 1.0 or ZUGFeRD 1.0 RC invoice."""
    return isinstance(root.tag, str) and root.tag in _DIALECTS


def read(data: bytes, *, options: ReadOptions) -> ReadResult:
    """Parse ``data`` (hardened) and read it as a CII invoice or credit note."""
    return read_tree(xmlsafe.parse(data, options=options), options=options, container=Container.XML)


def read_tree(
    root: etree._Element, *, options: ReadOptions, container: Container = Container.XML
) -> ReadResult:
    """Read a parsed CII root into one :class:`Document`."""
    dialect = _DIALECTS.get(root.tag) if isinstance(root.tag, str) else None
    if dialect is None:
        raise UnsupportedFormat(
            ErrorCode.UNSUPPORTED_XML_ROOT,
            f"/{etree.QName(root).localname}",
            "not a CII CrossIndustryInvoice or a ZUGFeRD 1.0 (or 1.0 RC) invoice",
        )
    values = ValueReader("CII")
    profile = values.text(root.find(dialect.guideline))
    invoice = _invoice(root, dialect, values)
    findings = [*values.findings, *_profile_findings(root, dialect, profile)]
    restricted = fxprofile.level(profile, container) if dialect is _D16B else None
    if options.validate and restricted is not None:
        findings.extend(fxprofile.check(root, restricted))
    is_en16931 = dialect is _D16B and profile not in NOT_AN_INVOICE_PROFILES
    if options.validate and is_en16931:
        findings.extend(check_cii(root))
    kind = Kind.CREDIT_NOTE if invoice.type_code in CREDIT_NOTE_TYPE_CODES else Kind.INVOICE
    document = Document(
        format=Format.CII,
        container=container,
        kind=kind,
        data=invoice,
        findings=tuple(findings),
        profile=profile,
    )
    return ReadResult(documents=(document,))


def _profile_findings(
    root: etree._Element, dialect: _Dialect, profile: str | None
) -> list[Finding]:
    where = f"{path_of(root)}/{etree.QName(dialect.context).localname}"
    if profile in NOT_AN_INVOICE_PROFILES:
        return [
            Finding(
                Severity.WARNING,
                "FX-NOT-AN-INVOICE",
                where,
                f"profile {profile} is not an invoice under EN 16931 (MINIMUM / BASIC WL)",
            )
        ]
    if profile in fxprofile.PRERELEASE_GUIDELINES:
        final = fxprofile.PRERELEASE_GUIDELINES[profile]
        return [
            Finding(
                Severity.ERROR,
                "FX-PROFILE-UNKNOWN",
                where,
                f"guideline {profile!r} is a pre-release spelling that the Factur-X code list "
                f"does not have; the profile's identifier is {final!r}",
            )
        ]
    known = {_ZUGFERD1: _ZUGFERD1_PROFILES, _ZUGFERD1_RC: _ZUGFERD1_RC_PROFILES}.get(dialect)
    if known is not None and profile not in known:
        return [
            Finding(
                Severity.ERROR,
                "FX-PROFILE-UNKNOWN",
                where,
                f"guideline {profile!r} is not a ZUGFeRD 1.0 profile (basic, comfort, extended)",
            )
        ]
    if dialect is _ZUGFERD1_RC:
        return [
            Finding(
                Severity.WARNING,
                "FX-PRERELEASE",
                path_of(root),
                "ZUGFeRD 1.0 release-candidate dialect (CBFBUY:5, 2014): superseded by the "
                "final ZUGFeRD 1.0 schema; read without schema or rule checks",
            )
        ]
    return []


def _invoice(root: etree._Element, dialect: _Dialect, values: ValueReader) -> Invoice:
    ram, text = dialect.ram, values.text
    header = root.find(dialect.header)
    transaction = root.find(dialect.transaction)
    values.require(header, root, dialect.header)
    values.require(transaction, root, dialect.transaction)
    agreement = _child(transaction, dialect.agreement)
    settlement = _child(transaction, dialect.settlement)
    currency_element = _child(settlement, ram + "InvoiceCurrencyCode")
    currency = text(currency_element)
    if currency_element is not None and not _CURRENCY.fullmatch(currency or ""):
        values.error("CODE", currency_element, f"{currency!r} is not an ISO 4217 currency code")
    date_string = f"{ram}IssueDateTime{dialect.date_text}"
    due = f"{ram}SpecifiedTradePaymentTerms/{ram}DueDateDateTime{dialect.date_text}"
    return Invoice(
        number=text(_child(header, ram + "ID")),
        type_code=text(_child(header, ram + "TypeCode")),
        issue_date=values.date_102(_child(header, date_string)),
        due_date=values.date_102(_child(settlement, due)),
        currency=currency,
        buyer_reference=text(_child(agreement, ram + "BuyerReference")),
        seller=_party(_child(agreement, ram + "SellerTradeParty"), ram, values),
        buyer=_party(_child(agreement, ram + "BuyerTradeParty"), ram, values),
        totals=_totals(_child(settlement, dialect.summation), ram, currency, values),
        vat_breakdown=_vat_breakdown(settlement, dialect, values),
        lines=_lines(transaction, dialect, values),
        payment=_payment(settlement, ram, values),
    )


def _child(parent: etree._Element | None, path: str) -> etree._Element | None:
    return None if parent is None else parent.find(path)


def _party(party: etree._Element | None, ram: str, values: ValueReader) -> Party:
    if party is None:
        return Party()
    text = values.text
    vat_id = tax_registration_id = None
    for registration in party.iterfind(f"{ram}SpecifiedTaxRegistration/{ram}ID"):
        scheme = registration.get("schemeID")
        if scheme == "VA":
            vat_id = vat_id or text(registration)
        elif scheme == "FC":
            tax_registration_id = tax_registration_id or text(registration)
    return Party(
        name=text(party.find(ram + "Name")),
        vat_id=vat_id,
        tax_registration_id=tax_registration_id,
        legal_id=text(party.find(f"{ram}SpecifiedLegalOrganization/{ram}ID")),
        country=text(party.find(f"{ram}PostalTradeAddress/{ram}CountryID")),
    )


def _totals(
    summation: etree._Element | None, ram: str, currency: str | None, values: ValueReader
) -> Totals:
    if summation is None:
        return Totals()

    def amount(tag: str) -> Decimal | None:
        return values.decimal(summation.find(ram + tag))

    # BT-110 is the tax total in the invoice currency; a second TaxTotalAmount in
    # another currency is BT-111.
    tax_totals = summation.findall(ram + "TaxTotalAmount")
    tax = next((t for t in tax_totals if t.get("currencyID") == currency), None)
    if tax is None and tax_totals:
        tax = tax_totals[0]
    return Totals(
        line_net=amount("LineTotalAmount"),
        allowances=amount("AllowanceTotalAmount"),
        charges=amount("ChargeTotalAmount"),
        net=amount("TaxBasisTotalAmount"),
        tax=values.decimal(tax),
        gross=amount("GrandTotalAmount"),
        prepaid=amount("TotalPrepaidAmount"),
        rounding=amount("RoundingAmount"),
        due=amount("DuePayableAmount"),
    )


def _vat_breakdown(
    settlement: etree._Element | None, dialect: _Dialect, values: ValueReader
) -> tuple[VatBreakdown, ...]:
    if settlement is None:
        return ()
    ram = dialect.ram
    return tuple(
        VatBreakdown(
            category=values.text(tax.find(ram + "CategoryCode")),
            rate=values.decimal(tax.find(dialect.rate)),
            taxable=values.decimal(tax.find(ram + "BasisAmount")),
            tax=values.decimal(tax.find(ram + "CalculatedAmount")),
        )
        for tax in settlement.iterfind(ram + "ApplicableTradeTax")
    )


def _lines(
    transaction: etree._Element | None, dialect: _Dialect, values: ValueReader
) -> tuple[InvoiceLine, ...]:
    if transaction is None:
        return ()
    ram, text = dialect.ram, values.text
    lines = []
    for item in transaction.iterfind(ram + "IncludedSupplyChainTradeLineItem"):
        line_id = text(item.find(f"{ram}AssociatedDocumentLineDocument/{ram}LineID"))
        if line_id is None and dialect is not _D16B:
            continue  # a ZUGFeRD 1.0 free-text line: a note between lines, not a line
        quantity = item.find(f"{dialect.line_delivery}/{ram}BilledQuantity")
        settlement = item.find(dialect.line_settlement)
        tax = _child(settlement, ram + "ApplicableTradeTax")
        lines.append(
            InvoiceLine(
                id=line_id,
                name=text(item.find(f"{ram}SpecifiedTradeProduct/{ram}Name")),
                quantity=values.decimal(quantity),
                unit=None if quantity is None else quantity.get("unitCode"),
                net=values.decimal(
                    _child(settlement, f"{dialect.line_summation}/{ram}LineTotalAmount")
                ),
                vat_category=text(_child(tax, ram + "CategoryCode")),
                vat_rate=values.decimal(_child(tax, dialect.rate)),
            )
        )
    return tuple(lines)


def _payment(settlement: etree._Element | None, ram: str, values: ValueReader) -> Payment:
    if settlement is None:
        return Payment()
    text = values.text
    means = settlement.find(ram + "SpecifiedTradeSettlementPaymentMeans")
    account = _child(means, ram + "PayeePartyCreditorFinancialAccount")
    iban = text(_child(account, ram + "IBANID")) or text(_child(account, ram + "ProprietaryID"))
    return Payment(
        means_code=text(_child(means, ram + "TypeCode")),
        iban=iban,
        remittance=text(settlement.find(ram + "PaymentReference")),
    )
