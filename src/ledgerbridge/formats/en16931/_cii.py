"""CII D16B binding: fills the abstract :class:`~._model.Doc` from a CrossIndustryInvoice.

Element walks with precomputed Clark names, like the UBL binding; locations use the
``rsm:``/``ram:`` prefixes of the CEN schematron.

>>> from lxml import etree
>>> doc = bind(etree.fromstring(
...     b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
...     b'CrossIndustryInvoice:100"/>'))
>>> doc.root, doc.lines
('/rsm:CrossIndustryInvoice', [])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931._model import (
    AllowanceCharge,
    Doc,
    Line,
    Party,
    Subtotal,
    TaxTotal,
)
from ledgerbridge.formats.en16931._walk import Walk, boolean, string

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["PREFIXES", "RAM", "RSM", "bind", "child", "children", "text"]

RSM = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
UDT = "{urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100}"
_PREFIX = {"rsm": RSM, "ram": RAM, "udt": UDT}
#: Namespace (Clark form) -> the prefix finding locations use.
PREFIXES = {namespace: prefix for prefix, namespace in _PREFIX.items()}


def _clark(name: str) -> str:
    prefix, _, local = name.partition(":")
    return _PREFIX[prefix] + local


_WALK = Walk(_clark)
child = _WALK.child
children = _WALK.children
text = _WALK.text
_texts = _WALK.texts


def _party(el: etree._Element | None, path: str) -> Party | None:
    if el is None:
        return None
    party = Party(path=path)
    party.name = text(el, "ram:Name")
    party.trading_names = _texts(el, "ram:SpecifiedLegalOrganization", "ram:TradingBusinessName")
    party.identifiers = _texts(el, "ram:ID") + _texts(el, "ram:GlobalID")
    party.legal_ids = _texts(el, "ram:SpecifiedLegalOrganization", "ram:ID")
    for reg in children(el, "ram:SpecifiedTaxRegistration", "ram:ID"):
        value = string(reg)
        (party.vat_ids if reg.get("schemeID") == "VA" else party.tax_reg_ids).append(value)
    address = child(el, "ram:PostalTradeAddress")
    party.has_address = address is not None
    party.country = text(address, "ram:CountryID")
    endpoint = child(el, "ram:URIUniversalCommunication", "ram:URIID")
    if endpoint is not None:
        party.endpoint = string(endpoint)
        party.endpoint_scheme = endpoint.get("schemeID")
    return party


def _indicator(el: etree._Element) -> bool | None:
    return boolean(text(el, "ram:ChargeIndicator", "udt:Indicator"))


def _tax_category(target: AllowanceCharge | Line, tax: etree._Element | None) -> None:
    """Category, rate and VAT scheme of an allowance, charge or line from its trade tax."""
    if tax is not None:
        target.category = text(tax, "ram:CategoryCode")
        target.rate = text(tax, "ram:RateApplicablePercent")
        target.has_vat_category = target.category is not None and text(tax, "ram:TypeCode") == "VAT"


def _allowances(el: etree._Element | None, path: str) -> list[AllowanceCharge]:
    found = []
    for index, node in enumerate(children(el, "ram:SpecifiedTradeAllowanceCharge"), start=1):
        charge = _indicator(node)
        if charge is None:
            continue
        ac = AllowanceCharge(
            path=f"{path}/ram:SpecifiedTradeAllowanceCharge[{index}]", is_charge=charge
        )
        ac.amount = text(node, "ram:ActualAmount")
        ac.base_amount = text(node, "ram:BasisAmount")
        ac.reason = text(node, "ram:Reason")
        ac.reason_code = text(node, "ram:ReasonCode")
        _tax_category(ac, child(node, "ram:CategoryTradeTax"))
        found.append(ac)
    return found


def _logistics_charges(el: etree._Element | None, path: str) -> list[AllowanceCharge]:
    """Factur-X EXTENDED logistics service charges (BT-X-271 … BT-X-274) as document charges.

    The Factur-X EXTENDED schematron adds their amounts to BT-108 and to the taxable
    amount of their VAT category and rate (BR-FXEXT-CO-12, BR-FXEXT-S-08), so for the
    sums they are document level charges whose reason is their description.
    """
    found = []
    for index, node in enumerate(children(el, "ram:SpecifiedLogisticsServiceCharge"), start=1):
        ac = AllowanceCharge(
            path=f"{path}/ram:SpecifiedLogisticsServiceCharge[{index}]", is_charge=True
        )
        ac.amount = text(node, "ram:AppliedAmount")
        ac.reason = text(node, "ram:Description")
        _tax_category(ac, child(node, "ram:AppliedTradeTax"))
        found.append(ac)
    return found


def _period(el: etree._Element | None) -> tuple[str | None, str | None] | None:
    if el is None:
        return None
    start = text(el, "ram:StartDateTime", "udt:DateTimeString")
    return start, text(el, "ram:EndDateTime", "udt:DateTimeString")


def _line(el: etree._Element, path: str) -> Line:
    line = Line(path=path)
    line.id = text(el, "ram:AssociatedDocumentLineDocument", "ram:LineID")
    quantity = child(el, "ram:SpecifiedLineTradeDelivery", "ram:BilledQuantity")
    if quantity is not None:
        line.quantity = string(quantity)
        line.unit = quantity.get("unitCode")
    product = child(el, "ram:SpecifiedTradeProduct")
    line.item_name = text(product, "ram:Name")
    agreement = child(el, "ram:SpecifiedLineTradeAgreement")
    line.price = text(agreement, "ram:NetPriceProductTradePrice", "ram:ChargeAmount")
    line.gross_price = text(agreement, "ram:GrossPriceProductTradePrice", "ram:ChargeAmount")
    settlement = child(el, "ram:SpecifiedLineTradeSettlement")
    line.net = text(
        settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation", "ram:LineTotalAmount"
    )
    _tax_category(line, child(settlement, "ram:ApplicableTradeTax"))
    line.period = _period(child(settlement, "ram:BillingSpecifiedPeriod"))
    line.allowances = _allowances(settlement, f"{path}/ram:SpecifiedLineTradeSettlement")
    for ident in children(product, "ram:GlobalID"):
        line.standard_ids.append((string(ident), ident.get("schemeID")))
    for code in children(product, "ram:DesignatedProductClassification", "ram:ClassCode"):
        line.classifications.append((string(code), code.get("listID")))
    for prop in children(product, "ram:ApplicableProductCharacteristic"):
        line.attributes.append((text(prop, "ram:Description"), text(prop, "ram:Value")))
    return line


def _settlement(doc: Doc, el: etree._Element | None, path: str) -> None:
    doc.currency = text(el, "ram:InvoiceCurrencyCode")
    doc.tax_currency = text(el, "ram:TaxCurrencyCode")
    doc.payee = _party(child(el, "ram:PayeeTradeParty"), f"{path}/ram:PayeeTradeParty")
    if doc.payee is not None:
        doc.payee.trading_names = [doc.payee.name] if doc.payee.name is not None else []
    period = child(el, "ram:BillingSpecifiedPeriod")
    doc.period = _period(period)
    doc.period_given = any(
        child(period, name) is not None for name in ("ram:StartDateTime", "ram:EndDateTime")
    )
    sums = child(el, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    doc.totals_path = f"{path}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    doc.has_totals = sums is not None
    doc.line_total = text(sums, "ram:LineTotalAmount")
    doc.allowance_total = text(sums, "ram:AllowanceTotalAmount")
    doc.charge_total = text(sums, "ram:ChargeTotalAmount")
    doc.tax_exclusive = text(sums, "ram:TaxBasisTotalAmount")
    doc.tax_inclusive = text(sums, "ram:GrandTotalAmount")
    doc.prepaid = text(sums, "ram:TotalPrepaidAmount")
    doc.rounding = text(sums, "ram:RoundingAmount")
    doc.payable = text(sums, "ram:DuePayableAmount")
    taxes: list[str | None] = []
    for index, node in enumerate(children(el, "ram:ApplicableTradeTax"), start=1):
        sub = Subtotal(path=f"{path}/ram:ApplicableTradeTax[{index}]")
        sub.taxable = text(node, "ram:BasisAmount")
        sub.tax = text(node, "ram:CalculatedAmount")
        sub.category = text(node, "ram:CategoryCode")
        sub.rate = text(node, "ram:RateApplicablePercent")
        sub.exemption_reason = text(node, "ram:ExemptionReason")
        sub.exemption_code = text(node, "ram:ExemptionReasonCode")
        sub.is_vat = (text(node, "ram:TypeCode") or "").strip().upper() == "VAT"
        sub.coded = sub.category is not None
        doc.subtotals.append(sub)
        taxes.append(sub.tax)
        doc.tax_point_date = doc.tax_point_date or text(node, "ram:TaxPointDate", "udt:DateString")
        doc.tax_point_code = doc.tax_point_code or text(node, "ram:DueDateTypeCode")
    for amount in children(sums, "ram:TaxTotalAmount"):
        currency = amount.get("currencyID")
        total = TaxTotal(doc.totals_path, string(amount), currency)
        if currency == doc.currency:
            total.subtotal_taxes = taxes
            total.sums_without_breakdowns = True
        doc.tax_totals.append(total)
    doc.allowances = _allowances(el, path) + _logistics_charges(el, path)
    _payments(doc, el, path)


def _payments(doc: Doc, el: etree._Element | None, path: str) -> None:
    for index, means in enumerate(children(el, "ram:SpecifiedTradeSettlementPaymentMeans"), 1):
        accounts = [
            text(a, "ram:IBANID") or text(a, "ram:ProprietaryID")
            for a in children(means, "ram:PayeePartyCreditorFinancialAccount")
        ]
        where = f"{path}/ram:SpecifiedTradeSettlementPaymentMeans[{index}]"
        doc.payment_means.append((where, text(means, "ram:TypeCode"), accounts))
        doc.card_numbers += _texts(means, "ram:ApplicableTradeSettlementFinancialCard", "ram:ID")
    for terms in children(el, "ram:SpecifiedTradePaymentTerms"):
        doc.due_date = doc.due_date or text(terms, "ram:DueDateDateTime", "udt:DateTimeString")
        doc.payment_terms = doc.payment_terms or text(terms, "ram:Description")
    for index, ref in enumerate(children(el, "ram:InvoiceReferencedDocument"), start=1):
        where = f"{path}/ram:InvoiceReferencedDocument[{index}]"
        doc.preceding_invoices.append((where, text(ref, "ram:IssuerAssignedID")))


def _agreement(doc: Doc, el: etree._Element | None, path: str) -> None:
    doc.seller = _party(child(el, "ram:SellerTradeParty"), f"{path}/ram:SellerTradeParty")
    doc.buyer = _party(child(el, "ram:BuyerTradeParty"), f"{path}/ram:BuyerTradeParty")
    rep = "ram:SellerTaxRepresentativeTradeParty"
    doc.tax_rep = _party(child(el, rep), f"{path}/{rep}")
    for index, ref in enumerate(children(el, "ram:AdditionalReferencedDocument"), start=1):
        where = f"{path}/ram:AdditionalReferencedDocument[{index}]"
        doc.supporting_doc_ids.append((where, text(ref, "ram:IssuerAssignedID")))


def bind(root: etree._Element) -> Doc:
    """Read the business terms the rules need from a CII CrossIndustryInvoice."""
    doc = Doc(root="/rsm:CrossIndustryInvoice", syntax="cii")
    context = child(root, "rsm:ExchangedDocumentContext")
    doc.customization = text(context, "ram:GuidelineSpecifiedDocumentContextParameter", "ram:ID")
    header = child(root, "rsm:ExchangedDocument")
    doc.number = text(header, "ram:ID")
    doc.type_code = text(header, "ram:TypeCode")
    doc.issue_date = text(header, "ram:IssueDateTime", "udt:DateTimeString")
    trade = child(root, "rsm:SupplyChainTradeTransaction")
    tpath = f"{doc.root}/rsm:SupplyChainTradeTransaction"
    for index, node in enumerate(children(trade, "ram:IncludedSupplyChainTradeLineItem"), 1):
        doc.lines.append(_line(node, f"{tpath}/ram:IncludedSupplyChainTradeLineItem[{index}]"))
    _agreement(
        doc,
        child(trade, "ram:ApplicableHeaderTradeAgreement"),
        f"{tpath}/ram:ApplicableHeaderTradeAgreement",
    )
    delivery = child(trade, "ram:ApplicableHeaderTradeDelivery")
    doc.delivery_date = text(
        delivery,
        "ram:ActualDeliverySupplyChainEvent",
        "ram:OccurrenceDateTime",
        "udt:DateTimeString",
    )
    ship_to = child(delivery, "ram:ShipToTradeParty", "ram:PostalTradeAddress")
    if ship_to is not None:
        where = f"{tpath}/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty"
        doc.delivery_country = (where, text(ship_to, "ram:CountryID"))
    _settlement(
        doc,
        child(trade, "ram:ApplicableHeaderTradeSettlement"),
        f"{tpath}/ram:ApplicableHeaderTradeSettlement",
    )
    return doc
