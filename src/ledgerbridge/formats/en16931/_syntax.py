"""Syntax rules of the CEN schematron that have no abstract counterpart (UBL-SR, UBL-DT,
CII-SR): cardinalities and attributes that only exist in one syntax.

Most of them bound how often a path occurs below a context element: those are
:class:`Count` rows, grouped by the context the schematron gives them. A walk over the
tree (``iter`` with the context tags, filtered in C) visits the context elements; each
group's rows are counted by one XPath compiled from them (libxml2 counts in C, far
faster than walking every path in Python), and only an element that breaks a row is
counted again row by row, to name the rules it breaks. The UBL contexts do not overlap,
so each element answers one group, as under the schematron's rule that the first
matching rule of a pattern checks a node. Severities are the schematron's: every UBL-SR
and UBL-DT rule here is fatal; CII-SR-452, 453, 465, 466, 474, 475 and 476 are warnings.

>>> from lxml import etree
>>> root = etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
... )
>>> check_ubl_syntax(root)
[]
>>> row = Count("UBL-SR-36", "cac:InvoicePeriod", "The line period (BG-26)")
>>> row.broken, row.message
('count(cac:InvoicePeriod) > 1', 'The line period (BG-26) shall occur at most once.')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from lxml import etree

from ledgerbridge.formats.en16931 import _cii, _ubl
from ledgerbridge.formats.en16931._rules import error, warning
from ledgerbridge.formats.en16931._walk import boolean, location, string
from ledgerbridge.formats.model import Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Count", "Group", "check_cii_syntax", "check_ubl_syntax"]

CAC, CBC, RAM = _ubl.CAC, _ubl.CBC, _cii.RAM
_UBL_PREFIXES, _CII_PREFIXES = _ubl.PREFIXES, _cii.PREFIXES
_NAMESPACES = {
    prefix: namespace[1:-1]
    for namespace, prefix in (*_UBL_PREFIXES.items(), *_CII_PREFIXES.items())
}


@cache
def _xpath(expression: str) -> etree.XPath:
    """An XPath over both syntaxes' prefixes, compiled once per expression."""
    return etree.XPath(expression, namespaces=_NAMESPACES)


@dataclass(frozen=True, slots=True)
class Count:
    """``count(path)`` (an XPath 1.0 location path) below the context element lies in
    ``least`` … ``most`` (``None``: unbounded); ``term`` names what is counted."""

    rule: str
    path: str
    term: str
    most: int | None = 1
    least: int = 0
    severity: Severity = Severity.ERROR

    @property
    def broken(self) -> str:
        """The XPath condition, in the context element, that the row is broken."""
        tests = [] if self.most is None else [f"count({self.path}) > {self.most}"]
        tests += [f"count({self.path}) < {self.least}"] if self.least else []
        return " or ".join(tests)

    @property
    def message(self) -> str:
        shall = "should" if self.severity is Severity.WARNING else "shall"
        if self.least == self.most:
            return f"{self.term} {shall} occur exactly once."
        if self.most is None:
            return f"{self.term} {shall} be present."
        times = "once" if self.most == 1 else f"{self.most} times"
        return f"{self.term} {shall} occur at most {times}."


class Group:
    """The :class:`Count` rows of one context, with one XPath for "is any of them broken"."""

    __slots__ = ("rows", "screen")

    def __init__(self, *rows: Count) -> None:
        self.rows = rows
        self.screen = _xpath(f"boolean({' or '.join(row.broken for row in rows)})")


def _counted(el: etree._Element, group: Group, prefixes: dict[str, str]) -> Iterator[Finding]:
    """The rows ``el`` breaks: one XPath says whether any is, then each is asked."""
    if group.screen(el) is not True:
        return
    for row in group.rows:
        if _xpath(f"boolean({row.broken})")(el) is True:
            yield Finding(row.severity, row.rule, location(el, prefixes), row.message)


_SELLER = "cac:AccountingSupplierParty/cac:Party"
_BUYER = "cac:AccountingCustomerParty/cac:Party"
# `cac:TaxScheme/upper-case(cbc:ID) = 'VAT'` in XPath 1.0 (which has no upper-case).
_VAT = "translate(cac:TaxScheme/cbc:ID, 'vat', 'VAT') = 'VAT'"
# Context /Invoice | /CreditNote. UBL-SR-42 is the seller party's, which only occurs here.
_UBL_DOCUMENT = Group(
    Count("UBL-SR-01", "cac:ContractDocumentReference/cbc:ID", "The contract (BT-12)"),
    Count("UBL-SR-02", "cac:ReceiptDocumentReference/cbc:ID", "The receiving advice (BT-15)"),
    Count("UBL-SR-03", "cac:DespatchDocumentReference/cbc:ID", "The despatch advice (BT-16)"),
    Count(
        "UBL-SR-04",
        "cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']/cbc:ID",
        "The invoiced object identifier (BT-18)",
    ),
    Count("UBL-SR-05", "cac:PaymentTerms/cbc:Note", "The payment terms (BT-20)"),
    Count("UBL-SR-08", "cac:InvoicePeriod", "The invoicing period (BG-14)"),
    Count(
        "UBL-SR-09", f"{_SELLER}/cac:PartyLegalEntity/cbc:RegistrationName", "The seller (BT-27)"
    ),
    Count("UBL-SR-10", f"{_SELLER}/cac:PartyName/cbc:Name", "The seller trading name (BT-28)"),
    Count(
        "UBL-SR-11",
        f"{_SELLER}/cac:PartyLegalEntity/cbc:CompanyID",
        "The seller legal registration identifier (BT-30)",
    ),
    Count(
        "UBL-SR-12",
        f"{_SELLER}/cac:PartyTaxScheme[{_VAT}]/cbc:CompanyID",
        "The seller VAT identifier (BT-31)",
    ),
    Count(
        "UBL-SR-13",
        f"{_SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID and not({_VAT})]/cbc:CompanyID",
        "The seller tax registration identifier (BT-32)",
    ),
    Count(
        "UBL-SR-14",
        f"{_SELLER}/cac:PartyLegalEntity/cbc:CompanyLegalForm",
        "The seller additional legal information (BT-33)",
    ),
    Count("UBL-SR-15", f"{_BUYER}/cac:PartyLegalEntity/cbc:RegistrationName", "The buyer (BT-44)"),
    Count("UBL-SR-16", f"{_BUYER}/cac:PartyIdentification/cbc:ID", "The buyer id (BT-46)"),
    Count(
        "UBL-SR-17",
        f"{_BUYER}/cac:PartyLegalEntity/cbc:CompanyID",
        "The buyer legal registration identifier (BT-47)",
    ),
    Count(
        "UBL-SR-18",
        f"{_BUYER}/cac:PartyTaxScheme[{_VAT}]/cbc:CompanyID",
        "The buyer VAT identifier (BT-48)",
    ),
    Count("UBL-SR-24", "cac:Delivery", "The deliver to information (BG-13)"),
    Count(
        "UBL-SR-29",
        "//cac:PartyIdentification/cbc:ID[translate(@schemeID, 'sepa', 'SEPA') = 'SEPA']",
        "The bank assigned creditor identifier (BT-90)",
    ),
    Count("UBL-SR-39", "cac:ProjectReference/cbc:ID", "The project reference (BT-11)"),
    Count("UBL-SR-40", f"{_BUYER}/cac:PartyName/cbc:Name", "The buyer trading name (BT-45)"),
    Count("UBL-SR-42", f"{_SELLER}/cac:PartyTaxScheme", "The seller tax scheme", most=2),
    Count("UBL-SR-45", "cac:PaymentMeans/cbc:PaymentDueDate", "The due date (BT-9)"),
    Count(
        "UBL-SR-46",
        "cac:PaymentMeans/cbc:PaymentMeansCode/@name",
        "The payment means text (BT-82)",
    ),
    Count("UBL-SR-49", "cac:InvoicePeriod/cbc:DescriptionCode", "The tax point date code (BT-8)"),
    Count("UBL-SR-54", "cac:PaymentMeans/cac:CardAccount", "The payment card (BG-18)"),
    Count("UBL-SR-55", "cac:PaymentMeans/cac:PaymentMandate", "The direct debit (BG-19)"),
    Count(
        "UBL-SR-56", "cac:OriginatorDocumentReference/cbc:ID", "The tender or lot reference (BT-17)"
    ),
)
_UBL_LINE = Group(
    Count("UBL-SR-34", "cbc:Note", "The invoice line note (BT-127)"),
    Count("UBL-SR-35", "cac:OrderLineReference/cbc:LineID", "The order line (BT-132)"),
    Count("UBL-SR-36", "cac:InvoicePeriod", "The invoice line period (BG-26)"),
    Count("UBL-SR-37", "cac:Price/cac:AllowanceCharge/cbc:Amount", "The price discount"),
    Count(
        "UBL-SR-48", "cac:Item/cac:ClassifiedTaxCategory", "The line VAT category (BG-30)", least=1
    ),
    Count("UBL-SR-50", "cac:Item/cbc:Description", "The item description (BT-154)"),
    Count("UBL-SR-52", "cac:DocumentReference", "The line object reference (BT-128)"),
)
_ADDRESS = Group(Count("UBL-SR-51", "cac:AddressLine", "The third address line"))
_UBL_CONTEXTS: dict[str, Group] = {
    CAC + "PaymentMeans": Group(
        Count("UBL-SR-26", "cbc:PaymentID", "The remittance information (BT-83)"),
        Count("UBL-SR-27", "cbc:PaymentMeansCode", "The payment means code (BT-81)"),
        Count("UBL-SR-28", "cac:PaymentMandate/cbc:ID", "The mandate reference (BT-89)"),
    ),
    CAC + "BillingReference": Group(
        Count("UBL-SR-06", "cac:InvoiceDocumentReference", "The preceding invoice (BG-3)"),
        Count(
            "UBL-SR-07",
            "cac:InvoiceDocumentReference/cbc:ID",
            "The preceding invoice number (BT-25)",
            most=None,
            least=1,
        ),
    ),
    CAC + "TaxRepresentativeParty": Group(
        Count("UBL-SR-22", "cac:PartyName/cbc:Name", "The tax representative name (BT-62)"),
        Count(
            "UBL-SR-23",
            "cac:PartyTaxScheme/cbc:CompanyID",
            "The tax representative VAT identifier (BT-63)",
        ),
    ),
    CAC + "TaxSubtotal": Group(
        Count(
            "UBL-SR-32", "cac:TaxCategory/cbc:TaxExemptionReason", "The exemption reason (BT-120)"
        ),
    ),
    CAC + "Delivery": Group(
        Count(
            "UBL-SR-25",
            "cac:DeliveryParty/cac:PartyName/cbc:Name",
            "The deliver to party name (BT-70)",
        ),
    ),
    CAC + "AdditionalDocumentReference": Group(
        Count("UBL-SR-33", "cbc:DocumentDescription", "The document description (BT-123)"),
    ),
    CAC + "PostalAddress": _ADDRESS,
    CAC + "Address": _ADDRESS,
    CAC + "InvoiceLine": _UBL_LINE,
    CAC + "CreditNoteLine": _UBL_LINE,
}
_UBL_REASONS = {
    False: Group(Count("UBL-SR-30", "cbc:AllowanceChargeReason", "The allowance reason")),
    True: Group(Count("UBL-SR-31", "cbc:AllowanceChargeReason", "The charge reason")),
}
# UBL 2.1 basic components named ``*Amount`` (UBL-DT-01 reads ``//*[ends-with(name(),
# 'Amount')]``): all of them but cbc:PriceAmount, which the rule leaves out.
_AMOUNT_NAMES = """
    AdvertisementAmount AllowanceTotalAmount Amount AnnualAverageAmount
    AverageAmount AverageSubsequentContractAmount BalanceAmount BaseAmount
    CallBaseAmount CallExtensionAmount ChargeTotalAmount CorporateStockAmount
    CorrectionAmount CorrectionUnitAmount CreditLineAmount DebitLineAmount
    DeclaredCarriageValueAmount DeclaredCustomsValueAmount
    DeclaredForCarriageValueAmount DeclaredStatisticsValueAmount
    DocumentationFeeAmount EstimatedAmount EstimatedOverallContractAmount FaceValueAmount
    FeeAmount FreeOnBoardValueAmount HigherTenderAmount InsurancePremiumAmount
    InsuranceValueAmount InventoryValueAmount LiabilityAmount LineExtensionAmount
    LowerTenderAmount MarketValueAmount MaximumAdvertisementAmount MaximumAmount
    MaximumPaidAmount MinimumAmount PaidAmount PartyCapacityAmount
    PayableAlternativeAmount PayableAmount PayableRoundingAmount PenaltyAmount
    PerUnitAmount PrepaidAmount RequiredFeeAmount RoundingAmount
    SettlementDiscountAmount TaxAmount TaxEnergyAmount TaxEnergyBalanceAmount
    TaxEnergyOnAccountAmount TaxExclusiveAmount TaxInclusiveAmount TaxableAmount
    ThresholdAmount TimeAmount TotalAmount TotalBalanceAmount
    TotalCreditAmount TotalDebitAmount TotalInvoiceAmount TotalPaymentAmount
    TotalTaskAmount TotalTaxAmount TransactionCurrencyTaxAmount ValueAmount
"""
_AMOUNTS = tuple(CBC + name for name in _AMOUNT_NAMES.split())
_ALLOWANCE = CAC + "AllowanceCharge"
_TAX_SCHEME = CAC + "PartyTaxScheme"
_DOC_REFERENCE = CAC + "AdditionalDocumentReference"
_PAYEE = CAC + "PayeeParty"
_BINARY = CBC + "EmbeddedDocumentBinaryObject"
_PRICE = CAC + "Price"
_CONTEXT_TAGS = (*_UBL_CONTEXTS, _ALLOWANCE, _TAX_SCHEME, _PAYEE, _BINARY)
_PAYMENT_ID = CBC + "PaymentID"
_MEANS_CODE = CBC + "PaymentMeansCode"
_SUB_LINE = CAC + "SubInvoiceLine"


def _where(el: etree._Element) -> str:
    return location(el, _UBL_PREFIXES)


def _distinct_texts(root: etree._Element, tag: str) -> int:
    return len({string(el) for el in root.iter(tag)})


def _ubl_document(root: etree._Element, r: str) -> Iterator[Finding]:
    """The rules whose context is the Invoice or CreditNote element."""
    yield from _counted(root, _UBL_DOCUMENT, _UBL_PREFIXES)
    if _distinct_texts(root, _PAYMENT_ID) > 1:
        yield error("UBL-SR-44", r, "Payment ID shall occur maximum once.")
    if _distinct_texts(root, _MEANS_CODE) > 1:
        yield error("UBL-SR-47", r, "All payment means shall use the same code.")
    if next(root.iter(_SUB_LINE), None) is not None:
        yield warning("UBL-CR-646", r, "A UBL invoice should not include sub invoice lines.")


def _payee(el: etree._Element) -> Iterator[Finding]:
    """UBL-SR-19/20/21: each also needs a payee name that differs from the seller's name.

    The schematron compares the payee names with the seller's registration names as
    sequences (``!=``): true when some pair differs, false when either is missing.
    """
    names = [string(n) for n in _ubl.children(el, "cac:PartyName", "cbc:Name")]
    seller = _ubl.child(el.getparent(), "cac:AccountingSupplierParty", "cac:Party")
    seller_names = [
        string(n) for n in _ubl.children(seller, "cac:PartyLegalEntity", "cbc:RegistrationName")
    ]
    differs = any(a != b for a in names for b in seller_names)
    idents = [
        ident
        for ident in _ubl.children(el, "cac:PartyIdentification", "cbc:ID")
        if (ident.get("schemeID") or "").upper() != "SEPA"
    ]
    legal = _ubl.children(el, "cac:PartyLegalEntity", "cbc:CompanyID")
    for rule, count, term in (
        ("UBL-SR-19", len(names), "payee name (BT-59)"),
        ("UBL-SR-20", len(idents), "payee identifier (BT-60)"),
        ("UBL-SR-21", len(legal), "payee legal registration identifier (BT-61)"),
    ):
        if count > 1 or not differs:
            message = f"A payee other than the seller, with at most one {term}."
            yield error(rule, _where(el), message)


def _object_scheme(el: etree._Element, name: str) -> Iterator[Finding]:
    """UBL-SR-43: a scheme identifier only on an invoiced object (type 130, or 50 in a
    credit note)."""
    code = _ubl.text(el, "cbc:DocumentTypeCode")
    ident = _ubl.child(el, "cbc:ID")
    if not (
        code == "130"
        or (name == "CreditNote" and code == "50")
        or (code is None and (ident is None or ident.get("schemeID") is None))
    ):
        yield error("UBL-SR-43", _where(el), "Scheme identifier only for invoiced objects.")


def _in_price_discount(el: etree._Element) -> bool:
    """``ancestor::cac:Price/cac:AllowanceCharge``: inside a price that has a discount."""
    prices = el.iterancestors(_PRICE)
    return any(_ubl.child(price, "cac:AllowanceCharge") is not None for price in prices)


def _element(el: etree._Element, name: str) -> Iterator[Finding]:
    """The rules of one context element of the walk."""
    tag = str(el.tag)
    rows = _UBL_CONTEXTS.get(tag)
    if rows is not None:
        yield from _counted(el, rows, _UBL_PREFIXES)
        if tag == _DOC_REFERENCE:
            yield from _object_scheme(el, name)
    elif tag == _ALLOWANCE:
        charge = boolean(_ubl.text(el, "cbc:ChargeIndicator"))
        if charge is not None:
            yield from _counted(el, _UBL_REASONS[charge], _UBL_PREFIXES)
    elif tag == _TAX_SCHEME:
        scheme = _ubl.child(el, "cac:TaxScheme", "cbc:ID")
        if scheme is None or _ubl.child(el, "cbc:CompanyID") is None:
            yield error("UBL-SR-53", _where(el), "PartyTaxScheme needs a CompanyID and a scheme.")
    elif tag == _PAYEE:
        yield from _payee(el)
    else:  # _BINARY
        for attribute, rule in (("mimeCode", "UBL-DT-06"), ("filename", "UBL-DT-07")):
            if el.get(attribute) is None:
                yield error(rule, _where(el), f"Binary objects shall have a {attribute}.")


def _amounts(root: etree._Element) -> Iterator[Finding]:
    """UBL-DT-01 on every amount but the price and the price discount."""
    for el in root.iter(*_AMOUNTS):
        value = el.text or "" if len(el) == 0 else string(el)
        if len(value.partition(".")[2]) > 2 and not _in_price_discount(el):
            yield error("UBL-DT-01", _where(el), "Amounts shall have at most two decimals.")


def check_ubl_syntax(root: etree._Element) -> list[Finding]:
    """The UBL-SR and UBL-DT rules of the CEN schematron and UBL-CR-646 (a warning)."""
    name = _ubl.etree_localname(root)
    found = [*_ubl_document(root, f"/{name}"), *_amounts(root)]
    for el in root.iter(*_CONTEXT_TAGS):
        found += _element(el, name)
    return found


_CII_SETTLEMENT = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
_CII_ALLOWANCE = Group(
    Count("CII-SR-463", "ram:ChargeIndicator", "The charge indicator", most=None, least=1),
    Count("CII-SR-473", "ram:ActualAmount", "The allowance or charge amount"),
)


def _contact(party: etree._Element | None) -> bool:
    """A contact person name and a department name are both given (BT-41/BT-56)."""
    contacts = _cii.children(party, "ram:DefinedTradeContact")
    return any(_cii.child(c, "ram:PersonName") is not None for c in contacts) and any(
        _cii.child(c, "ram:DepartmentName") is not None for c in contacts
    )


_WARNING = Severity.WARNING
_SUPPORTING = "ram:AdditionalReferencedDocument[normalize-space(ram:TypeCode) = '916']"
_CII_AGREEMENT = Group(
    Count(
        "CII-SR-475",
        f"{_SUPPORTING}/ram:Name",
        "The supporting document description (BT-123)",
        severity=_WARNING,
    ),
    Count(
        "CII-SR-476",
        f"{_SUPPORTING}/ram:AttachmentBinaryObject",
        "The attached document (BT-125)",
        severity=_WARNING,
    ),
)
_CII_SETTLEMENT_ROWS = Group(
    Count("CII-SR-452", "ram:SpecifiedTradePaymentTerms", "The payment terms", severity=_WARNING),
    Count(
        "CII-SR-453",
        "ram:SpecifiedTradePaymentTerms/ram:Description",
        "The payment terms (BT-20)",
        severity=_WARNING,
    ),
    Count("CII-SR-461", "ram:ApplicableTradeTax/ram:TaxPointDate", "The tax point date (BT-7)"),
    Count("CII-SR-469", "ram:PaymentReference", "The remittance information (BT-83)"),
)
_CII_LINE = Group(
    Count(
        "CII-SR-474",
        "ram:AdditionalReferencedDocument[normalize-space(ram:TypeCode) = '130']",
        "The line object identifier (BT-128)",
        severity=_WARNING,
    ),
)


def _cii_agreement(root: etree._Element) -> Iterator[Finding]:
    agreement = _cii.child(
        root, "rsm:SupplyChainTradeTransaction", "ram:ApplicableHeaderTradeAgreement"
    )
    if agreement is None:
        return
    r = f"{_CII_SETTLEMENT}/ram:ApplicableHeaderTradeAgreement"
    if _contact(_cii.child(agreement, "ram:SellerTradeParty")):
        yield warning("CII-SR-465", r, "Only one seller contact point (BT-41) should be given.")
    if _contact(_cii.child(agreement, "ram:BuyerTradeParty")):
        yield warning("CII-SR-466", r, "Only one buyer contact point (BT-56) should be given.")
    yield from _counted(agreement, _CII_AGREEMENT, _CII_PREFIXES)


def _cii_lines(root: etree._Element) -> Iterator[Finding]:
    for line in _cii.children(
        root, "rsm:SupplyChainTradeTransaction", "ram:IncludedSupplyChainTradeLineItem"
    ):
        for settlement in _cii.children(line, "ram:SpecifiedLineTradeSettlement"):
            yield from _counted(settlement, _CII_LINE, _CII_PREFIXES)


def _same(values: list[etree._Element]) -> bool:
    """Every value equals the first after ``normalize-space`` (CII-SR-467/468)."""
    return len({" ".join(string(v).split()) for v in values}) <= 1


def _credit_transfer_without_account(means: etree._Element) -> bool:
    """CII-SR-470 as CEN 1.3.16 tests it: code 30 or 58 and no account IBAN or other ID."""
    codes = {string(c).strip() for c in _cii.children(means, "ram:TypeCode")}
    accounts = _cii.children(means, "ram:PayeePartyCreditorFinancialAccount")
    has_id = any(
        _cii.child(a, "ram:IBANID") is not None or _cii.child(a, "ram:ProprietaryID") is not None
        for a in accounts
    )
    return bool(codes & {"30", "58"}) and not has_id


def _cii_settlement(root: etree._Element) -> Iterator[Finding]:
    settlement = _cii.child(
        root, "rsm:SupplyChainTradeTransaction", "ram:ApplicableHeaderTradeSettlement"
    )
    if settlement is None:
        return
    r = f"{_CII_SETTLEMENT}/ram:ApplicableHeaderTradeSettlement"
    yield from _counted(settlement, _CII_SETTLEMENT_ROWS, _CII_PREFIXES)
    codes = {string(c) for c in root.iter(RAM + "DueDateTypeCode")}
    if len(codes) > 1:
        yield error("CII-SR-462", r, "Value added tax point date code shall be unique.")
    means = _cii.children(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    if any(_credit_transfer_without_account(m) for m in means):
        yield error("CII-SR-470", r, "A credit transfer needs an IBAN or a proprietary ID.")


def _cii_document(root: etree._Element) -> Iterator[Finding]:
    r = "/rsm:CrossIndustryInvoice"
    means = list(root.iter(RAM + "SpecifiedTradeSettlementPaymentMeans"))
    if not _same([c for m in means for c in _cii.children(m, "ram:TypeCode")]):
        yield error("CII-SR-467", r, "All payment means shall use the same code (BT-81).")
    if not _same([c for m in means for c in _cii.children(m, "ram:Information")]):
        yield error("CII-SR-468", r, "All payment means shall have the same text (BT-82).")


def check_cii_syntax(root: etree._Element) -> list[Finding]:
    """CII-SR-452/453/461/462 and the CII-SR-463 … 476 rules of CEN 1.3.16.

    CEN's severities apply, which the Factur-X copy of these rules does not keep
    (CII-SR-465/466 are CEN warnings). CII-SR-464 is left out: its Factur-X test always
    holds and CEN's is not at hand; so are 471 and 472, whose numbers the copies give to
    opposite tests (at most one CategoryTradeTax, at most one RateApplicablePercent).
    """
    found = [*_cii_document(root), *_cii_agreement(root), *_cii_settlement(root)]
    found += _cii_lines(root)
    for allowance in root.iter(RAM + "SpecifiedTradeAllowanceCharge"):
        found += _counted(allowance, _CII_ALLOWANCE, _CII_PREFIXES)
    return found
