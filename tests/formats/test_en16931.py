"""Unit tests of the EN 16931 rules: a minimal valid UBL invoice, then single mutations."""

from __future__ import annotations

from lxml import etree

from ledgerbridge.formats.en16931 import check_cii, check_ubl
from ledgerbridge.formats.model import Severity

_INVOICE = """<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID><cbc:ID>1</cbc:ID>
<cbc:IssueDate>2024-01-31</cbc:IssueDate><cbc:DueDate>2024-02-29</cbc:DueDate>
<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cac:Country>
<cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyTaxScheme><cbc:CompanyID>DE123456789</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID>
</cac:TaxScheme></cac:PartyTaxScheme><cac:PartyLegalEntity>
<cbc:RegistrationName>Seller</cbc:RegistrationName>
</cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party><cac:PostalAddress><cac:Country>
<cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyLegalEntity><cbc:RegistrationName>Buyer</cbc:RegistrationName></cac:PartyLegalEntity>
</cac:Party></cac:AccountingCustomerParty>
<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">TAX</cbc:TaxAmount><cac:TaxSubtotal>
<cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>
<cbc:TaxAmount currencyID="EUR">TAX</cbc:TaxAmount>
<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID>
</cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
<cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
<cbc:TaxInclusiveAmount currencyID="EUR">GROSS</cbc:TaxInclusiveAmount>
<cbc:PayableAmount currencyID="EUR">GROSS</cbc:PayableAmount></cac:LegalMonetaryTotal>
<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
<cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
<cac:Item><cbc:Name>Thing</cbc:Name>
<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID>
</cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item><cac:Price>
<cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount>
</cac:Price></cac:InvoiceLine></Invoice>"""


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
