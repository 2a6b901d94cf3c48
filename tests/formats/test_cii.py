"""CII D16B and ZUGFeRD 1.0 into the EN 16931 model; profile and lexical findings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledgerbridge.formats import cii, facturx
from ledgerbridge.formats.model import (
    Document,
    Format,
    Invoice,
    InvoiceLine,
    Kind,
    Party,
    Payment,
    ReadOptions,
    Severity,
    Totals,
    VatBreakdown,
)
from tests.formats.conformance.corpus import corpus_root

NO_CHECKS = ReadOptions(validate=False)
D16B = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
 xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>{profile}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>F-1</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="{date_format}">20250301</udt:DateTimeString>
  </ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID>
   </ram:AssociatedDocumentLineDocument>
   <ram:SpecifiedTradeProduct><ram:Name>Widget</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>
    <ram:ChargeAmount>10.00</ram:ChargeAmount></ram:NetPriceProductTradePrice>
   </ram:SpecifiedLineTradeAgreement>
   <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">10</ram:BilledQuantity>
   </ram:SpecifiedLineTradeDelivery>
   <ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>
    <ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20</ram:RateApplicablePercent>
    </ram:ApplicableTradeTax><ram:SpecifiedTradeSettlementLineMonetarySummation>
    <ram:LineTotalAmount>100.00</ram:LineTotalAmount>
   </ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:ApplicableHeaderTradeAgreement><ram:BuyerReference>B-REF</ram:BuyerReference>
   <ram:SellerTradeParty><ram:Name>Vendeur SARL</ram:Name>
    <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">123456782</ram:ID>
    </ram:SpecifiedLegalOrganization>
    <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR32123456782</ram:ID>
    </ram:SpecifiedTaxRegistration>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">1234567890123</ram:ID>
    </ram:SpecifiedTaxRegistration></ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Acheteur SA</ram:Name>
    <ram:PostalTradeAddress><ram:CountryID>BE</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">BE0202239951</ram:ID>
    </ram:SpecifiedTaxRegistration></ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:PaymentReference>INV F-1</ram:PaymentReference>
   <ram:InvoiceCurrencyCode>{currency}</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>
    <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>FR7630006000011234567890189</ram:IBANID>
    </ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:ApplicableTradeTax><ram:CalculatedAmount>20.00</ram:CalculatedAmount>
    <ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>100.00</ram:BasisAmount>
    <ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20</ram:RateApplicablePercent>
   </ram:ApplicableTradeTax>
   <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>
    <udt:DateTimeString format="102">20250331</udt:DateTimeString></ram:DueDateDateTime>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>100.00</ram:LineTotalAmount>
    <ram:ChargeTotalAmount>0.00</ram:ChargeTotalAmount>
    <ram:AllowanceTotalAmount>0.00</ram:AllowanceTotalAmount>
    <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="USD">21.50</ram:TaxTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">20.00</ram:TaxTotalAmount>
    <ram:RoundingAmount>0.00</ram:RoundingAmount>
    <ram:GrandTotalAmount>{grand}</ram:GrandTotalAmount>
    <ram:TotalPrepaidAmount>20.00</ram:TotalPrepaidAmount>
    <ram:DuePayableAmount>100.00</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""


def _cii(
    *,
    profile: str = "urn:cen.eu:en16931:2017",
    type_code: str = "380",
    date_format: str = "102",
    currency: str = "EUR",
    grand: str = "120.00",
) -> bytes:
    return D16B.format(
        profile=profile,
        type_code=type_code,
        date_format=date_format,
        currency=currency,
        grand=grand,
    ).encode()


def _read(data: bytes, options: ReadOptions = NO_CHECKS) -> Document:
    (document,) = cii.read(data, options=options).documents
    return document


def _data(document: Document) -> Invoice:
    assert isinstance(document.data, Invoice)
    return document.data


def test_d16b_invoice_fills_every_term_of_the_contract() -> None:
    # when
    document = _read(_cii())

    # then
    assert (document.format, document.kind) == (Format.CII, Kind.INVOICE)
    assert document.profile == "urn:cen.eu:en16931:2017"
    assert document.findings == ()
    assert document.data == Invoice(
        number="F-1",
        type_code="380",
        issue_date=date(2025, 3, 1),
        due_date=date(2025, 3, 31),
        currency="EUR",
        buyer_reference="B-REF",
        seller=Party("Vendeur SARL", "FR32123456782", "1234567890123", "123456782", "FR"),
        buyer=Party(name="Acheteur SA", vat_id="BE0202239951", country="BE"),
        totals=Totals(
            line_net=Decimal("100.00"),
            allowances=Decimal("0.00"),
            charges=Decimal("0.00"),
            net=Decimal("100.00"),
            tax=Decimal("20.00"),
            gross=Decimal("120.00"),
            prepaid=Decimal("20.00"),
            rounding=Decimal("0.00"),
            due=Decimal("100.00"),
        ),
        vat_breakdown=(VatBreakdown("S", Decimal("20"), Decimal("100.00"), Decimal("20.00")),),
        lines=(
            InvoiceLine("1", "Widget", Decimal("10"), "C62", Decimal("100.00"), "S", Decimal("20")),
        ),
        payment=Payment("58", "FR7630006000011234567890189", "INV F-1"),
    )


@pytest.mark.parametrize(
    ("type_code", "kind"),
    [("380", Kind.INVOICE), ("381", Kind.CREDIT_NOTE), ("396", Kind.CREDIT_NOTE)],
)
def test_type_code_decides_credit_note(type_code: str, kind: Kind) -> None:
    # when
    document = _read(_cii(type_code=type_code))

    # then
    assert document.kind is kind


def test_date_format_other_than_102_is_a_finding() -> None:
    # when
    document = _read(_cii(date_format="1020"))

    # then
    assert _data(document).issue_date is None
    (finding,) = document.findings
    assert finding.code == "CII-SCHEMA-DATE"
    assert finding.location.endswith("ram:IssueDateTime/udt:DateTimeString")


@pytest.mark.parametrize("currency", ["", "eur", "EURO"])
def test_currency_that_is_no_iso_code_is_a_finding(currency: str) -> None:
    # when
    document = _read(_cii(currency=currency))

    # then
    assert [f.code for f in document.findings] == ["CII-SCHEMA-CODE"]


def test_bad_amount_is_a_finding_not_a_crash() -> None:
    # when
    document = _read(_cii(grand="120.OO"))

    # then
    assert _data(document).totals.gross is None
    assert [f.code for f in document.findings] == ["CII-SCHEMA-DECIMAL"]


@pytest.mark.parametrize("profile", ["urn:factur-x.eu:1p0:minimum", "urn:factur-x.eu:1p0:basicwl"])
def test_minimum_and_basic_wl_are_read_with_a_warning_and_no_en16931_rules(profile: str) -> None:
    # given: a sum error that BR-CO-15 would report
    data = _cii(profile=profile, grand="999.00")

    # when
    document = _read(data, ReadOptions())

    # then: the full invoice body breaks the profile's element list, not EN 16931 rules
    assert _data(document).totals.gross == Decimal("999.00")
    assert document.findings[0].severity == Severity.WARNING
    assert document.findings[0].code == "FX-NOT-AN-INVOICE"
    assert {f.code for f in document.findings[1:]} == {"FX-PROFILE-ELEMENT"}


def test_factur_x_guideline_in_its_prerelease_spelling_is_an_error() -> None:
    # given
    data = _cii(profile="urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic")

    # when
    document = _read(data)

    # then
    assert [(f.severity, f.code, f.location) for f in document.findings] == [
        (
            Severity.ERROR,
            "FX-PROFILE-UNKNOWN",
            "/rsm:CrossIndustryInvoice/ExchangedDocumentContext",
        )
    ]
    assert "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic" in (
        document.findings[0].message
    )


def test_factur_x_basic_guideline_is_no_finding() -> None:
    # given
    data = _cii(profile="urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic")

    # when
    document = _read(data)

    # then
    assert document.findings == ()


def test_validation_adds_the_en16931_findings() -> None:
    # given
    data = _cii(grand="999.00")

    # when
    checked = _read(data, ReadOptions())

    # then
    assert "BR-CO-15" in {f.code for f in checked.findings if f.is_error}


def test_missing_header_and_transaction_are_findings() -> None:
    # given
    data = (
        b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        b'CrossIndustryInvoice:100"/>'
    )

    # when
    document = _read(data)

    # then
    assert [f.code for f in document.findings] == ["CII-SCHEMA-MISSING"] * 2
    assert _data(document).number is None


def _embedded(name: str) -> bytes:
    xml = facturx.extract_xml((corpus_root() / "facturx-pdf" / name).read_bytes())
    assert xml is not None
    return xml


def test_zugferd1_comfort_exact_fields() -> None:
    # given
    data = _embedded("ZUGFeRDv1__Intarsys__ZUGFeRD_1p0_COMFORT_Rabatte.pdf")

    # when
    document = _read(data, ReadOptions())

    # then
    invoice = document.data
    assert isinstance(invoice, Invoice)
    assert document.profile == "urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"
    assert document.findings == ()
    assert (invoice.number, invoice.issue_date, invoice.currency) == (
        "471102",
        date(2013, 6, 5),
        "EUR",
    )
    assert invoice.totals.due == Decimal("165.14")
    assert VatBreakdown("S", Decimal("7.00"), Decimal("129.37"), Decimal("9.06")) in (
        invoice.vat_breakdown
    )
    # the first line item is a ZUGFeRD 1.0 free-text line (a note only), not a line
    assert [line.id for line in invoice.lines] == ["1", "2", "3", "4"]
    assert invoice.lines[1] == InvoiceLine(
        "2", "Schweinesteak", Decimal("5.0000"), "KGM", Decimal("27.50"), "S", Decimal("7.00")
    )


def test_zugferd1_unknown_profile_and_broken_values_are_errors() -> None:
    # given: the Mustang "fail1" sample: profile "komfort", date format 1020, no currency
    data = _embedded("ZUGFeRDv1__Mustangproject__fail1.pdf")

    # when
    document = _read(data, ReadOptions())

    # then
    codes = {f.code for f in document.findings if f.is_error}
    assert {"FX-PROFILE-UNKNOWN", "CII-SCHEMA-DATE", "CII-SCHEMA-CODE"} <= codes


def test_zugferd1_release_candidate_is_read_with_a_prerelease_warning() -> None:
    # given: Mustang's 2014 sample in the CBFBUY:5 dialect (unqualified children, bare dates)
    data = _embedded("ZUGFeRDv1__Mustangproject__MustangGnuaccountingBeispielRE-20140519_499.pdf")

    # when
    document = _read(data, ReadOptions())

    # then
    invoice = document.data
    assert isinstance(invoice, Invoice)
    assert document.profile == "urn:ferd:invoice:rc:comfort"
    assert [(f.severity, f.code) for f in document.findings] == [
        (Severity.WARNING, "FX-PRERELEASE")
    ]
    assert (invoice.number, invoice.issue_date, invoice.due_date) == (
        "RE-20140519/499",
        date(2014, 5, 19),
        date(2014, 6, 9),
    )
    assert (invoice.totals.net, invoice.totals.due) == (Decimal("496.00"), Decimal("559.84"))
    assert invoice.lines[1] == InvoiceLine(
        "2", "Luftballon", Decimal("400"), "C62", Decimal("376.04"), "S", Decimal("19.000000")
    )


def test_zugferd1_release_candidate_with_an_unknown_guideline_is_an_error() -> None:
    # given
    data = _embedded("ZUGFeRDv1__Mustangproject__MustangGnuaccountingBeispielRE-20140519_499.pdf")
    data = data.replace(b"urn:ferd:invoice:rc:comfort", b"urn:ferd:invoice:rc:komfort")

    # when
    document = _read(data, ReadOptions())

    # then
    assert [f.code for f in document.findings if f.is_error] == ["FX-PROFILE-UNKNOWN"]


def test_cen_cii_example2_exact_fields() -> None:
    # given
    data = (corpus_root() / "cii/cen-examples/CII_example2.xml").read_bytes()

    # when
    document = _read(data, ReadOptions())

    # then
    invoice = document.data
    assert isinstance(invoice, Invoice)
    assert (invoice.number, invoice.issue_date, invoice.due_date, invoice.currency) == (
        "TOSL108",
        date(2013, 6, 30),
        date(2013, 7, 20),
        "NOK",
    )
    assert invoice.seller == Party("Salescompany ltd.", "NO123456789MVA", None, "123456789", "NO")
    assert invoice.totals.prepaid == Decimal("1000")
    assert invoice.totals.due == Decimal("801.78")
    assert invoice.lines[1].quantity == Decimal("-1")
    assert invoice.payment == Payment("30", "NO9386011117947", "0003434323213231")
