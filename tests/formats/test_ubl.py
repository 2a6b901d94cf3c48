"""UBL 2.1 Invoice/CreditNote into the EN 16931 model: every contract term, exact values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledgerbridge.formats import ubl
from ledgerbridge.formats.errors import UnsupportedFormat
from ledgerbridge.formats.model import (
    Container,
    Document,
    Format,
    Invoice,
    InvoiceLine,
    Kind,
    Party,
    Payment,
    ReadOptions,
    Totals,
    VatBreakdown,
)
from tests.formats.conformance.corpus import corpus_root

NO_CHECKS = ReadOptions(validate=False)
NS = (
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
)
INVOICE = f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" {NS}>
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>INV-42</cbc:ID>
  <cbc:IssueDate>2025-03-01</cbc:IssueDate>
  <cbc:DueDate>2025-03-31</cbc:DueDate>
  <cbc:InvoiceTypeCode>{{type_code}}</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>
  <cbc:BuyerReference>PO-7</cbc:BuyerReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyName><cbc:Name>Trading name</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode>
    </cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>DE123456789</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyTaxScheme><cbc:CompanyID>201/113/40209</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Seller GmbH</cbc:RegistrationName>
      <cbc:CompanyID>HRB 1</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode>
    </cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>FR61954506077</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Buyer SA</cbc:RegistrationName>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cbc:PaymentID>RF18539007547034</cbc:PaymentID>
    <cac:PayeeFinancialAccount><cbc:ID>DE75512108001245126199</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="SEK">{{sek_tax}}</cbc:TaxAmount></cac:TaxTotal>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">19.00</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">19.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">119.00</cbc:TaxInclusiveAmount>
    <cbc:AllowanceTotalAmount currencyID="EUR">0.00</cbc:AllowanceTotalAmount>
    <cbc:ChargeTotalAmount currencyID="EUR">0.00</cbc:ChargeTotalAmount>
    <cbc:PrepaidAmount currencyID="EUR">10.00</cbc:PrepaidAmount>
    <cbc:PayableRoundingAmount currencyID="EUR">0.00</cbc:PayableRoundingAmount>
    <cbc:PayableAmount currencyID="EUR">{{payable}}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">2.5</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Consulting</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">40.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>"""


def _invoice(type_code: str = "380", sek_tax: str = "200.00", payable: str = "109.00") -> bytes:
    text = INVOICE.format(type_code=type_code, sek_tax=sek_tax, payable=payable)
    return text.encode()


def _read(data: bytes, options: ReadOptions = NO_CHECKS) -> Document:
    (document,) = ubl.read(data, options=options).documents
    return document


def _data(document: Document) -> Invoice:
    assert isinstance(document.data, Invoice)
    return document.data


def test_invoice_fills_every_term_of_the_contract() -> None:
    # when
    document = _read(_invoice())

    # then
    assert (document.format, document.container, document.kind) == (
        Format.UBL,
        Container.XML,
        Kind.INVOICE,
    )
    assert document.profile == "urn:cen.eu:en16931:2017"
    assert document.findings == ()
    assert document.data == Invoice(
        number="INV-42",
        type_code="380",
        issue_date=date(2025, 3, 1),
        due_date=date(2025, 3, 31),
        currency="EUR",
        buyer_reference="PO-7",
        seller=Party(
            name="Seller GmbH",
            vat_id="DE123456789",
            tax_registration_id="201/113/40209",
            legal_id="HRB 1",
            country="DE",
        ),
        buyer=Party(name="Buyer SA", vat_id="FR61954506077", country="FR"),
        totals=Totals(
            line_net=Decimal("100.00"),
            allowances=Decimal("0.00"),
            charges=Decimal("0.00"),
            net=Decimal("100.00"),
            tax=Decimal("19.00"),
            gross=Decimal("119.00"),
            prepaid=Decimal("10.00"),
            rounding=Decimal("0.00"),
            due=Decimal("109.00"),
        ),
        vat_breakdown=(VatBreakdown("S", Decimal("19"), Decimal("100.00"), Decimal("19.00")),),
        lines=(
            InvoiceLine(
                "1", "Consulting", Decimal("2.5"), "HUR", Decimal("100.00"), "S", Decimal(19)
            ),
        ),
        payment=Payment(
            means_code="58", iban="DE75512108001245126199", remittance="RF18539007547034"
        ),
    )


@pytest.mark.parametrize(("type_code", "kind"), [("380", Kind.INVOICE), ("381", Kind.CREDIT_NOTE)])
def test_type_code_decides_credit_note(type_code: str, kind: Kind) -> None:
    # when
    document = _read(_invoice(type_code=type_code))

    # then
    assert document.kind is kind
    assert _data(document).type_code == type_code


def test_bad_amount_is_a_finding_with_its_path_not_a_crash() -> None:
    # when
    document = _read(_invoice(payable="109,00"))

    # then
    assert _data(document).totals.due is None
    (finding,) = document.findings
    assert finding.code == "UBL-SCHEMA-DECIMAL"
    assert finding.is_error
    assert finding.location.endswith("cac:LegalMonetaryTotal/cbc:PayableAmount")


def test_tax_total_in_the_tax_currency_is_not_bt_110() -> None:
    # given: the SEK TaxTotal (BT-111) comes first and is malformed
    data = _invoice(sek_tax="x")

    # when
    document = _read(data)

    # then: BT-110 still comes from the EUR TaxTotal; BT-111 is not read, so no finding
    assert _data(document).totals.tax == Decimal("19.00")
    assert document.findings == ()


def test_credit_note_root_reads_credit_note_lines() -> None:
    # given
    data = f"""<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" {NS}>
      <cbc:ID>CN-1</cbc:ID><cbc:IssueDate>2025-01-02</cbc:IssueDate>
      <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
      <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
        <cbc:PaymentDueDate>2025-02-01</cbc:PaymentDueDate></cac:PaymentMeans>
      <cac:CreditNoteLine><cbc:ID>A</cbc:ID>
        <cbc:CreditedQuantity unitCode="C62">-3</cbc:CreditedQuantity>
        <cbc:LineExtensionAmount currencyID="EUR">-30.00</cbc:LineExtensionAmount>
        <cac:Item><cbc:Name>Returned</cbc:Name></cac:Item></cac:CreditNoteLine>
    </CreditNote>""".encode()

    # when
    document = _read(data)

    # then
    assert document.kind is Kind.CREDIT_NOTE
    assert _data(document).type_code == "381"
    assert _data(document).due_date == date(2025, 2, 1)
    assert _data(document).lines == (
        InvoiceLine("A", "Returned", Decimal("-3"), "C62", Decimal("-30.00"), None, None),
    )
    assert [(f.code, f.message.split()[3]) for f in document.findings] == [
        ("UBL-SCHEMA-MISSING", "AccountingSupplierParty"),
        ("UBL-SCHEMA-MISSING", "AccountingCustomerParty"),
        ("UBL-SCHEMA-MISSING", "LegalMonetaryTotal"),
    ]


def test_bad_date_is_a_finding() -> None:
    # given
    data = _invoice().replace(b"2025-03-31", b"31.03.2025")

    # when
    document = _read(data)

    # then
    assert _data(document).due_date is None
    assert [(f.code, f.location.rsplit("/", 1)[-1]) for f in document.findings] == [
        ("UBL-SCHEMA-DATE", "cbc:DueDate")
    ]


def test_validation_adds_the_en16931_findings() -> None:
    # given: BT-112 is not BT-109 + BT-110 (BR-CO-15)
    data = _invoice().replace(b"119.00</cbc:TaxInclusive", b"118.00</cbc:TaxInclusive")

    # when
    checked = _read(data, ReadOptions(validate=True))
    unchecked = _read(data, NO_CHECKS)

    # then
    assert "BR-CO-15" in {f.code for f in checked.findings if f.is_error}
    assert unchecked.findings == ()


def test_read_tree_refuses_a_foreign_root() -> None:
    # given
    from lxml import etree

    root = etree.fromstring(b"<Invoice/>")

    # when
    with pytest.raises(UnsupportedFormat) as caught:
        ubl.read_tree(root, options=NO_CHECKS, container=Container.XML)

    # then
    assert caught.value.code == "unsupported-xml-root"


def test_sniff() -> None:
    # then
    assert ubl.sniff(_invoice()[:400])
    assert not ubl.sniff(b"<CrossIndustryInvoice/>")


def test_cen_credit_note_example_exact_fields() -> None:
    # given
    data = (corpus_root() / "ubl/cen-examples/ubl-tc434-creditnote1.xml").read_bytes()

    # when
    document = _read(data, ReadOptions())

    # then
    invoice = document.data
    assert isinstance(invoice, Invoice)
    assert document.kind is Kind.CREDIT_NOTE
    assert (invoice.number, invoice.type_code, invoice.issue_date) == (
        "018304 / 28865",
        "381",
        date(2019, 9, 23),
    )
    assert invoice.seller.vat_id == "BE0000000196"
    assert invoice.totals.due == Decimal("100.11")
    assert invoice.payment == Payment("1", "BE91000000143476", "010676609538")
    assert not document.has_errors


def test_cen_example1_exact_fields() -> None:
    # given
    data = (corpus_root() / "ubl/cen-examples/ubl-tc434-example1.xml").read_bytes()

    # when
    document = _read(data, ReadOptions())

    # then
    invoice = document.data
    assert isinstance(invoice, Invoice)
    assert (invoice.number, invoice.due_date, invoice.currency) == (
        "12115118",
        date(2015, 1, 9),
        "EUR",
    )
    assert invoice.totals.gross == Decimal("250.33")
    assert [(v.rate, v.tax) for v in invoice.vat_breakdown] == [
        (Decimal("6"), Decimal("10.99")),
        (Decimal("21"), Decimal("9.74")),
    ]
    assert invoice.lines[0] == InvoiceLine(
        "1", "PATAT FRITES 10MM 10KG", Decimal("2"), "EA", Decimal("19.90"), "S", Decimal("6")
    )


def test_xrechnung_ubl_exact_fields() -> None:
    # given
    data = (corpus_root() / "xrechnung/testsuite/01.01a-INVOICE_ubl.xml").read_bytes()

    # when
    document = _read(data, ReadOptions())

    # then
    invoice = document.data
    assert isinstance(invoice, Invoice)
    assert document.profile == (
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    )
    assert (invoice.number, invoice.buyer_reference) == ("123456XX", "04011000-12345-03")
    assert invoice.totals.due == Decimal("336.9")
    assert invoice.payment.iban == "DE79000000001234567890"
