"""Unit tests of the EN 16931 rules: a minimal valid UBL invoice, then single mutations."""

from __future__ import annotations

from lxml import etree

from ledgerbridge.formats.en16931 import check_cii, check_ubl
from ledgerbridge.formats.model import Finding, Severity
from tests.formats.ubl_sample import INVOICE_TEMPLATE

_INVOICE = INVOICE_TEMPLATE


def _ubl(tax: str = "19.00", gross: str = "119.00") -> etree._Element:
    xml = _INVOICE.replace("TAX", tax).replace("GROSS", gross)
    return etree.fromstring(xml.encode())


def test_a_consistent_invoice_has_no_error() -> None:
    # given
    root = _ubl()
    # when
    findings = check_ubl(root)
    # then
    assert [f for f in findings if f.is_error] == []


def test_a_wrong_gross_total_is_br_co_15_with_its_location() -> None:
    # given
    root = _ubl(gross="120.00")
    # when
    codes = {(f.code, f.location) for f in check_ubl(root) if f.is_error}
    # then
    assert ("BR-CO-15", "/Invoice") in codes


def test_a_tax_amount_off_by_more_than_one_unit_breaks_the_vat_rules() -> None:
    # given
    root = _ubl(tax="21.00", gross="121.00")
    # when
    codes = {f.code for f in check_ubl(root) if f.is_error}
    # then
    assert {"BR-CO-17", "BR-S-09"} <= codes


def test_sums_are_compared_after_rounding_to_two_decimals() -> None:
    # given: 19.004 rounds to 19.00 like the schematron's round(x * 100) div 100
    root = _ubl(tax="19.00", gross="119.00")
    line = root.find(".//{*}InvoiceLine/{*}LineExtensionAmount")
    assert line is not None
    line.text = "100.004"
    # when
    codes = {f.code for f in check_ubl(root) if f.is_error}
    # then
    assert "BR-CO-10" not in codes
    assert "BR-DEC-23" in codes


def test_an_empty_invoice_misses_every_mandatory_term() -> None:
    # given
    root = etree.fromstring(
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
    )
    # when
    codes = {f.code for f in check_ubl(root)}
    # then
    assert {f"BR-{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 16)} <= codes


def test_card_numbers_longer_than_ten_digits_are_a_warning() -> None:
    # given
    root = _ubl()
    means = etree.SubElement(
        root,
        "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}PaymentMeans",
    )
    etree.SubElement(
        means,
        "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}PaymentMeansCode",
    ).text = "48"
    card = etree.SubElement(
        means,
        "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}CardAccount",
    )
    cbc = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
    pan = cbc + "PrimaryAccountNumberID"
    etree.SubElement(card, pan).text = "123456789012"
    # when
    found = [f for f in check_ubl(root) if f.code == "BR-51"]
    # then
    assert [f.severity for f in found] == [Severity.WARNING]


def test_an_empty_cii_invoice_misses_the_specification_identifier() -> None:
    # given
    root = etree.fromstring(
        b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        b'CrossIndustryInvoice:100"/>'
    )
    # when
    codes = {f.code for f in check_cii(root)}
    # then
    assert {"BR-01", "BR-16"} <= codes


_CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
_CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
_EXTENSION = (
    "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0"
)


def _codes_of(findings: list[Finding], code_prefix: str) -> list[tuple[str, Severity]]:
    return sorted((f.code, f.severity) for f in findings if f.code.startswith(code_prefix))


def _party_id(root: etree._Element, party: str, scheme: str) -> None:
    element = root.find(f"{_CAC}{party}/{_CAC}Party")
    assert element is not None
    ident = etree.SubElement(etree.SubElement(element, _CAC + "PartyIdentification"), _CBC + "ID")
    ident.text = "12345"
    ident.set("schemeID", scheme)


def _cii_tax(calculated: str) -> etree._Element:
    return etree.fromstring(
        b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        b'CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:'
        b'ReusableAggregateBusinessInformationEntity:100"><rsm:SupplyChainTradeTransaction>'
        b"<ram:ApplicableHeaderTradeSettlement><ram:ApplicableTradeTax>"
        b"<ram:CalculatedAmount>" + calculated.encode() + b"</ram:CalculatedAmount>"
        b"<ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>-72.50</ram:BasisAmount>"
        b"<ram:CategoryCode>S</ram:CategoryCode>"
        b"<ram:RateApplicablePercent>19.00</ram:RateApplicablePercent>"
        b"</ram:ApplicableTradeTax><ram:SpecifiedTradeSettlementPaymentMeans>"
        b"<ram:TypeCode>999</ram:TypeCode></ram:SpecifiedTradeSettlementPaymentMeans>"
        b"</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
        b"</rsm:CrossIndustryInvoice>"
    )


def test_an_unknown_currency_is_br_cl_04_at_its_element() -> None:
    # given
    root = _ubl()
    currency = root.find(_CBC + "DocumentCurrencyCode")
    assert currency is not None
    currency.text = "EURO"
    # when
    found = [f for f in check_ubl(root) if f.code == "BR-CL-04"]
    # then
    assert [(f.severity, f.location) for f in found] == [
        (Severity.ERROR, "/Invoice/cbc:DocumentCurrencyCode")
    ]


def test_codes_are_compared_after_normalize_space_as_one_token() -> None:
    # given
    padded, split = _ubl(), _ubl()
    for root, text in ((padded, "\n EUR \t"), (split, "EU R")):
        currency = root.find(_CBC + "DocumentCurrencyCode")
        assert currency is not None
        currency.text = text
    # when
    padded_codes = {f.code for f in check_ubl(padded)}
    split_codes = {f.code for f in check_ubl(split)}
    # then
    assert "BR-CL-04" not in padded_codes
    assert "BR-CL-04" in split_codes


def test_a_sepa_identifier_is_admitted_for_the_seller_but_not_the_buyer() -> None:
    # given
    root = _ubl()
    _party_id(root, "AccountingSupplierParty", "SEPA")
    _party_id(root, "AccountingCustomerParty", "SEPA")
    # when
    found = [f.location for f in check_ubl(root) if f.code == "BR-CL-10"]
    # then
    assert found == [
        "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID"
    ]


def test_allowance_and_charge_reason_codes_are_read_from_their_own_lists() -> None:
    # given: 95 is an allowance reason (UNCL 5189), FC a charge reason (UNCL 7161)
    root = _ubl()
    for indicator, code in (("false", "FC"), ("true", "95"), ("false", "95"), ("true", "FC")):
        charge = etree.SubElement(root, _CAC + "AllowanceCharge")
        etree.SubElement(charge, _CBC + "ChargeIndicator").text = indicator
        etree.SubElement(charge, _CBC + "AllowanceChargeReasonCode").text = code
    # when
    found = _codes_of(check_ubl(root), "BR-CL-")
    # then
    assert found == [("BR-CL-19", Severity.ERROR), ("BR-CL-20", Severity.ERROR)]


def test_a_ubl_note_subject_passes_when_it_is_part_of_a_listed_code() -> None:
    # given: the schematron tests contains(' AAA AAB … ', code) without padding the code
    notes = {"#AAI#Text": False, "#AA#Text": False, "no subject": False, "#XYZ#Text": True}
    for text, fires in notes.items():
        root = _ubl()
        etree.SubElement(root, _CBC + "Note").text = text
        # when
        codes = {f.code for f in check_ubl(root)}
        # then
        assert ("BR-CL-08" in codes) is fires, text


def test_the_xrechnung_extension_replaces_br_cl_10_by_br_dex_04() -> None:
    # given
    admitted, refused = _ubl(), _ubl()
    for root, scheme in ((admitted, "XR01"), (refused, "XR99")):
        customization = root.find(_CBC + "CustomizationID")
        assert customization is not None
        customization.text = _EXTENSION
        _party_id(root, "AccountingCustomerParty", scheme)
    # when
    admitted_found = _codes_of(check_ubl(admitted), "BR-")
    refused_found = _codes_of(check_ubl(refused), "BR-")
    # then
    assert ("BR-CL-10", Severity.WARNING) in admitted_found
    assert ("BR-DEX-04", Severity.ERROR) not in admitted_found
    assert ("BR-CL-10", Severity.WARNING) in refused_found
    assert ("BR-DEX-04", Severity.ERROR) in refused_found


def test_cii_codes_are_checked_in_their_own_contexts() -> None:
    # given
    root = _cii_tax("-13.78")
    # when
    found = _codes_of(check_cii(root), "BR-CL-")
    # then
    assert found == [("BR-CL-16", Severity.ERROR)]


def test_cii_br_co_17_admits_a_deviation_of_exactly_one_unit() -> None:
    # given: 72.50 x 19 % = 13.78; the CII binding compares with <= and >=
    at_limit, beyond = _cii_tax("-12.78"), _cii_tax("-12.77")
    # when
    at_limit_codes = {f.code for f in check_cii(at_limit)}
    beyond_codes = {f.code for f in check_cii(beyond)}
    # then
    assert "BR-CO-17" not in at_limit_codes
    assert "BR-CO-17" in beyond_codes


def test_ubl_br_co_17_refuses_a_deviation_of_exactly_one_unit() -> None:
    # given: 100.00 x 19 % = 19.00; the UBL binding compares with < and >
    root = _ubl(tax="20.00", gross="120.00")
    # when
    codes = {f.code for f in check_ubl(root)}
    # then
    assert "BR-CO-17" in codes


def test_an_empty_invoice_period_is_no_period_for_br_ic_11() -> None:
    # given
    empty, dated = _ubl(), _ubl()
    for root in (empty, dated):
        category = root.find(f"{_CAC}TaxTotal/{_CAC}TaxSubtotal/{_CAC}TaxCategory/{_CBC}ID")
        assert category is not None
        category.text = "K"
        etree.SubElement(root, _CAC + "InvoicePeriod")
    period = dated.find(_CAC + "InvoicePeriod")
    assert period is not None
    etree.SubElement(period, _CBC + "StartDate").text = "2024-01-01"
    # when
    empty_codes = {f.code for f in check_ubl(empty)}
    dated_codes = {f.code for f in check_ubl(dated)}
    # then
    assert "BR-IC-11" in empty_codes
    assert "BR-IC-11" not in dated_codes


def _cii_logistics(charge_total: str) -> etree._Element:
    """One 100.00 line and a 10.00 logistics charge, both standard rated at 19 %."""
    tax = (
        "<ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>"
        "<ram:RateApplicablePercent>19.00</ram:RateApplicablePercent>"
    )
    xml = (
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        'CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:'
        'ReusableAggregateBusinessInformationEntity:100"><rsm:SupplyChainTradeTransaction>'
        "<ram:IncludedSupplyChainTradeLineItem><ram:SpecifiedLineTradeSettlement>"
        f"<ram:ApplicableTradeTax>{tax}</ram:ApplicableTradeTax>"
        "<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>100.00"
        "</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>"
        "</ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>"
        "<ram:ApplicableHeaderTradeSettlement><ram:ApplicableTradeTax>"
        "<ram:CalculatedAmount>20.90</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>"
        "<ram:BasisAmount>110.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>"
        "<ram:RateApplicablePercent>19.00</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        "<ram:SpecifiedLogisticsServiceCharge><ram:Description>Freight</ram:Description>"
        f"<ram:AppliedAmount>10.00</ram:AppliedAmount><ram:AppliedTradeTax>{tax}"
        "</ram:AppliedTradeTax></ram:SpecifiedLogisticsServiceCharge>"
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        "<ram:LineTotalAmount>100.00</ram:LineTotalAmount>"
        f"<ram:ChargeTotalAmount>{charge_total}</ram:ChargeTotalAmount>"
        "<ram:TaxBasisTotalAmount>110.00</ram:TaxBasisTotalAmount>"
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
        "</rsm:CrossIndustryInvoice>"
    )
    return etree.fromstring(xml.encode())


def test_a_cii_logistics_service_charge_counts_as_a_document_level_charge() -> None:
    # given: BT-108 and the S taxable amount both include the 10.00 logistics charge
    counted, omitted = _cii_logistics("10.00"), _cii_logistics("0.00")
    # when
    counted_codes = {f.code for f in check_cii(counted)}
    omitted_codes = {f.code for f in check_cii(omitted)}
    # then
    assert {"BR-CO-12", "BR-S-08", "BR-38", "BR-37"}.isdisjoint(counted_codes)
    assert "BR-CO-12" in omitted_codes
    assert "BR-S-08" not in omitted_codes


def _cii_guideline(guideline: str) -> etree._Element:
    """A CII invoice of ``guideline`` with a 7161 code on an allowance and currency EURO."""
    return etree.fromstring(
        b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        b'CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:'
        b'ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:'
        b'data:standard:UnqualifiedDataType:100"><rsm:ExchangedDocumentContext>'
        b"<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>" + guideline.encode() + b""
        b"</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>"
        b"</rsm:ExchangedDocumentContext><rsm:SupplyChainTradeTransaction>"
        b"<ram:ApplicableHeaderTradeSettlement>"
        b"<ram:InvoiceCurrencyCode>EURO</ram:InvoiceCurrencyCode>"
        b"<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false"
        b"</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>5.00</ram:ActualAmount>"
        b"<ram:ReasonCode>ADZ</ram:ReasonCode></ram:SpecifiedTradeAllowanceCharge>"
        b"</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
        b"</rsm:CrossIndustryInvoice>"
    )


def test_the_facturx_extended_profile_grades_widened_code_lists_down_to_warnings() -> None:
    # given
    extended = _cii_guideline("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended")
    en16931 = _cii_guideline("urn:cen.eu:en16931:2017")
    # when
    extended_found = _codes_of(check_cii(extended), "BR-CL-")
    en16931_found = _codes_of(check_cii(en16931), "BR-CL-")
    # then: the reason code list is widened, the currency list is not
    assert extended_found == [("BR-CL-04", Severity.ERROR), ("BR-CL-19", Severity.WARNING)]
    assert en16931_found == [("BR-CL-04", Severity.ERROR), ("BR-CL-19", Severity.ERROR)]


def _without(root: etree._Element, path: str) -> etree._Element:
    element = root.find(path)
    assert element is not None, path
    parent = element.getparent()
    assert parent is not None
    parent.remove(element)
    return root


def test_a_supplier_group_without_its_party_is_br_co_26() -> None:
    # given
    empty, given = _without(_ubl(), f"{_CAC}AccountingSupplierParty/{_CAC}Party"), _ubl()
    # when
    empty_codes = {f.code for f in check_ubl(empty) if f.is_error}
    given_codes = {f.code for f in check_ubl(given) if f.is_error}
    # then
    assert "BR-CO-26" in empty_codes
    assert "BR-CO-26" not in given_codes


def test_a_sepa_creditor_identifier_does_not_identify_the_seller() -> None:
    # given
    sepa, other = _ubl(), _ubl()
    for root, scheme in ((sepa, "SEPA"), (other, "0088")):
        _without(root, f"{_CAC}AccountingSupplierParty/{_CAC}Party/{_CAC}PartyTaxScheme")
        _party_id(root, "AccountingSupplierParty", scheme)
    # when
    sepa_codes = {f.code for f in check_ubl(sepa) if f.is_error}
    other_codes = {f.code for f in check_ubl(other) if f.is_error}
    # then
    assert "BR-CO-26" in sepa_codes
    assert "BR-CO-26" not in other_codes


_BREAKDOWN = f"{_CAC}TaxTotal/{_CAC}TaxSubtotal"


def test_a_ubl_breakdown_category_outside_the_vat_scheme_is_br_47() -> None:
    # given
    root = _without(_ubl(), f"{_BREAKDOWN}/{_CAC}TaxCategory/{_CAC}TaxScheme")
    # when
    codes = {f.code for f in check_ubl(root) if f.is_error}
    # then: it is no VAT category, so the standard rate rules do not read it
    assert "BR-47" in codes
    assert {"BR-S-08", "BR-S-09", "BR-S-10"}.isdisjoint(codes)
    assert "BR-47" not in {f.code for f in check_ubl(_ubl()) if f.is_error}


def test_a_standard_rate_breakdown_without_rate_or_taxable_amount_is_br_s_09() -> None:
    # given
    no_rate = _without(_ubl(), f"{_BREAKDOWN}/{_CAC}TaxCategory/{_CBC}Percent")
    no_taxable = _without(_ubl(), f"{_BREAKDOWN}/{_CBC}TaxableAmount")
    # when
    no_rate_codes = {f.code for f in check_ubl(no_rate) if f.is_error}
    no_taxable_codes = {f.code for f in check_ubl(no_taxable) if f.is_error}
    # then
    assert "BR-S-09" in no_rate_codes
    assert "BR-S-08" not in no_rate_codes
    assert "BR-S-09" in no_taxable_codes
    assert "BR-S-09" not in {f.code for f in check_ubl(_ubl()) if f.is_error}


def test_a_positive_amount_due_without_due_date_or_terms_is_no_longer_an_error() -> None:
    # given: CEN withdrew BR-CO-25 in schematron 1.3.16
    root = _without(_ubl(), f"{_CBC}DueDate")
    # when
    codes = {f.code for f in check_ubl(root)}
    # then
    assert "BR-CO-25" not in codes


def test_a_credit_note_with_invoice_lines_has_lines() -> None:
    # given: the CEN rules read cac:InvoiceLine and cac:CreditNoteLine in either document
    root = etree.fromstring(
        b'<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"'
        b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b"<cac:InvoiceLine/></CreditNote>"
    )
    # when
    codes = {f.code for f in check_ubl(root)}
    # then
    assert "BR-16" not in codes
    assert {"BR-21", "BR-22", "UBL-SR-48"} <= codes


_CII_DOC = (
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
    'CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100"><rsm:SupplyChainTradeTransaction>'
    "{lines}<ram:ApplicableHeaderTradeAgreement>{parties}</ram:ApplicableHeaderTradeAgreement>"
    "<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>"
    "{settlement}</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
    "</rsm:CrossIndustryInvoice>"
)
_CII_ADDRESS = "<ram:PostalTradeAddress><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>"
_CII_S_TAX = (
    "<ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>"
    "<ram:RateApplicablePercent>19</ram:RateApplicablePercent>"
)
_CII_S_LINE = (
    "<ram:IncludedSupplyChainTradeLineItem><ram:SpecifiedLineTradeSettlement>"
    f"<ram:ApplicableTradeTax>{_CII_S_TAX}</ram:ApplicableTradeTax>"
    "</ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>"
)
_CII_S_BREAKDOWN = (
    "<ram:ApplicableTradeTax><ram:CalculatedAmount>19.00</ram:CalculatedAmount>"
    f"<ram:BasisAmount>100.00</ram:BasisAmount>{_CII_S_TAX}</ram:ApplicableTradeTax>"
)


def cii_doc(lines: str = "", parties: str = "", settlement: str = "") -> etree._Element:
    """A CII invoice of the given line items, header parties and settlement children."""
    xml = _CII_DOC.format(lines=lines, parties=parties, settlement=settlement)
    return etree.fromstring(xml.encode())


def test_cii_br_09_fires_without_a_seller_address_and_ubl_br_09_does_not() -> None:
    # given: the CII binding asks the invoice for the country, the UBL one the address
    cii_bare = cii_doc(parties="<ram:SellerTradeParty/><ram:BuyerTradeParty/>")
    cii_given = cii_doc(
        parties=f"<ram:SellerTradeParty>{_CII_ADDRESS}</ram:SellerTradeParty>"
        f"<ram:BuyerTradeParty>{_CII_ADDRESS}</ram:BuyerTradeParty>"
    )
    ubl_bare = _without(_ubl(), f"{_CAC}AccountingSupplierParty/{_CAC}Party/{_CAC}PostalAddress")
    # when
    cii_bare_codes = {f.code for f in check_cii(cii_bare)}
    cii_given_codes = {f.code for f in check_cii(cii_given)}
    ubl_bare_codes = {f.code for f in check_ubl(ubl_bare)}
    # then
    assert {"BR-09", "BR-11"} <= cii_bare_codes
    assert {"BR-09", "BR-11"}.isdisjoint(cii_given_codes)
    assert "BR-08" in ubl_bare_codes
    assert "BR-09" not in ubl_bare_codes


def test_a_cii_credit_transfer_without_account_is_cii_sr_470_not_br_61() -> None:
    # given
    means = "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>{}"
    means += "</ram:SpecifiedTradeSettlementPaymentMeans>"
    account = "<ram:PayeePartyCreditorFinancialAccount><ram:AccountName>A</ram:AccountName>"
    account += "</ram:PayeePartyCreditorFinancialAccount>"
    without = cii_doc(settlement=means.format(""))
    unnumbered = cii_doc(settlement=means.format(account))
    # when
    without_codes = {f.code for f in check_cii(without) if f.is_error}
    unnumbered_codes = {f.code for f in check_cii(unnumbered) if f.is_error}
    # then
    assert "CII-SR-470" in without_codes
    assert "BR-61" not in without_codes
    assert "BR-61" in unnumbered_codes


def test_a_cii_vat_total_is_br_co_14_even_without_breakdowns() -> None:
    # given
    summation = (
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        '<ram:TaxTotalAmount currencyID="EUR">{}</ram:TaxTotalAmount>'
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
    )
    positive = cii_doc(settlement=summation.format("19.00"))
    zero = cii_doc(settlement=summation.format("0.00"))
    # when
    positive_codes = {f.code for f in check_cii(positive)}
    zero_codes = {f.code for f in check_cii(zero)}
    # then
    assert "BR-CO-14" in positive_codes
    assert "BR-CO-14" not in zero_codes


def test_cii_br_s_01_counts_lines_and_breakdowns_like_the_cii_binding() -> None:
    # given: one S line needs one S breakdown (or a second S line); a lone breakdown passes
    one_line = cii_doc(lines=_CII_S_LINE)
    two_lines = cii_doc(lines=_CII_S_LINE * 2)
    breakdown_only = cii_doc(settlement=_CII_S_BREAKDOWN)
    # when
    one_line_codes = {f.code for f in check_cii(one_line)}
    two_lines_codes = {f.code for f in check_cii(two_lines)}
    breakdown_only_codes = {f.code for f in check_cii(breakdown_only)}
    # then
    assert "BR-S-01" in one_line_codes
    assert "BR-S-01" not in two_lines_codes
    assert "BR-S-01" not in breakdown_only_codes


def test_ubl_br_s_01_refuses_a_standard_rate_breakdown_without_lines() -> None:
    # given
    root = _without(_ubl(), f"{_CAC}InvoiceLine")
    # when
    codes = {f.code for f in check_ubl(root)}
    # then
    assert "BR-S-01" in codes


def test_a_cii_breakdown_category_code_is_br_47_enough_without_type_code() -> None:
    # given: the CII binding asks only for ram:CategoryCode
    untyped = cii_doc(settlement=_CII_S_BREAKDOWN.replace("<ram:TypeCode>VAT</ram:TypeCode>", ""))
    uncoded = cii_doc(
        settlement=_CII_S_BREAKDOWN.replace("<ram:CategoryCode>S</ram:CategoryCode>", "")
    )
    # when
    untyped_codes = {f.code for f in check_cii(untyped)}
    uncoded_codes = {f.code for f in check_cii(uncoded)}
    # then
    assert "BR-47" not in untyped_codes
    assert "BR-47" in uncoded_codes
