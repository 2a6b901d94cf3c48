"""UBL 2.1 binding: fills the abstract :class:`~._model.Doc` from an Invoice or CreditNote.

Only element walks with precomputed Clark names are used (no XPath evaluation per file),
which keeps validation fast. Locations are element paths with ``cac:``/``cbc:`` prefixes.

>>> from lxml import etree
>>> doc = bind(etree.fromstring(
...     b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
...     b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
...     b'<cbc:ID>42</cbc:ID></Invoice>'))
>>> doc.number, doc.root
('42', '/Invoice')
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

__all__ = ["CAC", "CBC", "PREFIXES", "bind", "child", "children", "text"]

CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
#: Namespace (Clark form) -> the prefix finding locations use.
PREFIXES = {CAC: "cac", CBC: "cbc"}


def _clark(name: str) -> str:
    prefix, _, local = name.partition(":")
    return (CAC if prefix == "cac" else CBC) + local


_LINE = CAC + "InvoiceLine"
_CREDIT_LINE = CAC + "CreditNoteLine"
_WALK = Walk(_clark)
child = _WALK.child
children = _WALK.children
text = _WALK.text
_texts = _WALK.texts


def _is_vat(el: etree._Element) -> bool:
    scheme = text(el, "cac:TaxScheme", "cbc:ID")
    return scheme is not None and scheme.strip().upper() == "VAT"


def _indicator(el: etree._Element) -> bool | None:
    return boolean(text(el, "cbc:ChargeIndicator"))


def _party(el: etree._Element | None, path: str) -> Party | None:
    if el is None:
        return None
    party = Party(path=path)
    party.name = text(el, "cac:PartyLegalEntity", "cbc:RegistrationName")
    party.trading_names = _texts(el, "cac:PartyName", "cbc:Name")
    idents = children(el, "cac:PartyIdentification", "cbc:ID")
    party.identifiers = [string(ident) for ident in idents]
    party.sepa_ids = sum(ident.get("schemeID") == "SEPA" for ident in idents)
    party.legal_ids = _texts(el, "cac:PartyLegalEntity", "cbc:CompanyID")
    for scheme in children(el, "cac:PartyTaxScheme"):
        company = text(scheme, "cbc:CompanyID")
        if company is not None:
            (party.vat_ids if _is_vat(scheme) else party.tax_reg_ids).append(company)
    address = child(el, "cac:PostalAddress")
    party.has_address = address is not None
    party.country = text(address, "cac:Country", "cbc:IdentificationCode")
    endpoint = child(el, "cbc:EndpointID")
    if endpoint is not None:
        party.endpoint = string(endpoint)
        party.endpoint_scheme = endpoint.get("schemeID")
    return party


def _tax_category(target: AllowanceCharge | Line, category: etree._Element | None) -> None:
    """Category, rate and VAT scheme of an allowance, charge or line from its tax category."""
    if category is not None:
        target.category = text(category, "cbc:ID")
        target.rate = text(category, "cbc:Percent")
        target.has_vat_category = _is_vat(category) and target.category is not None


def _allowance(el: etree._Element, path: str, *, charge: bool) -> AllowanceCharge:
    ac = AllowanceCharge(path=path, is_charge=charge)
    ac.amount = text(el, "cbc:Amount")
    ac.base_amount = text(el, "cbc:BaseAmount")
    ac.reason = text(el, "cbc:AllowanceChargeReason")
    ac.reason_code = text(el, "cbc:AllowanceChargeReasonCode")
    _tax_category(ac, child(el, "cac:TaxCategory"))
    return ac


def _allowances(el: etree._Element, path: str) -> list[AllowanceCharge]:
    found = []
    for index, node in enumerate(children(el, "cac:AllowanceCharge"), start=1):
        charge = _indicator(node)
        if charge is not None:
            found.append(_allowance(node, f"{path}/cac:AllowanceCharge[{index}]", charge=charge))
    return found


def _period(el: etree._Element | None) -> tuple[str | None, str | None] | None:
    if el is None:
        return None
    return text(el, "cbc:StartDate"), text(el, "cbc:EndDate")


def _line(el: etree._Element, path: str) -> Line:
    line = Line(path=path)
    line.id = text(el, "cbc:ID")
    quantity = child(el, "cbc:InvoicedQuantity")
    if quantity is None:
        quantity = child(el, "cbc:CreditedQuantity")
    if quantity is not None:
        line.quantity = string(quantity)
        line.unit = quantity.get("unitCode")
    line.net = text(el, "cbc:LineExtensionAmount")
    item = child(el, "cac:Item")
    line.item_name = text(item, "cbc:Name")
    line.price = text(el, "cac:Price", "cbc:PriceAmount")
    line.gross_price = text(el, "cac:Price", "cac:AllowanceCharge", "cbc:BaseAmount")
    _tax_category(line, child(item, "cac:ClassifiedTaxCategory"))
    line.period = _period(child(el, "cac:InvoicePeriod"))
    line.allowances = _allowances(el, path)
    for ident in children(item, "cac:StandardItemIdentification", "cbc:ID"):
        line.standard_ids.append((string(ident), ident.get("schemeID")))
    for code in children(item, "cac:CommodityClassification", "cbc:ItemClassificationCode"):
        line.classifications.append((string(code), code.get("listID")))
    for prop in children(item, "cac:AdditionalItemProperty"):
        line.attributes.append((text(prop, "cbc:Name"), text(prop, "cbc:Value")))
    return line


def _totals(doc: Doc, root: etree._Element) -> None:
    totals = child(root, "cac:LegalMonetaryTotal")
    doc.totals_path = f"{doc.root}/cac:LegalMonetaryTotal"
    doc.has_totals = totals is not None
    doc.line_total = text(totals, "cbc:LineExtensionAmount")
    doc.allowance_total = text(totals, "cbc:AllowanceTotalAmount")
    doc.charge_total = text(totals, "cbc:ChargeTotalAmount")
    doc.tax_exclusive = text(totals, "cbc:TaxExclusiveAmount")
    doc.tax_inclusive = text(totals, "cbc:TaxInclusiveAmount")
    doc.prepaid = text(totals, "cbc:PrepaidAmount")
    doc.rounding = text(totals, "cbc:PayableRoundingAmount")
    doc.payable = text(totals, "cbc:PayableAmount")


def _taxes(doc: Doc, root: etree._Element) -> None:
    for t, total in enumerate(children(root, "cac:TaxTotal"), start=1):
        amount = child(total, "cbc:TaxAmount")
        entry = TaxTotal(
            path=f"{doc.root}/cac:TaxTotal[{t}]",
            amount=None if amount is None else string(amount),
            currency=None if amount is None else amount.get("currencyID"),
        )
        doc.tax_totals.append(entry)
        for s, node in enumerate(children(total, "cac:TaxSubtotal"), start=1):
            sub = Subtotal(path=f"{doc.root}/cac:TaxTotal[{t}]/cac:TaxSubtotal[{s}]")
            sub.taxable = text(node, "cbc:TaxableAmount")
            sub.tax = text(node, "cbc:TaxAmount")
            category = child(node, "cac:TaxCategory")
            sub.category = text(category, "cbc:ID")
            sub.rate = text(category, "cbc:Percent")
            sub.exemption_reason = text(category, "cbc:TaxExemptionReason")
            sub.exemption_code = text(category, "cbc:TaxExemptionReasonCode")
            sub.is_vat = category is not None and _is_vat(category)
            sub.coded = sub.is_vat and sub.category is not None
            doc.subtotals.append(sub)
            entry.subtotal_taxes.append(sub.tax)


def _payments(doc: Doc, root: etree._Element) -> None:
    for index, means in enumerate(children(root, "cac:PaymentMeans"), start=1):
        accounts = [text(a, "cbc:ID") for a in children(means, "cac:PayeeFinancialAccount")]
        path = f"{doc.root}/cac:PaymentMeans[{index}]"
        doc.payment_means.append((path, text(means, "cbc:PaymentMeansCode"), accounts))
        for pan in children(means, "cac:CardAccount", "cbc:PrimaryAccountNumberID"):
            doc.card_numbers.append(string(pan))
    doc.payment_terms = text(root, "cac:PaymentTerms", "cbc:Note")


def _references(doc: Doc, root: etree._Element) -> None:
    for index, ref in enumerate(children(root, "cac:AdditionalDocumentReference"), start=1):
        path = f"{doc.root}/cac:AdditionalDocumentReference[{index}]"
        doc.supporting_doc_ids.append((path, text(ref, "cbc:ID")))
    for index, ref in enumerate(children(root, "cac:BillingReference"), start=1):
        path = f"{doc.root}/cac:BillingReference[{index}]"
        doc.preceding_invoices.append((path, text(ref, "cac:InvoiceDocumentReference", "cbc:ID")))


def _seller(doc: Doc, root: etree._Element) -> Party | None:
    """BG-4; an AccountingSupplierParty without its Party is a seller with nothing given.

    The CEN rules on the seller group (BR-CO-26) read AccountingSupplierParty itself.
    """
    supplier = child(root, "cac:AccountingSupplierParty")
    path = f"{doc.root}/cac:AccountingSupplierParty"
    if supplier is None:
        return None
    return _party(child(supplier, "cac:Party"), f"{path}/cac:Party") or Party(path=path)


def _lines(doc: Doc, root: etree._Element) -> None:
    """BG-25 from InvoiceLine and CreditNoteLine alike, as the CEN rules read both."""
    seen = {_LINE: 0, _CREDIT_LINE: 0}
    for node in root.iterchildren(_LINE, _CREDIT_LINE):
        tag = str(node.tag)
        seen[tag] += 1
        name = "cac:InvoiceLine" if tag == _LINE else "cac:CreditNoteLine"
        doc.lines.append(_line(node, f"{doc.root}/{name}[{seen[tag]}]"))


def bind(root: etree._Element) -> Doc:
    """Read the business terms the rules need from a UBL Invoice or CreditNote."""
    name = etree_localname(root)
    doc = Doc(root=f"/{name}", syntax="ubl")
    doc.customization = text(root, "cbc:CustomizationID")
    doc.number = text(root, "cbc:ID")
    doc.issue_date = text(root, "cbc:IssueDate")
    doc.type_code = text(root, "cbc:InvoiceTypeCode")
    if doc.type_code is None:
        doc.type_code = text(root, "cbc:CreditNoteTypeCode")
    doc.currency = text(root, "cbc:DocumentCurrencyCode")
    doc.tax_currency = text(root, "cbc:TaxCurrencyCode")
    doc.tax_point_date = text(root, "cbc:TaxPointDate")
    doc.due_date = text(root, "cbc:DueDate")
    period = child(root, "cac:InvoicePeriod")
    doc.tax_point_code = text(period, "cbc:DescriptionCode")
    if period is not None:
        doc.period = _period(period)
        # BR-IC-11 asks for `cac:InvoicePeriod/*`: any child element counts.
        doc.period_given = any(isinstance(c.tag, str) for c in period)
    doc.seller = _seller(doc, root)
    doc.buyer = _party(
        child(root, "cac:AccountingCustomerParty", "cac:Party"),
        f"{doc.root}/cac:AccountingCustomerParty/cac:Party",
    )
    doc.payee = _party(child(root, "cac:PayeeParty"), f"{doc.root}/cac:PayeeParty")
    doc.tax_rep = _party(
        child(root, "cac:TaxRepresentativeParty"), f"{doc.root}/cac:TaxRepresentativeParty"
    )
    if doc.tax_rep is not None and doc.tax_rep.trading_names:
        doc.tax_rep.name = doc.tax_rep.trading_names[0]
    elif doc.tax_rep is not None:
        doc.tax_rep.name = None
    delivery = child(root, "cac:Delivery")
    doc.delivery_date = text(delivery, "cbc:ActualDeliveryDate")
    address = child(delivery, "cac:DeliveryLocation", "cac:Address")
    if address is not None:
        country = text(address, "cac:Country", "cbc:IdentificationCode")
        doc.delivery_country = (
            f"{doc.root}/cac:Delivery/cac:DeliveryLocation/cac:Address",
            country,
        )
    _totals(doc, root)
    _taxes(doc, root)
    doc.allowances = _allowances(root, doc.root)
    _lines(doc, root)
    _payments(doc, root)
    _references(doc, root)
    return doc


def etree_localname(el: etree._Element) -> str:
    """The local name of an element's tag."""
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rpartition("}")[2]
