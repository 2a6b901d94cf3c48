"""UBL 2.1 Invoice and CreditNote (Peppol BIS 3.0, XRechnung UBL) into the EN 16931 model.

:func:`read_tree` maps the business terms of EN 16931 from their UBL syntax binding
into :class:`~ledgerbridge.formats.model.Invoice`; a ``CreditNote`` root or a credit
note type code (381, 396, ...) makes the document a credit note. ``Document.profile``
is ``cbc:CustomizationID``. Values are read by element walks (no XPath strings built
per call); amounts are exact ``Decimal`` values, dates ``YYYY-MM-DD``. Text that is not
an ``xs:decimal``/date becomes an error finding (``UBL-SCHEMA-DECIMAL``,
``UBL-SCHEMA-DATE``) at the element's path, and an absent element the UBL 2.1 schema
requires (``cbc:ID``, ``cbc:IssueDate``, the two parties, ``cac:LegalMonetaryTotal``)
is ``UBL-SCHEMA-MISSING``. With ``options.validate`` the EN 16931 business rules of
:mod:`ledgerbridge.formats.en16931` add their findings (codes ``BR-*``).

>>> from ledgerbridge.formats.model import ReadOptions
>>> xml = (b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
...        b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
...        b'<cbc:ID>INV-1</cbc:ID><cbc:IssueDate>2025-01-31</cbc:IssueDate>'
...        b'<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode></Invoice>')
>>> doc = read(xml, options=ReadOptions(validate=False)).documents[0]
>>> doc.kind.value, doc.data.number, doc.data.issue_date
('invoice', 'INV-1', datetime.date(2025, 1, 31))
>>> sorted({f.code for f in doc.findings})
['UBL-SCHEMA-MISSING']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from ledgerbridge.formats import xmlsafe
from ledgerbridge.formats.en16931 import check_ubl
from ledgerbridge.formats.errors import ErrorCode, UnsupportedFormat
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
    ReadResult,
    Totals,
    VatBreakdown,
)
from ledgerbridge.formats.namespaces import UBL_CREDIT_NOTE_NS, UBL_INVOICE_NS
from ledgerbridge.formats.untdid import CREDIT_NOTE_TYPE_CODES
from ledgerbridge.formats.values import ValueReader

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = ["read", "read_tree", "sniff", "sniff_root"]

_CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
_CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
_INVOICE = f"{{{UBL_INVOICE_NS}}}Invoice"
_CREDIT_NOTE = f"{{{UBL_CREDIT_NOTE_NS}}}CreditNote"

_ID = _CBC + "ID"
_PARTY = _CAC + "Party"
_TAX_SCHEME_ID = f"{_CAC}TaxScheme/{_CBC}ID"
_COMPANY_ID = _CBC + "CompanyID"
_PERCENT = _CBC + "Percent"


def sniff(head: bytes) -> bool:
    """True when ``head`` looks like a UBL Invoice or CreditNote document."""
    return xmlsafe.sniff(head) and (
        UBL_INVOICE_NS.encode() in head or UBL_CREDIT_NOTE_NS.encode() in head
    )


def sniff_root(root: etree._Element) -> bool:
    """True when the parsed ``root`` is a UBL ``Invoice`` or ``CreditNote``."""
    return root.tag in (_INVOICE, _CREDIT_NOTE)


def read(data: bytes, *, options: ReadOptions) -> ReadResult:
    """Parse ``data`` (hardened) and read it as a UBL invoice or credit note."""
    return read_tree(xmlsafe.parse(data, options=options), options=options, container=Container.XML)


def read_tree(
    root: etree._Element, *, options: ReadOptions, container: Container = Container.XML
) -> ReadResult:
    """Read a parsed UBL ``Invoice``/``CreditNote`` root into one :class:`Document`."""
    if not sniff_root(root):
        raise UnsupportedFormat(
            ErrorCode.UNSUPPORTED_XML_ROOT, f"/{etree.QName(root).localname}", "not a UBL Invoice"
        )
    values = ValueReader("UBL")
    is_credit_note = root.tag == _CREDIT_NOTE
    invoice = _invoice(root, values, is_credit_note=is_credit_note)
    kind = (
        Kind.CREDIT_NOTE
        if is_credit_note or invoice.type_code in CREDIT_NOTE_TYPE_CODES
        else Kind.INVOICE
    )
    findings = values.findings
    if options.validate:
        findings = [*findings, *check_ubl(root)]
    document = Document(
        format=Format.UBL,
        container=container,
        kind=kind,
        data=invoice,
        findings=tuple(findings),
        profile=values.text(root.find(_CBC + "CustomizationID")),
    )
    return ReadResult(documents=(document,))


def _invoice(root: etree._Element, values: ValueReader, *, is_credit_note: bool) -> Invoice:
    text = values.text
    for tag in ("ID", "IssueDate"):
        values.require(root.find(_CBC + tag), root, _CBC + tag)
    for tag in ("AccountingSupplierParty", "AccountingCustomerParty", "LegalMonetaryTotal"):
        values.require(root.find(_CAC + tag), root, _CAC + tag)
    currency = text(root.find(_CBC + "DocumentCurrencyCode"))
    type_tag = "CreditNoteTypeCode" if is_credit_note else "InvoiceTypeCode"
    due = root.find(_CBC + "DueDate")
    if due is None:  # a CreditNote has no cbc:DueDate; BT-9 sits in the payment means
        due = root.find(f"{_CAC}PaymentMeans/{_CBC}PaymentDueDate")
    tax_total = _tax_total(root, currency)
    return Invoice(
        number=text(root.find(_ID)),
        type_code=text(root.find(_CBC + type_tag)),
        issue_date=values.iso_date(root.find(_CBC + "IssueDate")),
        due_date=values.iso_date(due),
        currency=currency,
        buyer_reference=text(root.find(_CBC + "BuyerReference")),
        seller=_party(root.find(f"{_CAC}AccountingSupplierParty/{_PARTY}"), values),
        buyer=_party(root.find(f"{_CAC}AccountingCustomerParty/{_PARTY}"), values),
        totals=_totals(root, tax_total, values),
        vat_breakdown=_vat_breakdown(tax_total, values),
        lines=_lines(root, values, is_credit_note=is_credit_note),
        payment=_payment(root, values),
    )


def _party(party: etree._Element | None, values: ValueReader) -> Party:
    if party is None:
        return Party()
    text = values.text
    vat_id = tax_registration_id = None
    for scheme in party.iterfind(_CAC + "PartyTaxScheme"):
        company_id = text(scheme.find(_COMPANY_ID))
        if text(scheme.find(_TAX_SCHEME_ID)) == "VAT":
            vat_id = vat_id or company_id
        else:
            tax_registration_id = tax_registration_id or company_id
    legal = party.find(_CAC + "PartyLegalEntity")
    name = None if legal is None else text(legal.find(_CBC + "RegistrationName"))
    return Party(
        # BT-27/BT-44 is the legal registration name; the trading name stands in for it
        # only when a (non-conforming) document lacks the legal one.
        name=name or text(party.find(f"{_CAC}PartyName/{_CBC}Name")),
        vat_id=vat_id,
        tax_registration_id=tax_registration_id,
        legal_id=None if legal is None else text(legal.find(_COMPANY_ID)),
        country=text(party.find(f"{_CAC}PostalAddress/{_CAC}Country/{_CBC}IdentificationCode")),
    )


def _tax_total(root: etree._Element, currency: str | None) -> etree._Element | None:
    """The ``cac:TaxTotal`` in the document currency (BT-110), not the one of BT-111."""
    totals = root.findall(_CAC + "TaxTotal")
    for total in totals:
        amount = total.find(_CBC + "TaxAmount")
        if amount is not None and amount.get("currencyID") == currency:
            return total
    for total in totals:
        if total.find(_CAC + "TaxSubtotal") is not None:
            return total
    return totals[0] if totals else None


def _totals(root: etree._Element, tax_total: etree._Element | None, values: ValueReader) -> Totals:
    monetary = root.find(_CAC + "LegalMonetaryTotal")
    tax = None if tax_total is None else values.decimal(tax_total.find(_CBC + "TaxAmount"))
    if monetary is None:
        return Totals(tax=tax)

    def amount(tag: str) -> Decimal | None:
        return values.decimal(monetary.find(_CBC + tag))

    return Totals(
        line_net=amount("LineExtensionAmount"),
        allowances=amount("AllowanceTotalAmount"),
        charges=amount("ChargeTotalAmount"),
        net=amount("TaxExclusiveAmount"),
        tax=tax,
        gross=amount("TaxInclusiveAmount"),
        prepaid=amount("PrepaidAmount"),
        rounding=amount("PayableRoundingAmount"),
        due=amount("PayableAmount"),
    )


def _vat_breakdown(
    tax_total: etree._Element | None, values: ValueReader
) -> tuple[VatBreakdown, ...]:
    if tax_total is None:
        return ()
    breakdown = []
    for subtotal in tax_total.iterfind(_CAC + "TaxSubtotal"):
        category = subtotal.find(_CAC + "TaxCategory")
        breakdown.append(
            VatBreakdown(
                category=None if category is None else values.text(category.find(_ID)),
                rate=None if category is None else values.decimal(category.find(_PERCENT)),
                taxable=values.decimal(subtotal.find(_CBC + "TaxableAmount")),
                tax=values.decimal(subtotal.find(_CBC + "TaxAmount")),
            )
        )
    return tuple(breakdown)


def _lines(
    root: etree._Element, values: ValueReader, *, is_credit_note: bool
) -> tuple[InvoiceLine, ...]:
    line_tag, quantity_tag = (
        ("CreditNoteLine", "CreditedQuantity")
        if is_credit_note
        else ("InvoiceLine", "InvoicedQuantity")
    )
    lines = []
    for line in root.iterfind(_CAC + line_tag):
        quantity = line.find(_CBC + quantity_tag)
        item = line.find(_CAC + "Item")
        category = None if item is None else item.find(_CAC + "ClassifiedTaxCategory")
        lines.append(
            InvoiceLine(
                id=values.text(line.find(_ID)),
                name=None if item is None else values.text(item.find(_CBC + "Name")),
                quantity=values.decimal(quantity),
                unit=None if quantity is None else quantity.get("unitCode"),
                net=values.decimal(line.find(_CBC + "LineExtensionAmount")),
                vat_category=None if category is None else values.text(category.find(_ID)),
                vat_rate=None if category is None else values.decimal(category.find(_PERCENT)),
            )
        )
    return tuple(lines)


def _payment(root: etree._Element, values: ValueReader) -> Payment:
    means = root.find(_CAC + "PaymentMeans")
    if means is None:
        return Payment()
    text = values.text
    return Payment(
        means_code=text(means.find(_CBC + "PaymentMeansCode")),
        iban=text(means.find(f"{_CAC}PayeeFinancialAccount/{_ID}")),
        remittance=text(means.find(_CBC + "PaymentID")),
    )
