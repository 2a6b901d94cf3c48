"""Unit tests of the KoSIT XRechnung 3.0 rules: a minimal valid XRechnung, then mutations.

The UBL invoice is the shared EN 16931 sample with the terms XRechnung makes mandatory;
the CII one is the sparse document of the EN 16931 tests, enough for the rules that read
only a few of its elements.
"""

from __future__ import annotations

from lxml import etree

from ledgerbridge.formats.en16931 import check_cii, check_ubl
from ledgerbridge.formats.model import Finding, Severity
from tests.formats.test_en16931 import cii_doc
from tests.formats.ubl_sample import invoice

CIUS = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
EXTENSION = CIUS + "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0"
IBAN = "DE02120300000000202051"
_CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
_CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
_ADDRESS = "<cbc:CityName>Berlin</cbc:CityName><cbc:PostalZone>10115</cbc:PostalZone><cac:Country>"
_CONTACT = (
    "<cac:Contact><cbc:Name>Ann</cbc:Name><cbc:Telephone>{phone}</cbc:Telephone>"
    "<cbc:ElectronicMail>{mail}</cbc:ElectronicMail></cac:Contact>"
)


def xr_ubl(
    *,
    customization: str = CIUS,
    type_code: str = "380",
    phone: str = "+49 30 1234",
    mail: str = "ann@seller.de",
    means: str = "58",
    account: str = IBAN,
    head: str = "",
    tail: str = "",
    line: str = "",
) -> str:
    """A valid XRechnung UBL invoice; ``head`` goes after BT-10, ``tail`` after the totals,
    ``line`` into the invoice line before its item."""
    xml = invoice()
    xml = xml.replace(
        "urn:cen.eu:en16931:2017</cbc:CustomizationID>",
        f"{customization}</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>",
    )
    for party, endpoint in (("Supplier", "seller@example.de"), ("Customer", "buyer@example.de")):
        xml = xml.replace(
            f"<cac:Accounting{party}Party><cac:Party>",
            f'<cac:Accounting{party}Party><cac:Party><cbc:EndpointID schemeID="EM">{endpoint}'
            "</cbc:EndpointID>",
        )
    xml = xml.replace(
        "<cbc:InvoiceTypeCode>380<",
        f"<cbc:InvoiceTypeCode>{type_code}<",
    ).replace(
        "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>",
        "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
        f"<cbc:BuyerReference>04011000-12345-03</cbc:BuyerReference>{head}",
    )
    xml = xml.replace("<cac:PostalAddress><cac:Country>", "<cac:PostalAddress>" + _ADDRESS)
    xml = xml.replace(
        "</cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>",
        "</cac:PartyLegalEntity>"
        + _CONTACT.format(phone=phone, mail=mail)
        + "</cac:Party></cac:AccountingSupplierParty>"
        "<cac:Delivery><cbc:ActualDeliveryDate>2024-01-15</cbc:ActualDeliveryDate></cac:Delivery>"
        f"<cac:PaymentMeans><cbc:PaymentMeansCode>{means}</cbc:PaymentMeansCode>"
        f"<cac:PayeeFinancialAccount><cbc:ID>{account}</cbc:ID></cac:PayeeFinancialAccount>"
        "</cac:PaymentMeans>",
    )
    xml = xml.replace("</cac:LegalMonetaryTotal>", "</cac:LegalMonetaryTotal>" + tail)
    return xml.replace("<cac:Item><cbc:Name>", line + "<cac:Item><cbc:Name>")


def kosit(findings: list[Finding]) -> list[tuple[str, Severity]]:
    """The KoSIT rule findings (BR-DE, BR-DEX, PEPPOL) as (code, severity), sorted."""
    prefixes = ("BR-DE", "PEPPOL-")
    return sorted((f.code, f.severity) for f in findings if f.code.startswith(prefixes))


def ubl_kosit(xml: str) -> list[tuple[str, Severity]]:
    return kosit(check_ubl(etree.fromstring(xml.encode())))


def test_the_minimal_xrechnung_has_no_finding() -> None:
    # given
    root = etree.fromstring(xr_ubl().encode())
    # when
    findings = check_ubl(root)
    # then
    assert [f for f in findings if f.is_error] == []
    assert kosit(findings) == []


def test_an_invoice_type_code_outside_the_xrechnung_list_is_a_br_de_17_warning() -> None:
    # given: 383 (debit note) is UNTDID 1001 but not among the XRechnung codes
    listed, unlisted = xr_ubl(type_code=" 326 "), xr_ubl(type_code="383")
    # when
    listed_found, unlisted_found = ubl_kosit(listed), ubl_kosit(unlisted)
    # then
    assert listed_found == []
    assert unlisted_found == [("BR-DE-17", Severity.WARNING)]


def test_cii_compares_the_invoice_type_code_without_normalizing_it() -> None:
    # given: the CII binding tests rsm:ExchangedDocument/ram:TypeCode = ('326', …)
    root = cii_doc()
    header = etree.SubElement(
        root, "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}ExchangedDocument"
    )
    _ram(header, "TypeCode").text = " 380"
    _cii_guideline(root)
    # when
    found = [f.code for f in check_cii(root) if f.code == "BR-DE-17"]
    # then
    assert found == ["BR-DE-17"]


def test_a_sepa_transfer_needs_a_valid_iban_for_br_de_19() -> None:
    # given
    valid, broken = (
        xr_ubl(account="DE02 1203 0000 0000 2020 51"),
        xr_ubl(account="DE03120300000000202051"),
    )
    # when
    valid_found, broken_found = ubl_kosit(valid), ubl_kosit(broken)
    # then
    assert valid_found == []
    assert broken_found == [("BR-DE-19", Severity.WARNING)]


def test_a_non_sepa_transfer_is_not_checked_for_an_iban() -> None:
    # given
    root = xr_ubl(means="30", account="12345")
    # when
    found = ubl_kosit(root)
    # then
    assert found == []


def test_a_sepa_direct_debit_needs_a_valid_debited_iban_for_br_de_20() -> None:
    # given
    mandate = (
        "<cac:PaymentMeans><cbc:PaymentMeansCode>59</cbc:PaymentMeansCode><cac:PaymentMandate>"
        "<cbc:ID>M1</cbc:ID><cac:PayerFinancialAccount><cbc:ID>{iban}</cbc:ID>"
        "</cac:PayerFinancialAccount></cac:PaymentMandate></cac:PaymentMeans>"
    )
    seller_sepa = (
        '<cac:Party><cac:PartyIdentification><cbc:ID schemeID="SEPA">DE98ZZZ09999999999</cbc:ID>'
        "</cac:PartyIdentification>"
    )
    docs = {}
    for name, iban in (("valid", IBAN), ("broken", "DE0212030000000020205")):
        xml = xr_ubl().replace(
            "<cac:PaymentMeans>", mandate.format(iban=iban) + "<cac:PaymentMeans>"
        )
        docs[name] = xml.replace(
            "<cac:AccountingSupplierParty><cac:Party>",
            "<cac:AccountingSupplierParty>" + seller_sepa,
        )
    # when
    valid_found, broken_found = ubl_kosit(docs["valid"]), ubl_kosit(docs["broken"])
    # then
    assert valid_found == []
    assert broken_found == [("BR-DE-20", Severity.WARNING)]


def _attachment(filename: str) -> str:
    return (
        "<cac:AdditionalDocumentReference><cbc:ID>A</cbc:ID><cac:Attachment>"
        f'<cbc:EmbeddedDocumentBinaryObject mimeCode="text/csv" filename="{filename}">YQ=='
        "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
    )


def test_two_attachments_with_one_filename_are_br_de_22() -> None:
    # given
    distinct = xr_ubl(head=_attachment("a.csv") + _attachment("b.csv"))
    repeated = xr_ubl(head=_attachment("a.csv") + _attachment("a.csv"))
    # when
    distinct_found, repeated_found = ubl_kosit(distinct), ubl_kosit(repeated)
    # then
    assert distinct_found == []
    assert repeated_found == [("BR-DE-22", Severity.ERROR)]


def test_a_corrected_invoice_without_preceding_invoice_is_a_br_de_26_warning() -> None:
    # given
    reference = (
        "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>R-1</cbc:ID>"
        "</cac:InvoiceDocumentReference></cac:BillingReference>"
    )
    referenced, bare = xr_ubl(type_code="384", head=reference), xr_ubl(type_code="384")
    # when
    referenced_found, bare_found = ubl_kosit(referenced), ubl_kosit(bare)
    # then
    assert referenced_found == []
    assert bare_found == [("BR-DE-26", Severity.WARNING)]


def test_a_telephone_number_with_fewer_than_three_digits_is_a_br_de_27_warning() -> None:
    # given
    three, two = xr_ubl(phone="(0) 1-2"), xr_ubl(phone="0-1 x")
    # when
    three_found, two_found = ubl_kosit(three), ubl_kosit(two)
    # then
    assert three_found == []
    assert two_found == [("BR-DE-27", Severity.WARNING)]


def test_an_e_mail_address_off_the_xrechnung_pattern_is_a_br_de_28_warning() -> None:
    # given
    good, bad = xr_ubl(mail=" ann.lee@mail.seller.de "), xr_ubl(mail="ann@seller")
    # when
    good_found, bad_found = ubl_kosit(good), ubl_kosit(bad)
    # then
    assert good_found == []
    assert bad_found == [("BR-DE-28", Severity.WARNING)]


def test_an_invoice_without_any_supply_date_is_br_de_tmp_32_information() -> None:
    # given: line periods on every line stand in for BT-72 and BG-14
    period = "<cac:InvoicePeriod><cbc:StartDate>2024-01-01</cbc:StartDate></cac:InvoicePeriod>"
    undated = xr_ubl().replace(
        "<cac:Delivery><cbc:ActualDeliveryDate>2024-01-15</cbc:ActualDeliveryDate></cac:Delivery>",
        "",
    )
    line_dated = xr_ubl(line=period).replace(
        "<cac:Delivery><cbc:ActualDeliveryDate>2024-01-15</cbc:ActualDeliveryDate></cac:Delivery>",
        "",
    )
    # when
    line_found, undated_found = ubl_kosit(line_dated), ubl_kosit(undated)
    # then
    assert line_found == []
    assert undated_found == [("BR-DE-TMP-32", Severity.INFO)]


def _ram(parent: etree._Element, name: str) -> etree._Element:
    ram = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    return etree.SubElement(parent, ram + name)


def _cii_guideline(root: etree._Element, guideline: str = CIUS) -> None:
    rsm = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}"
    context = etree.Element(rsm + "ExchangedDocumentContext")
    parameter = _ram(context, "GuidelineSpecifiedDocumentContextParameter")
    _ram(parameter, "ID").text = guideline
    root.insert(0, context)


_CATEGORY = (
    "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>"
    "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>"
)


def _sub_line(amount: str, categories: int = 1) -> str:
    return (
        "<cac:SubInvoiceLine><cbc:ID>1.1</cbc:ID>"
        f'<cbc:LineExtensionAmount currencyID="EUR">{amount}</cbc:LineExtensionAmount>'
        f"<cac:Item><cbc:Name>Part</cbc:Name>{_CATEGORY * categories}</cac:Item>"
        "</cac:SubInvoiceLine>"
    )


def test_sub_invoice_lines_that_do_not_add_up_are_a_br_dex_02_warning() -> None:
    # given: the invoice line's net amount is 100.00
    adding = xr_ubl(customization=EXTENSION, line=_sub_line("60.00") + _sub_line("40"))
    short = xr_ubl(customization=EXTENSION, line=_sub_line("60.00") + _sub_line("39.99"))
    # when
    adding_found, short_found = ubl_kosit(adding), ubl_kosit(short)
    # then
    assert adding_found == []
    assert short_found == [("BR-DEX-02", Severity.WARNING)]


def test_sub_invoice_lines_are_not_checked_outside_the_extension() -> None:
    # given
    root = xr_ubl(line=_sub_line("1.00"))
    # when
    found = ubl_kosit(root)
    # then
    assert found == []


def test_a_sub_invoice_line_without_exactly_one_vat_category_is_br_dex_03() -> None:
    # given
    one = xr_ubl(customization=EXTENSION, line=_sub_line("100.00"))
    two = xr_ubl(customization=EXTENSION, line=_sub_line("100.00", categories=2))
    # when
    one_found, two_found = ubl_kosit(one), ubl_kosit(two)
    # then
    assert one_found == []
    assert two_found == [("BR-DEX-03", Severity.ERROR)]


def _third_party(payment: str) -> list[tuple[str, Severity]]:
    xml = xr_ubl(
        customization=EXTENSION, tail=f"<cac:PrepaidPayment>{payment}</cac:PrepaidPayment>"
    )
    return [(code, sev) for code, sev in ubl_kosit(xml) if code != "BR-DEX-09"]


def test_a_complete_third_party_payment_passes_br_dex_10_to_14() -> None:
    # given
    payment = (
        '<cbc:ID>Zuzahlung</cbc:ID><cbc:PaidAmount currencyID="EUR">5.00</cbc:PaidAmount>'
        "<cbc:InstructionID>Eigenanteil</cbc:InstructionID>"
    )
    # when
    found = _third_party(payment)
    # then
    assert found == []


def test_an_empty_third_party_payment_is_br_dex_10_11_12_and_14() -> None:
    # given: a blank type is also an empty element
    payment = "<cbc:ID> </cbc:ID>"
    # when
    found = _third_party(payment)
    # then
    assert found == [
        ("BR-DEX-10", Severity.ERROR),
        ("BR-DEX-11", Severity.ERROR),
        ("BR-DEX-12", Severity.ERROR),
        ("BR-DEX-14", Severity.ERROR),
        ("PEPPOL-EN16931-R008", Severity.ERROR),
    ]


def test_a_third_party_amount_with_three_decimals_in_another_currency_is_br_dex_13_and_14() -> None:
    # given
    payment = (
        '<cbc:ID>Zuzahlung</cbc:ID><cbc:PaidAmount currencyID="USD">5.001</cbc:PaidAmount>'
        "<cbc:InstructionID>Eigenanteil</cbc:InstructionID>"
    )
    # when
    found = _third_party(payment)
    # then
    assert found == [("BR-DEX-13", Severity.ERROR), ("BR-DEX-14", Severity.ERROR)]


CVD = CIUS + "#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_0.9"
_CVD_REFERENCES = (
    "<cac:OriginatorDocumentReference><cbc:ID>Los 1</cbc:ID></cac:OriginatorDocumentReference>"
    "<cac:ContractDocumentReference><cbc:ID>V-7</cbc:ID></cac:ContractDocumentReference>"
)


def _cvd(*, category: str = "M1", reason: str = "clean", references: str = _CVD_REFERENCES) -> str:
    """A valid CVD invoice whose line item classifies a vehicle and gives its 'cva'."""
    xml = xr_ubl(customization=CVD, head=references)
    return xml.replace(
        "<cac:Item><cbc:Name>Thing</cbc:Name>",
        "<cac:Item><cbc:Name>Bus</cbc:Name><cac:CommodityClassification>"
        f'<cbc:ItemClassificationCode listID="CVD">{category}</cbc:ItemClassificationCode>'
        "</cac:CommodityClassification>",
    ).replace(
        "</cac:ClassifiedTaxCategory></cac:Item>",
        "</cac:ClassifiedTaxCategory><cac:AdditionalItemProperty><cbc:Name>cva</cbc:Name>"
        f"<cbc:Value>{reason}</cbc:Value></cac:AdditionalItemProperty></cac:Item>",
    )


def test_a_complete_clean_vehicles_invoice_passes_the_cvd_rules() -> None:
    # given
    xml = _cvd(category=" N3 ", reason="zero-emission")
    # when
    found = ubl_kosit(xml)
    # then
    assert found == []


def test_a_cvd_invoice_without_contract_and_tender_is_br_de_cvd_01_and_02() -> None:
    # given
    xml = _cvd(references="")
    # when
    found = ubl_kosit(xml)
    # then
    assert found == [("BR-DE-CVD-01", Severity.ERROR), ("BR-DE-CVD-02", Severity.ERROR)]


def test_a_cvd_line_with_unknown_category_and_reason_is_br_de_cvd_04_and_05() -> None:
    # given
    xml = _cvd(category="X9", reason="green")
    # when
    found = ubl_kosit(xml)
    # then
    assert found == [("BR-DE-CVD-04", Severity.ERROR), ("BR-DE-CVD-05", Severity.ERROR)]


def test_a_cvd_class_without_its_cva_attribute_is_br_de_cvd_03_and_06_a() -> None:
    # given
    xml = _cvd().replace("<cbc:Name>cva</cbc:Name>", "<cbc:Name>colour</cbc:Name>")
    # when
    found = ubl_kosit(xml)
    # then
    assert found == [("BR-DE-CVD-03", Severity.ERROR), ("BR-DE-CVD-06-a", Severity.ERROR)]


def test_a_cva_attribute_without_its_cvd_class_is_br_de_cvd_03_and_06_b() -> None:
    # given
    xml = _cvd().replace('listID="CVD"', 'listID="STI"')
    # when
    found = ubl_kosit(xml)
    # then
    assert found == [("BR-DE-CVD-03", Severity.ERROR), ("BR-DE-CVD-06-b", Severity.ERROR)]


def test_the_cvd_rules_do_not_apply_to_a_plain_xrechnung() -> None:
    # given
    xml = _cvd(references="").replace(CVD, CIUS)
    # when
    found = ubl_kosit(xml)
    # then
    assert found == []


def test_the_xrechnung_rules_apply_to_the_cvd_profile_too() -> None:
    # given
    xml = _cvd().replace("<cbc:BuyerReference>04011000-12345-03</cbc:BuyerReference>", "")
    # when
    found = ubl_kosit(xml)
    # then
    assert found == [("BR-DE-15", Severity.ERROR)]


def test_an_empty_ubl_element_is_a_fatal_peppol_r008() -> None:
    # given
    filled, empty = (
        xr_ubl(head="<cbc:Note>Danke</cbc:Note>"),
        xr_ubl(head="<cbc:Note>\n</cbc:Note>"),
    )
    # when
    filled_found, empty_found = ubl_kosit(filled), ubl_kosit(empty)
    # then
    assert filled_found == []
    assert empty_found == [("PEPPOL-EN16931-R008", Severity.ERROR)]


def _cii_r008(parties: str) -> list[Finding]:
    trade = (
        "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}SupplyChainTradeTransaction"
    )
    root = cii_doc(parties=parties)
    delivery = etree.Element(
        "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
        "ApplicableHeaderTradeDelivery"
    )
    transaction = root.find(trade)
    assert transaction is not None
    transaction.append(delivery)
    _cii_guideline(root)
    return [f for f in check_cii(root) if f.code == "PEPPOL-EN16931-R008"]


def test_an_empty_cii_element_is_a_peppol_r008_warning_except_the_delivery() -> None:
    # given: CII requires ram:ApplicableHeaderTradeDelivery even when it is empty
    reference = "<ram:BuyerReference>04011000-12345-03</ram:BuyerReference>"
    # when
    delivery_only = _cii_r008(reference)
    empty_reference = _cii_r008("<ram:BuyerReference> </ram:BuyerReference>")
    # then
    assert delivery_only == []
    assert [(f.severity, f.location) for f in empty_reference] == [
        (
            Severity.WARNING,
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
            "/ram:ApplicableHeaderTradeAgreement/ram:BuyerReference",
        )
    ]


def test_a_line_document_reference_other_than_an_invoiced_object_is_peppol_r101() -> None:
    # given
    reference = (
        "<cac:DocumentReference><cbc:ID>OBJ-1</cbc:ID>"
        "<cbc:DocumentTypeCode>{code}</cbc:DocumentTypeCode></cac:DocumentReference>"
    )
    invoiced = xr_ubl(line=reference.format(code="130"))
    other = xr_ubl(line=reference.format(code="131"))
    # when
    invoiced_found, other_found = ubl_kosit(invoiced), ubl_kosit(other)
    # then
    assert invoiced_found == []
    assert other_found == [("PEPPOL-EN16931-R101", Severity.ERROR)]


def _peppol(xml: str) -> list[str]:
    return [code for code, _ in ubl_kosit(xml) if code.startswith("PEPPOL-")]


def _charge(inner: str) -> str:
    return f"<cac:AllowanceCharge>{inner}</cac:AllowanceCharge>"


def test_a_ubl_xrechnung_without_business_process_is_peppol_r001() -> None:
    # given
    xml = xr_ubl().replace(
        "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>", ""
    )
    # when
    found = _peppol(xml)
    # then
    assert found == ["PEPPOL-EN16931-R001"]


def test_a_vat_accounting_currency_equal_to_the_invoice_currency_is_peppol_r005() -> None:
    # given
    other, same = (
        xr_ubl(head=f"<cbc:TaxCurrencyCode>{code}</cbc:TaxCurrencyCode>")
        for code in ("USD", " EUR")
    )
    # when
    other_found, same_found = _peppol(other), _peppol(same)
    # then
    assert other_found == []
    assert same_found == ["PEPPOL-EN16931-R005"]


def test_parties_without_electronic_address_are_peppol_r010_and_r020() -> None:
    # given
    xml = xr_ubl()
    for mail in ("seller@example.de", "buyer@example.de"):
        xml = xml.replace(f'<cbc:EndpointID schemeID="EM">{mail}</cbc:EndpointID>', "")
    # when
    found = _peppol(xml)
    # then
    assert found == ["PEPPOL-EN16931-R010", "PEPPOL-EN16931-R020"]


def test_allowance_percentage_and_base_amount_come_together_for_peppol_r041_r042() -> None:
    # given
    indicator = "<cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
    factor = "<cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric>"
    base = '<cbc:BaseAmount currencyID="EUR">100.00</cbc:BaseAmount>'
    both = xr_ubl(tail=_charge(indicator + factor + base))
    unbalanced = xr_ubl(tail=_charge(indicator + factor) + _charge(indicator + base))
    # when
    both_found, unbalanced_found = _peppol(both), _peppol(unbalanced)
    # then
    assert both_found == []
    assert unbalanced_found == ["PEPPOL-EN16931-R041", "PEPPOL-EN16931-R042"]


def test_a_charge_indicator_other_than_true_or_false_is_peppol_r043() -> None:
    # given
    xml = xr_ubl(tail=_charge("<cbc:ChargeIndicator>1</cbc:ChargeIndicator>"))
    # when
    found = _peppol(xml)
    # then
    assert found == ["PEPPOL-EN16931-R043"]


def _priced(price: str, charge: str) -> str:
    return xr_ubl().replace(
        '<cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount>',
        f'<cbc:PriceAmount currencyID="EUR">{price}</cbc:PriceAmount>{_charge(charge)}',
    )


def test_a_price_charge_or_a_wrong_net_price_is_peppol_r044_or_r046() -> None:
    # given
    allowance = (
        "<cbc:ChargeIndicator>{indicator}</cbc:ChargeIndicator>"
        '<cbc:Amount currencyID="EUR">20.00</cbc:Amount>'
        '<cbc:BaseAmount currencyID="EUR">120.00</cbc:BaseAmount>'
    )
    net = _priced("100.00", allowance.format(indicator="false"))
    charged = _priced("100.00", allowance.format(indicator="true"))
    wrong = _priced("99.00", allowance.format(indicator="false"))
    # when
    found = [_peppol(xml) for xml in (net, charged, wrong)]
    # then
    assert found == [[], ["PEPPOL-EN16931-R044"], ["PEPPOL-EN16931-R046"]]


def test_a_second_vat_total_with_breakdown_is_peppol_r053() -> None:
    # given
    xml = xr_ubl()
    start = xml.index("<cac:TaxTotal>")
    end = xml.index("</cac:TaxTotal>") + len("</cac:TaxTotal>")
    doubled = xml[:end] + xml[start:end] + xml[end:]
    # when
    found = _peppol(doubled)
    # then
    assert found == ["PEPPOL-EN16931-R053"]


def test_a_direct_debit_without_mandate_reference_is_peppol_r061() -> None:
    # given
    xml = xr_ubl(means="49", account=IBAN)
    # when
    found = _peppol(xml)
    # then
    assert found == ["PEPPOL-EN16931-R061"]


def test_a_line_period_outside_the_invoice_period_is_peppol_r110_and_r111() -> None:
    # given
    period = (
        "<cac:InvoicePeriod><cbc:StartDate>{start}</cbc:StartDate>"
        "<cbc:EndDate>{end}</cbc:EndDate></cac:InvoicePeriod>"
    )
    invoice_period = period.format(start="2024-01-01", end="2024-01-31")
    inside = xr_ubl(head=invoice_period, line=period.format(start="2024-01-01", end="2024-01-31"))
    outside = xr_ubl(head=invoice_period, line=period.format(start="2023-12-31", end="2024-02-01"))
    # when
    inside_found, outside_found = _peppol(inside), _peppol(outside)
    # then
    assert inside_found == []
    assert outside_found == ["PEPPOL-EN16931-R110", "PEPPOL-EN16931-R111"]


def test_a_base_quantity_not_positive_or_in_another_unit_is_peppol_r121_or_r130() -> None:
    # given
    priced = '<cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount>'
    zero, other_unit, same_unit = (
        xr_ubl().replace(priced, priced + quantity)
        for quantity in (
            "<cbc:BaseQuantity>0</cbc:BaseQuantity>",
            '<cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity>',
            '<cbc:BaseQuantity unitCode="C62">1</cbc:BaseQuantity>',
        )
    )
    # when
    found = [_peppol(xml) for xml in (zero, other_unit, same_unit)]
    # then
    assert found == [["PEPPOL-EN16931-R121"], ["PEPPOL-EN16931-R130"], []]
