"""KoSIT XRechnung 3.0 rules (BR-DE-*, BR-DE-TMP-32, BR-DEX-09) for UBL and CII.

A small XRechnung view (:class:`XView`) is read from either syntax; the rules are written
once against it, each at the flag of the KoSIT schematron (fatal: error, warning: warning,
information: info). They apply only when the Specification identifier (BT-24) names the
XRechnung CIUS, its extension or its clean vehicles (CVD) profile; the extension replaces
BR-CO-16 by BR-DEX-09 (third party payments), which :func:`replaces_co16` tells the
caller. The rules of the extension's sub lines and third party payments
(:mod:`._xrextension`), of the CVD profile (:mod:`._xrcvd`) and the PEPPOL rules that
KoSIT includes (:mod:`._xrpeppol`) live beside this module and are called from
:func:`check_xrechnung`.

>>> SKONTO.search("#SKONTO#TAGE=14#PROZENT=2.00#") is not None
True
>>> SKONTO.search("#skonto#TAGE=14#PROZENT=2.00#") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ledgerbridge.formats.en16931 import _cii, _ubl
from ledgerbridge.formats.en16931._model import Doc, dec, filled, r2
from ledgerbridge.formats.en16931._rules import error, warning
from ledgerbridge.formats.en16931._xrcvd import check_cvd
from ledgerbridge.formats.en16931._xrextension import check_extension
from ledgerbridge.formats.en16931._xrpeppol import check_peppol
from ledgerbridge.formats.model import Finding, Severity

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["SKONTO", "check_xrechnung", "is_xrechnung", "kosit_profile", "replaces_co16"]

CIUS = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
EXTENSION = CIUS + "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0"
CVD_PREFIX = CIUS + "#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_"
SKONTO = re.compile(
    r"(^|\r?\n)#(SKONTO)#TAGE=([0-9]+#PROZENT=[0-9]+\.[0-9]{2})"
    r"(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#$"
)
_VAT_CODES = frozenset({"S", "Z", "E", "AE", "K", "G", "L", "M"})


def is_xrechnung(customization: str | None) -> bool:
    """Whether BT-24 names XRechnung 3.0: the CIUS, its extension or its CVD profile."""
    value = (customization or "").strip()
    return value in {CIUS, EXTENSION} or value.startswith(CVD_PREFIX)


def kosit_profile(customization: str | None) -> str | None:
    """The KoSIT profile whose code-list rules replace CEN ones: extension, cvd or none."""
    value = (customization or "").strip()
    if value == EXTENSION:
        return "extension"
    return "cvd" if value.startswith(CVD_PREFIX) else None


def replaces_co16(customization: str | None) -> bool:
    """The XRechnung extension checks BT-115 with BR-DEX-09 instead of BR-CO-16."""
    return customization is not None and customization.strip() == EXTENSION


@dataclass
class Means:
    path: str
    code: str
    transfer: bool
    card: bool
    mandate: bool
    account: str | None = None  # BT-84, checked as an IBAN with code 58 (BR-DE-19)
    debited: str | None = None  # BT-91, checked as an IBAN with code 59 (BR-DE-20)


@dataclass
class XView:
    """The XRechnung-only business terms, syntax-neutral."""

    root: str
    payment_means: list[Means] = field(default_factory=list)
    buyer_reference: str | None = None
    terms: str | None = None
    seller_contact: tuple[str | None, str | None, str | None] | None = None
    addresses: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    direct_debit: bool = False  # BG-19 present
    mandate_id: bool = False  # BT-89
    creditor_id: bool = False  # BT-90
    debited_account: bool = False
    third_party_paid: list[str | None] = field(default_factory=list)
    type_code: str = ""  # BT-3: UBL after normalize-space, CII as it stands
    preceding_invoice: bool = False  # BG-3 present (BR-DE-26)
    duplicate_filename: bool = False  # two sibling attachments share a filename (BR-DE-22)
    supply_dated: bool = False  # BT-72, BG-14 or BG-26 on every line (BR-DE-TMP-32)


def _ubl_view(root: etree._Element, doc: Doc) -> XView:
    t, c = _ubl.text, _ubl.child
    view = XView(root=doc.root)
    for index, node in enumerate(_ubl.children(root, "cac:PaymentMeans"), start=1):
        view.payment_means.append(
            Means(
                path=f"{doc.root}/cac:PaymentMeans[{index}]",
                code=(t(node, "cbc:PaymentMeansCode") or "").strip(),
                transfer=c(node, "cac:PayeeFinancialAccount") is not None,
                card=c(node, "cac:CardAccount") is not None,
                mandate=c(node, "cac:PaymentMandate") is not None,
                account=t(node, "cac:PayeeFinancialAccount", "cbc:ID"),
                debited=t(node, "cac:PaymentMandate", "cac:PayerFinancialAccount", "cbc:ID"),
            )
        )
        view.direct_debit |= c(node, "cac:PaymentMandate") is not None
        view.mandate_id = view.direct_debit
        view.debited_account |= (
            t(node, "cac:PaymentMandate", "cac:PayerFinancialAccount", "cbc:ID") is not None
        )
    view.buyer_reference = t(root, "cbc:BuyerReference")
    view.terms = t(root, "cac:PaymentTerms", "cbc:Note")
    seller = c(root, "cac:AccountingSupplierParty", "cac:Party")
    contact = c(seller, "cac:Contact")
    if contact is not None:
        view.seller_contact = (
            t(contact, "cbc:Name"),
            t(contact, "cbc:Telephone"),
            t(contact, "cbc:ElectronicMail"),
        )
    for codes, party_path in (
        (("BR-DE-3", "BR-DE-4"), ("cac:AccountingSupplierParty", "cac:Party", "cac:PostalAddress")),
        (("BR-DE-8", "BR-DE-9"), ("cac:AccountingCustomerParty", "cac:Party", "cac:PostalAddress")),
        (("BR-DE-10", "BR-DE-11"), ("cac:Delivery", "cac:DeliveryLocation", "cac:Address")),
    ):
        address = c(root, *party_path)
        if address is not None:
            where = "/".join((doc.root, *party_path))
            view.addresses.append(
                (where, codes[0], t(address, "cbc:CityName"), t(address, "cbc:PostalZone"))
            )
    for path in (("cac:AccountingSupplierParty", "cac:Party"), ("cac:PayeeParty",)):
        for ident in _ubl.children(root, *path, "cac:PartyIdentification", "cbc:ID"):
            view.creditor_id |= ident.get("schemeID") == "SEPA"
    view.third_party_paid = [
        t(p, "cbc:PaidAmount") for p in _ubl.children(root, "cac:PrepaidPayment")
    ]
    _ubl_document(root, view)
    return view


def _ubl_document(root: etree._Element, view: XView) -> None:
    c = _ubl.child
    view.type_code = " ".join((_doc_type(root) or "").split())
    view.preceding_invoice = bool(
        _ubl.children(root, "cac:BillingReference", "cac:InvoiceDocumentReference")
    )
    view.duplicate_filename = _repeats(
        [
            node.get("filename")
            for node in _ubl.children(
                root,
                "cac:AdditionalDocumentReference",
                "cac:Attachment",
                "cbc:EmbeddedDocumentBinaryObject",
            )
        ]
    )
    lines = _ubl.children(root, "cac:InvoiceLine") + _ubl.children(root, "cac:CreditNoteLine")
    view.supply_dated = (
        bool(_ubl.children(root, "cac:Delivery", "cbc:ActualDeliveryDate"))
        or c(root, "cac:InvoicePeriod") is not None
        or all(c(line, "cac:InvoicePeriod") is not None for line in lines)
    )


def _doc_type(root: etree._Element) -> str | None:
    """BT-3 of a UBL invoice or credit note."""
    code = _ubl.text(root, "cbc:InvoiceTypeCode")
    return _ubl.text(root, "cbc:CreditNoteTypeCode") if code is None else code


def _repeats(filenames: list[str | None]) -> bool:
    """Whether a filename of a sibling attachment repeats an earlier one (BR-DE-22)."""
    named = [name for name in filenames if name is not None]
    return len(set(named)) != len(named)


def _cii_view(root: etree._Element, doc: Doc) -> XView:
    t, c = _cii.text, _cii.child
    view = XView(root=doc.root)
    trade = c(root, "rsm:SupplyChainTradeTransaction")
    agreement = c(trade, "ram:ApplicableHeaderTradeAgreement")
    settlement = c(trade, "ram:ApplicableHeaderTradeSettlement")
    spath = f"{doc.root}/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    for index, node in enumerate(
        _cii.children(settlement, "ram:SpecifiedTradeSettlementPaymentMeans"), 1
    ):
        debtor = c(node, "ram:PayerPartyDebtorFinancialAccount")
        view.payment_means.append(
            Means(
                path=f"{spath}/ram:SpecifiedTradeSettlementPaymentMeans[{index}]",
                code=(t(node, "ram:TypeCode") or "").strip(),
                transfer=any(
                    c(node, name) is not None
                    for name in (
                        "ram:PayeePartyCreditorFinancialAccount",
                        "ram:PayeeSpecifiedCreditorFinancialInstitution",
                        "ram:PayerSpecifiedDebtorFinancialInstitution",
                    )
                ),
                card=c(node, "ram:ApplicableTradeSettlementFinancialCard") is not None,
                mandate=debtor is not None,
                account=t(node, "ram:PayeePartyCreditorFinancialAccount", "ram:IBANID"),
                debited=t(debtor, "ram:IBANID"),
            )
        )
        view.debited_account |= t(debtor, "ram:IBANID") is not None
    terms = _cii.children(settlement, "ram:SpecifiedTradePaymentTerms")
    view.mandate_id = any(c(x, "ram:DirectDebitMandateID") is not None for x in terms)
    view.terms = t(terms[0], "ram:Description") if terms else None
    view.creditor_id = c(settlement, "ram:CreditorReferenceID") is not None
    view.direct_debit = view.mandate_id or view.creditor_id or view.debited_account
    view.buyer_reference = t(agreement, "ram:BuyerReference")
    contact = c(agreement, "ram:SellerTradeParty", "ram:DefinedTradeContact")
    if contact is not None:
        name = t(contact, "ram:PersonName") or t(contact, "ram:DepartmentName")
        phone = t(contact, "ram:TelephoneUniversalCommunication", "ram:CompleteNumber")
        mail = t(contact, "ram:EmailURIUniversalCommunication", "ram:URIID")
        view.seller_contact = (name, phone, mail)
    delivery = c(trade, "ram:ApplicableHeaderTradeDelivery")
    for code, parent, party in (
        ("BR-DE-3", agreement, "ram:SellerTradeParty"),
        ("BR-DE-8", agreement, "ram:BuyerTradeParty"),
        ("BR-DE-10", delivery, "ram:ShipToTradeParty"),
    ):
        address = c(parent, party, "ram:PostalTradeAddress")
        if address is not None:
            view.addresses.append(
                (
                    f"{doc.root}//{party}",
                    code,
                    t(address, "ram:CityName"),
                    t(address, "ram:PostcodeCode"),
                )
            )
    _cii_document(root, trade, view)
    return view


def _cii_document(root: etree._Element, trade: etree._Element | None, view: XView) -> None:
    c = _cii.child
    # The CII binding compares BT-3 as it stands (no normalize-space), unlike UBL.
    view.type_code = _cii.text(root, "rsm:ExchangedDocument", "ram:TypeCode") or ""
    settlement = c(trade, "ram:ApplicableHeaderTradeSettlement")
    view.preceding_invoice = c(settlement, "ram:InvoiceReferencedDocument") is not None
    parents = {ref.getparent() for ref in root.iter(_cii.RAM + "AdditionalReferencedDocument")}
    view.duplicate_filename = any(
        _repeats(
            [
                binary.get("filename")
                for binary in _cii.children(
                    parent, "ram:AdditionalReferencedDocument", "ram:AttachmentBinaryObject"
                )
            ]
        )
        for parent in parents
        if parent is not None
    )
    lines = _cii.children(trade, "ram:IncludedSupplyChainTradeLineItem")
    view.supply_dated = (
        c(
            trade,
            "ram:ApplicableHeaderTradeDelivery",
            "ram:ActualDeliverySupplyChainEvent",
            "ram:OccurrenceDateTime",
        )
        is not None
        or c(settlement, "ram:BillingSpecifiedPeriod") is not None
        or all(
            c(line, "ram:SpecifiedLineTradeSettlement", "ram:BillingSpecifiedPeriod") is not None
            for line in lines
        )
    )


_TYPE_CODES = frozenset({"326", "380", "384", "389", "381", "875", "876", "877"})
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}")
_ATOM = re.compile(r"[a-zA-Z0-9!#$%&\"*+/=?^_`{|}~-]+")
_LABEL = re.compile(r"[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?")
_POSTAL = {"BR-DE-3": "BR-DE-4", "BR-DE-8": "BR-DE-9", "BR-DE-10": "BR-DE-11"}


def _document(view: XView, doc: Doc) -> list[Finding]:
    found = []
    r = view.root
    if not view.payment_means:
        found.append(
            error("BR-DE-1", r, "An XRechnung shall contain PAYMENT INSTRUCTIONS (BG-16).")
        )
    if not filled(view.buyer_reference):
        found.append(
            error("BR-DE-15", r, "An XRechnung shall contain the Buyer reference (BT-10).")
        )
    used = set(doc.line_categories()) | set(doc.allowance_categories())
    seller = doc.seller
    identified = doc.tax_rep is not None or (
        seller is not None and any(filled(v) for v in seller.vat_ids + seller.tax_reg_ids)
    )
    if used & _VAT_CODES and not identified:
        found.append(
            error(
                "BR-DE-16",
                r,
                "With VAT codes S, Z, E, AE, K, G, L or M, BT-31, BT-32 or BG-11 is needed.",
            )
        )
    if not _skonto_ok(view.terms):
        found.append(
            error("BR-DE-18", r, "Skonto lines in BT-20 do not follow the XRechnung format.")
        )
    if view.direct_debit and not ((view.mandate_id or view.debited_account) and view.creditor_id):
        found.append(
            error("BR-DE-30", r, "DIRECT DEBIT (BG-19) needs the creditor identifier (BT-90).")
        )
    if view.direct_debit and not ((view.mandate_id or view.creditor_id) and view.debited_account):
        found.append(
            error("BR-DE-31", r, "DIRECT DEBIT (BG-19) needs the debited account (BT-91).")
        )
    if view.seller_contact is None:
        found.append(error("BR-DE-2", r, "SELLER CONTACT (BG-6) shall be given."))
    else:
        for code, value, term in zip(
            ("BR-DE-5", "BR-DE-6", "BR-DE-7"),
            view.seller_contact,
            ("BT-41", "BT-42", "BT-43"),
            strict=True,
        ):
            if not filled(value):
                found.append(error(code, r, f"The seller contact needs {term}."))
    for where, code, city, postal in view.addresses:
        if not filled(city):
            found.append(error(code, where, "The address needs a city."))
        if not filled(postal):
            found.append(error(_POSTAL[code], where, "The address needs a post code."))
    for sub in doc.subtotals:
        if not filled(sub.rate):
            found.append(
                error("BR-DE-14", sub.path, "The VAT category rate (BT-119) shall be given.")
            )
    return found


def _shape(view: XView) -> list[Finding]:
    """The KoSIT rules on the form of BT-3, BT-42, BT-43, attachments and supply dates."""
    found = []
    r = view.root
    if view.type_code not in _TYPE_CODES:
        found.append(
            warning("BR-DE-17", r, "BT-3 should be 326, 380, 384, 389, 381, 875, 876 or 877.")
        )
    if view.duplicate_filename:
        found.append(error("BR-DE-22", r, "Attachment filenames (BT-125) shall be unique."))
    if view.type_code.strip() == "384" and not view.preceding_invoice:
        found.append(
            warning("BR-DE-26", r, "A corrected invoice (384) should give a PRECEDING INVOICE.")
        )
    if view.seller_contact is not None:
        _, phone, mail = view.seller_contact
        if sum(ch in "0123456789" for ch in phone or "") < 3:
            found.append(warning("BR-DE-27", r, "BT-42 should hold at least three digits."))
        if not email_ok(" ".join((mail or "").split())):
            found.append(warning("BR-DE-28", r, "BT-43 should be one e-mail address."))
    if not view.supply_dated:
        found.append(
            Finding(
                Severity.INFO,
                "BR-DE-TMP-32",
                r,
                "A delivery date (BT-72), invoicing period (BG-14) or line periods (BG-26)"
                " should be given.",
            )
        )
    return found


def email_ok(mail: str) -> bool:
    """The XRechnung e-mail pattern (BR-DE-28), checked part by part in linear time.

    >>> email_ok("a.b@c.de"), email_ok("a..b@c.de"), email_ok("a@-c.de"), email_ok("a@de")
    (True, False, False, False)
    """
    local, at, domain = mail.partition("@")
    labels = domain.split(".")
    return (
        bool(at)
        and all(_ATOM.fullmatch(atom) for atom in local.split("."))
        and len(labels) > 1
        and all(_LABEL.fullmatch(label) for label in labels)
    )


def iban_ok(account: str | None) -> bool:
    """The XRechnung IBAN check (BR-DE-19, BR-DE-20): shape, then ISO 7064 mod 97-10.

    >>> iban_ok("DE02 1203 0000 0000 2020 51"), iban_ok("DE03120300000000202051")
    (True, False)
    """
    compact = re.sub(r"[ \t\n\r]", "", account or "")
    if _IBAN.fullmatch(compact) is None:
        return False
    moved = compact[4:] + compact[:4]
    # Every code point above '@' counts as a letter (A = 10), as in the schematron.
    digits = "".join(str(ord(ch) - 55 if ord(ch) > 64 else ord(ch) - 48) for ch in moved)
    return int(digits) % 97 == 1


def _skonto_ok(terms: str | None) -> bool:
    if terms is None:
        return True
    lines = [ln for ln in re.split(r"\r?\n", terms) if ln.strip().startswith("#")]
    if not lines:
        return True
    if not all(SKONTO.search(" ".join(ln.split())) for ln in lines):
        return False
    tail = re.split(r"#.+#", terms)[-1]
    return re.match(r"^\s*\n", tail) is not None


def _means(view: XView) -> list[Finding]:
    found = []
    for m in view.payment_means:
        if m.code == "58" and not iban_ok(m.account):
            found.append(warning("BR-DE-19", m.path, "BT-84 should be a valid IBAN."))
        if m.code == "59" and not iban_ok(m.debited):
            found.append(warning("BR-DE-20", m.path, "BT-91 should be a valid IBAN."))
        if m.code in {"30", "58"}:
            if not m.transfer:
                found.append(
                    error("BR-DE-23-a", m.path, "Credit transfer needs CREDIT TRANSFER (BG-17).")
                )
            if m.card or m.mandate:
                found.append(
                    error("BR-DE-23-b", m.path, "Credit transfer excludes BG-18 and BG-19.")
                )
        elif m.code in {"48", "54", "55"}:
            if not m.card:
                found.append(
                    error("BR-DE-24-a", m.path, "Card payment needs PAYMENT CARD (BG-18).")
                )
            if m.transfer or m.mandate:
                found.append(error("BR-DE-24-b", m.path, "Card payment excludes BG-17 and BG-19."))
        elif m.code == "59":
            if not m.mandate and not view.direct_debit:
                found.append(
                    error("BR-DE-25-a", m.path, "Direct debit needs DIRECT DEBIT (BG-19).")
                )
            if m.transfer or m.card:
                found.append(error("BR-DE-25-b", m.path, "Direct debit excludes BG-17 and BG-18."))
    return found


def _dex09(view: XView, doc: Doc) -> list[Finding]:
    due, gross = dec(doc.payable), dec(doc.tax_inclusive)
    paid = dec(doc.prepaid) or Decimal(0)
    rounding = dec(doc.rounding) or Decimal(0)
    third = sum((dec(x) or Decimal(0) for x in view.third_party_paid), Decimal(0))
    if due is None or gross is None or r2(due - rounding) != r2(gross - paid + third):
        return [
            error(
                "BR-DEX-09",
                doc.totals_path,
                "BT-115 = BT-112 - BT-113 + BT-114 - third party payments.",
            )
        ]
    return []


def check_xrechnung(root: etree._Element, doc: Doc) -> list[Finding]:
    """The XRechnung rules for a document whose BT-24 names XRechnung 3.0."""
    view = _ubl_view(root, doc) if doc.syntax == "ubl" else _cii_view(root, doc)
    found = _document(view, doc) + _shape(view) + _means(view)
    found += check_peppol(root, doc.syntax)
    if kosit_profile(doc.customization) == "cvd":
        found += check_cvd(root, doc)
    if replaces_co16(doc.customization):
        if doc.has_totals:
            found += _dex09(view, doc)
        if doc.syntax == "ubl":
            found += check_extension(root)
    return found
