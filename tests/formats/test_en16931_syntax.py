"""Unit tests of the UBL-SR, UBL-DT and CII-SR rules: a consistent invoice, then additions.

Each case adds elements to one place of the invoice: the ``fires`` additions break the
rule, the ``passes`` additions stop at what the rule still admits.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest
from lxml import etree

from ledgerbridge.formats.en16931 import check_cii, check_ubl
from ledgerbridge.formats.model import Finding, Severity
from tests.formats.ubl_sample import invoice

_NS = (
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)
_INVOICE = invoice()

_SELLER = "{*}AccountingSupplierParty/{*}Party"
_BUYER = "{*}AccountingCustomerParty/{*}Party"
_LINE = "{*}InvoiceLine"
_DOC = ""


class Case(NamedTuple):
    """Elements added below ``parent`` (an ElementPath; ``""`` is the document element)."""

    rule: str
    parent: str
    fires: tuple[str, ...]
    passes: tuple[str, ...]


def _x(path: str, inner: str = "") -> str:
    """XML of nested elements: ``_x("cac:A/cbc:B", "1")`` is ``<cac:A><cbc:B>1</cbc:B></cac:A>``.

    A step may carry attributes after a space: ``'cbc:ID schemeID="SEPA"'``.
    """
    for step in reversed(re.split(r"/(?=[a-z]+:)", path)):
        inner = f"<{step}>{inner}</{step.partition(' ')[0]}>"
    return inner


def _twice(rule: str, parent: str, snippet: str) -> Case:
    """The usual cardinality case: twice fires, once passes."""
    return Case(rule, parent, (snippet, snippet), (snippet,))


def _means(inner: str) -> str:
    return _x("cac:PaymentMeans", _x("cbc:PaymentMeansCode", "1") + inner)


def _fc_scheme(number: str) -> str:
    return _x("cac:PartyTaxScheme", _x("cbc:CompanyID", number) + _x("cac:TaxScheme/cbc:ID", "FC"))


def _payee(inner: str) -> str:
    return _x("cac:PayeeParty", _x("cac:PartyName/cbc:Name", "Factor") + inner)


def _allowance(indicator: str, reasons: int) -> str:
    reason = _x("cbc:AllowanceChargeReason", "Reason") * reasons
    amount = _x('cbc:Amount currencyID="EUR"', "0.00")
    return _x("cac:AllowanceCharge", _x("cbc:ChargeIndicator", indicator) + reason + amount)


def _preceding(*numbers: str) -> str:
    references = "".join(_x("cac:InvoiceDocumentReference", number) for number in numbers)
    return _x("cac:BillingReference", references)


def _attachment(attributes: str) -> str:
    binary = _x(f"cac:Attachment/cbc:EmbeddedDocumentBinaryObject {attributes}", "QQ==")
    return _x("cac:AdditionalDocumentReference", _x("cbc:ID", "A") + binary)


_CATEGORY = _x(
    "cac:ClassifiedTaxCategory",
    _x("cbc:ID", "S") + _x("cbc:Percent", "19") + _x("cac:TaxScheme/cbc:ID", "VAT"),
)
_SEPA = _x('cac:PartyIdentification/cbc:ID schemeID="SEPA"', "DE98ZZZ09999999999")
_LEGAL = f"{_SELLER}/{{*}}PartyLegalEntity"
_BUYER_LEGAL = f"{_BUYER}/{{*}}PartyLegalEntity"
_ITEM = f"{_LINE}/{{*}}Item"
_PRICE_DISCOUNT = _x(
    "cac:AllowanceCharge",
    _x("cbc:ChargeIndicator", "false") + _x('cbc:Amount currencyID="EUR"', "0.00"),
)
_UBL_CASES = [
    _twice("UBL-SR-01", _DOC, _x("cac:ContractDocumentReference/cbc:ID", "C")),
    _twice("UBL-SR-02", _DOC, _x("cac:ReceiptDocumentReference/cbc:ID", "R")),
    _twice("UBL-SR-03", _DOC, _x("cac:DespatchDocumentReference/cbc:ID", "D")),
    _twice(
        "UBL-SR-04",
        _DOC,
        _x(
            "cac:AdditionalDocumentReference", _x("cbc:ID", "O") + _x("cbc:DocumentTypeCode", "130")
        ),
    ),
    _twice("UBL-SR-05", _DOC, _x("cac:PaymentTerms/cbc:Note", "30 days")),
    Case(
        "UBL-SR-06",
        _DOC,
        (_preceding(_x("cbc:ID", "A"), _x("cbc:ID", "B")),),
        (_preceding(_x("cbc:ID", "A")),),
    ),
    Case(
        "UBL-SR-07",
        _DOC,
        (_preceding(_x("cbc:IssueDate", "2024-01-01")),),
        (_preceding(_x("cbc:ID", "A")),),
    ),
    _twice("UBL-SR-08", _DOC, _x("cac:InvoicePeriod/cbc:StartDate", "2024-01-01")),
    Case("UBL-SR-09", _LEGAL, (_x("cbc:RegistrationName", "Other"),), ()),
    _twice("UBL-SR-10", _SELLER, _x("cac:PartyName/cbc:Name", "Trade")),
    _twice("UBL-SR-11", _LEGAL, _x("cbc:CompanyID", "HRB 1")),
    Case("UBL-SR-13", _SELLER, (_fc_scheme("1/2"), _fc_scheme("3/4")), (_fc_scheme("1/2"),)),
    _twice("UBL-SR-14", _LEGAL, _x("cbc:CompanyLegalForm", "GmbH")),
    Case("UBL-SR-15", _BUYER_LEGAL, (_x("cbc:RegistrationName", "Other"),), ()),
    _twice("UBL-SR-16", _BUYER, _x("cac:PartyIdentification/cbc:ID", "B1")),
    _twice("UBL-SR-17", _BUYER_LEGAL, _x("cbc:CompanyID", "HRB 2")),
    Case("UBL-SR-19", _DOC, (_payee(_x("cac:PartyName/cbc:Name", "Factor 2")),), (_payee(""),)),
    Case(
        "UBL-SR-20",
        _DOC,
        (_payee(_x("cac:PartyIdentification/cbc:ID", "P1") * 2),),
        (_payee(_x("cac:PartyIdentification/cbc:ID", "P1") + _SEPA),),
    ),
    Case(
        "UBL-SR-21",
        _DOC,
        (_payee(_x("cac:PartyLegalEntity", _x("cbc:CompanyID", "L1") * 2)),),
        (_payee(_x("cac:PartyLegalEntity/cbc:CompanyID", "L1")),),
    ),
    Case(
        "UBL-SR-22",
        _DOC,
        (_x("cac:TaxRepresentativeParty", _x("cac:PartyName/cbc:Name", "Rep") * 2),),
        (_x("cac:TaxRepresentativeParty/cac:PartyName/cbc:Name", "Rep"),),
    ),
    Case(
        "UBL-SR-23",
        _DOC,
        (_x("cac:TaxRepresentativeParty/cac:PartyTaxScheme", _x("cbc:CompanyID", "DE1") * 2),),
        (_x("cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:CompanyID", "DE1"),),
    ),
    _twice("UBL-SR-24", _DOC, _x("cac:Delivery/cbc:ActualDeliveryDate", "2024-01-30")),
    Case(
        "UBL-SR-25",
        _DOC,
        (_x("cac:Delivery/cac:DeliveryParty", _x("cac:PartyName/cbc:Name", "Dock") * 2),),
        (_x("cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name", "Dock"),),
    ),
    Case(
        "UBL-SR-26",
        _DOC,
        (_means(_x("cbc:PaymentID", "R1") * 2),),
        (_means(_x("cbc:PaymentID", "R1")),),
    ),
    Case("UBL-SR-27", _DOC, (_means(_x("cbc:PaymentMeansCode", "1")),), (_means(""),)),
    Case(
        "UBL-SR-28",
        _DOC,
        (_means(_x("cac:PaymentMandate", _x("cbc:ID", "M1") + _x("cbc:ID", "M2"))),),
        (_means(_x("cac:PaymentMandate/cbc:ID", "M1")),),
    ),
    _twice("UBL-SR-29", _SELLER, _SEPA),
    Case("UBL-SR-30", _DOC, (_allowance("false", 2),), (_allowance("false", 1),)),
    Case("UBL-SR-31", _DOC, (_allowance("true", 2),), (_allowance("true", 1),)),
    _twice(
        "UBL-SR-32",
        "{*}TaxTotal/{*}TaxSubtotal/{*}TaxCategory",
        _x("cbc:TaxExemptionReason", "Why"),
    ),
    Case(
        "UBL-SR-33",
        _DOC,
        (
            _x(
                "cac:AdditionalDocumentReference",
                _x("cbc:ID", "A") + _x("cbc:DocumentDescription", "D") * 2,
            ),
        ),
        (
            _x(
                "cac:AdditionalDocumentReference",
                _x("cbc:ID", "A") + _x("cbc:DocumentDescription", "D"),
            ),
        ),
    ),
    _twice("UBL-SR-34", _LINE, _x("cbc:Note", "Note")),
    _twice("UBL-SR-35", _LINE, _x("cac:OrderLineReference/cbc:LineID", "1")),
    _twice("UBL-SR-36", _LINE, _x("cac:InvoicePeriod/cbc:StartDate", "2024-01-01")),
    _twice("UBL-SR-37", f"{_LINE}/{{*}}Price", _PRICE_DISCOUNT),
    _twice("UBL-SR-39", _DOC, _x("cac:ProjectReference/cbc:ID", "P")),
    _twice("UBL-SR-40", _BUYER, _x("cac:PartyName/cbc:Name", "Trade")),
    Case("UBL-SR-42", _SELLER, (_fc_scheme("1/2"), _fc_scheme("3/4")), (_fc_scheme("1/2"),)),
    _twice("UBL-SR-45", _DOC, _means(_x("cbc:PaymentDueDate", "2024-02-29"))),
    _twice("UBL-SR-46", _DOC, _x('cac:PaymentMeans/cbc:PaymentMeansCode name="Cash"', "10")),
    Case("UBL-SR-48", _ITEM, (_CATEGORY,), ()),
    _twice("UBL-SR-49", _DOC, _x("cac:InvoicePeriod/cbc:DescriptionCode", "35")),
    _twice("UBL-SR-50", _ITEM, _x("cbc:Description", "Blue")),
    _twice("UBL-SR-51", f"{_SELLER}/{{*}}PostalAddress", _x("cac:AddressLine/cbc:Line", "Hall 3")),
    _twice("UBL-SR-52", _LINE, _x("cac:DocumentReference/cbc:ID", "L")),
    _twice("UBL-SR-54", _DOC, _means(_x("cac:CardAccount/cbc:PrimaryAccountNumberID", "1234"))),
    _twice("UBL-SR-55", _DOC, _means(_x("cac:PaymentMandate/cbc:ID", "M"))),
    _twice("UBL-SR-56", _DOC, _x("cac:OriginatorDocumentReference/cbc:ID", "T")),
    Case(
        "UBL-DT-01",
        _DOC,
        (_x('cac:PrepaidPayment/cbc:PaidAmount currencyID="EUR"', "0.001"),),
        (_x('cac:PrepaidPayment/cbc:PaidAmount currencyID="EUR"', "0.00"),),
    ),
    Case(
        "UBL-DT-07",
        _DOC,
        (_attachment('mimeCode="text/csv"'),),
        (_attachment('mimeCode="text/csv" filename="a.csv"'),),
    ),
]


def _elements(snippets: tuple[str, ...], namespaces: str) -> list[etree._Element]:
    wrapper = etree.fromstring(f"<w {namespaces}>{''.join(snippets)}</w>".encode())
    return list(wrapper)


def ubl_with(parent: str, snippets: tuple[str, ...]) -> etree._Element:
    """The consistent invoice with ``snippets`` appended below ``parent``."""
    root = etree.fromstring(_INVOICE.encode())
    target = root if parent == _DOC else root.find(parent)
    assert target is not None, parent
    target.extend(_elements(snippets, _NS))
    return root


def _errors(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.severity is Severity.ERROR}


@pytest.mark.parametrize("case", _UBL_CASES, ids=lambda case: case.rule)
def test_a_ubl_syntax_rule_fires_beyond_its_cardinality(case: Case) -> None:
    # given
    root = ubl_with(case.parent, case.fires)
    # when
    codes = _errors(check_ubl(root))
    # then
    assert case.rule in codes


@pytest.mark.parametrize("case", _UBL_CASES, ids=lambda case: case.rule)
def test_a_ubl_syntax_rule_passes_within_its_cardinality(case: Case) -> None:
    # given
    root = ubl_with(case.parent, case.passes)
    # when
    codes = _errors(check_ubl(root))
    # then
    assert case.rule not in codes


def test_a_line_without_a_vat_category_is_ubl_sr_48() -> None:
    # given
    root = ubl_with(_DOC, ())
    item = root.find(f"{_LINE}/{{*}}Item")
    assert item is not None
    category = item.find("{*}ClassifiedTaxCategory")
    assert category is not None
    item.remove(category)
    # when
    found = [(f.code, f.location) for f in check_ubl(root) if f.code == "UBL-SR-48"]
    # then
    assert found == [("UBL-SR-48", "/Invoice/cac:InvoiceLine")]


def test_a_payee_named_like_the_seller_breaks_ubl_sr_19_to_21() -> None:
    # given
    same = ubl_with(_DOC, (_x("cac:PayeeParty/cac:PartyName/cbc:Name", "Seller"),))
    unnamed = ubl_with(_DOC, ("<cac:PayeeParty/>",))
    # when
    same_codes = _errors(check_ubl(same))
    unnamed_codes = _errors(check_ubl(unnamed))
    # then
    assert {"UBL-SR-19", "UBL-SR-20", "UBL-SR-21"} <= same_codes
    assert {"UBL-SR-19", "UBL-SR-20", "UBL-SR-21"} <= unnamed_codes


def test_ubl_dt_01_leaves_out_price_amounts_and_price_discounts() -> None:
    # given
    root = ubl_with(
        f"{_LINE}/{{*}}Price",
        (
            "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
            '<cbc:Amount currencyID="EUR">0.001</cbc:Amount>'
            '<cbc:BaseAmount currencyID="EUR">100.001</cbc:BaseAmount></cac:AllowanceCharge>',
        ),
    )
    price = root.find(f"{_LINE}/{{*}}Price/{{*}}PriceAmount")
    assert price is not None
    price.text = "99.999"
    # when
    codes = _errors(check_ubl(root))
    # then
    assert "UBL-DT-01" not in codes


def test_ubl_sr_51_is_reported_at_the_address() -> None:
    # given
    line = "<cac:AddressLine><cbc:Line>Hall 3</cbc:Line></cac:AddressLine>"
    root = ubl_with(f"{_BUYER}/{{*}}PostalAddress", (line, line))
    # when
    found = [f.location for f in check_ubl(root) if f.code == "UBL-SR-51"]
    # then
    assert found == ["/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress"]


_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
_CII_NS = f'xmlns:rsm="{_RSM}" xmlns:ram="{_RAM}" xmlns:udt="{_UDT}"'
_CII = f"""<rsm:CrossIndustryInvoice {_CII_NS}><rsm:SupplyChainTradeTransaction>
<ram:IncludedSupplyChainTradeLineItem><ram:SpecifiedLineTradeSettlement/>
</ram:IncludedSupplyChainTradeLineItem>
<ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty/><ram:BuyerTradeParty/>
</ram:ApplicableHeaderTradeAgreement>
<ram:ApplicableHeaderTradeSettlement/></rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""
_TRADE = "{*}SupplyChainTradeTransaction"
_AGREEMENT = f"{_TRADE}/{{*}}ApplicableHeaderTradeAgreement"
_SETTLEMENT = f"{_TRADE}/{{*}}ApplicableHeaderTradeSettlement"


def cii_with(parent: str, snippets: tuple[str, ...]) -> etree._Element:
    """The CII skeleton with ``snippets`` appended below ``parent``."""
    root = etree.fromstring(_CII.encode())
    target = root.find(parent)
    assert target is not None, parent
    target.extend(_elements(snippets, _CII_NS))
    return root


def _pay(code: str, inner: str = "") -> str:
    return _x("ram:SpecifiedTradeSettlementPaymentMeans", _x("ram:TypeCode", code) + inner)


def _cii_allowance(inner: str) -> str:
    return _x("ram:SpecifiedTradeAllowanceCharge", inner)


def _referenced(code: str, inner: str = "") -> str:
    head = _x("ram:IssuerAssignedID", "A") + _x("ram:TypeCode", code)
    return _x("ram:AdditionalReferencedDocument", head + inner)


_INDICATOR = _x("ram:ChargeIndicator/udt:Indicator", "false")
_AMOUNT = _x("ram:ActualAmount", "1.00")
_PERSON = _x("ram:PersonName", "Ann")
_DEPARTMENT = _x("ram:DepartmentName", "Sales")
_PROPRIETARY = _x("ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID", "1")
_ATTACHMENT = _x('ram:AttachmentBinaryObject mimeCode="text/csv" filename="a.csv"', "QQ==")
_CII_CASES = [
    Case("CII-SR-463", _SETTLEMENT, (_cii_allowance(_AMOUNT),), (_cii_allowance(_INDICATOR),)),
    Case("CII-SR-467", _SETTLEMENT, (_pay("30"), _pay("58")), (_pay("30"), _pay(" 30 "))),
    Case(
        "CII-SR-468",
        _SETTLEMENT,
        (_pay("1", _x("ram:Information", "Cash")), _pay("1", _x("ram:Information", "Coins"))),
        (_pay("1", _x("ram:Information", "Cash")), _pay("1", _x("ram:Information", "Cash "))),
    ),
    _twice("CII-SR-469", _SETTLEMENT, _x("ram:PaymentReference", "R1")),
    Case("CII-SR-470", _SETTLEMENT, (_pay("58"),), (_pay("58", _PROPRIETARY),)),
    Case(
        "CII-SR-473",
        _SETTLEMENT,
        (_cii_allowance(_INDICATOR + _AMOUNT * 2),),
        (_cii_allowance(_INDICATOR + _AMOUNT),),
    ),
]


@pytest.mark.parametrize("case", _CII_CASES, ids=lambda case: case.rule)
def test_a_cii_syntax_rule_fires_as_an_error(case: Case) -> None:
    # given
    root = cii_with(case.parent, case.fires)
    # when
    codes = _errors(check_cii(root))
    # then
    assert case.rule in codes


@pytest.mark.parametrize("case", _CII_CASES, ids=lambda case: case.rule)
def test_a_cii_syntax_rule_passes(case: Case) -> None:
    # given
    root = cii_with(case.parent, case.passes)
    # when
    codes = {f.code for f in check_cii(root)}
    # then
    assert case.rule not in codes


_CII_WARNINGS = [
    Case(
        "CII-SR-465",
        f"{_AGREEMENT}/{{*}}SellerTradeParty",
        (_x("ram:DefinedTradeContact", _PERSON + _DEPARTMENT),),
        (_x("ram:DefinedTradeContact", _PERSON),),
    ),
    Case(
        "CII-SR-466",
        f"{_AGREEMENT}/{{*}}BuyerTradeParty",
        (_x("ram:DefinedTradeContact", _PERSON), _x("ram:DefinedTradeContact", _DEPARTMENT)),
        (_x("ram:DefinedTradeContact", _DEPARTMENT),),
    ),
    Case(
        "CII-SR-474",
        f"{_TRADE}/{{*}}IncludedSupplyChainTradeLineItem/{{*}}SpecifiedLineTradeSettlement",
        (_referenced("130"), _referenced(" 130")),
        (_referenced("130"), _referenced("916")),
    ),
    Case(
        "CII-SR-475",
        _AGREEMENT,
        (_referenced("916", _x("ram:Name", "Hours")), _referenced("916", _x("ram:Name", "Costs"))),
        (_referenced("916", _x("ram:Name", "Hours")), _referenced("130", _x("ram:Name", "Costs"))),
    ),
    Case(
        "CII-SR-476",
        _AGREEMENT,
        (_referenced("916", _ATTACHMENT * 2),),
        (_referenced("916", _ATTACHMENT),),
    ),
]


@pytest.mark.parametrize("case", _CII_WARNINGS, ids=lambda case: case.rule)
def test_a_cii_syntax_warning_fires_as_a_warning(case: Case) -> None:
    # given
    root = cii_with(case.parent, case.fires)
    # when
    found = [f.severity for f in check_cii(root) if f.code == case.rule]
    # then
    assert found == [Severity.WARNING]


@pytest.mark.parametrize("case", _CII_WARNINGS, ids=lambda case: case.rule)
def test_a_cii_syntax_warning_stays_silent_within_its_cardinality(case: Case) -> None:
    # given
    root = cii_with(case.parent, case.passes)
    # when
    codes = {f.code for f in check_cii(root)}
    # then
    assert case.rule not in codes


def test_cii_sr_470_accepts_an_account_with_iban_and_proprietary_id() -> None:
    # given: CEN 1.3.16 asks for either; Factur-X's copy of the rule refuses both
    account = (
        "<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE02120300000000202051</ram:IBANID>"
        "<ram:ProprietaryID>1</ram:ProprietaryID></ram:PayeePartyCreditorFinancialAccount>"
    )
    root = cii_with(_SETTLEMENT, (_pay("30", account),))
    # when
    codes = {f.code for f in check_cii(root)}
    # then
    assert "CII-SR-470" not in codes
