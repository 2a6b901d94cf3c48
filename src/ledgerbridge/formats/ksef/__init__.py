"""Polish KSeF structured invoices, schema FA(3), read into the EN 16931-shaped model.

FA(3) (namespace ``http://crd.gov.pl/wzor/2025/06/25/13775/``, root ``Faktura``) is the
invoice every Polish VAT payer issues through KSeF since February 2026. It is mapped as:

- number ``Fa/P_2``, issue date ``Fa/P_1``, currency ``Fa/KodWaluty``, due date the first
  ``Platnosc/TerminPlatnosci/Termin``; ``profile`` is the form code ``FA (3)``;
- kind: ``RodzajFaktury`` ``KOR``, ``KOR_ZAL`` and ``KOR_ROZ`` are credit notes, all other
  kinds invoices; ``type_code`` is the UNTDID 1001 equivalent (``381`` corrections,
  ``386`` advance invoices ``ZAL``, ``380`` otherwise);
- seller ``Podmiot1``, buyer ``Podmiot2``. A Polish NIP *is* the VAT number, so it is
  given as ``vat_id`` with its country prefix (``PrefiksPodatnika``, else ``PL``), e.g.
  ``PL9999999999``, and bare as ``tax_registration_id``; a buyer's EU VAT number is
  ``KodUE`` + ``NrVatUE``; a non-EU ``NrID`` is only a ``tax_registration_id``;
- totals: ``net`` = sum of the ``P_13_*`` fields, ``tax`` = sum of ``P_14_1..5`` (invoice
  currency; the ``P_14_*W`` PLN conversions are left out), ``gross`` = ``due`` = ``P_15``;
- VAT breakdown: one entry per filled ``P_13_*`` field, with the EN 16931 category (``S``
  23/8/5/4 %, ``Z`` domestic 0 %, ``K`` intra-EU supply, ``G`` export, ``E`` exempt,
  ``O`` outside the scope, ``AE`` reverse charge);
- lines ``FaWiersz``: ``NrWierszaFa``, ``P_7``, ``P_8B``, ``P_8A``, ``P_11`` and ``P_12``.

Validation (when ``options.validate``): the FA(3) schema restated in code
(:mod:`._schema`: ``KSEF-SCHEMA-*``); tax amounts ``P_14_1..3`` against the rates the
schema documents for ``P_13_1..3`` (``KSEF-TAX-AMOUNT``, not on corrections); unique line
numbers (``KSEF-LINE-DUPLICATE``) and no negative quantities
(``KSEF-LINE-NEGATIVE-QUANTITY``) outside corrections; the third party the schema's
documentation requires for ``JST=1`` (role 8, ``KSEF-JST-PODMIOT3``) and ``GV=1`` (role 10,
``KSEF-GV-PODMIOT3``). Warnings: NIP check digits (``KSEF-NIP-CHECKSUM``; KSeF production
rejects them, its test environment and the schema do not), and Polish account numbers and
IBANs (``KSEF-ACCOUNT-CHECKSUM``).

>>> sniff(f'<Faktura xmlns="{NAMESPACE}">'.encode()), sniff(b"<Invoice/>")
(True, False)
>>> xml = f'<Faktura xmlns="{NAMESPACE}"><Fa><P_2>FV/1</P_2><P_15>123.00</P_15></Fa></Faktura>'
>>> doc = read(xml.encode(), options=ReadOptions(validate=False)).documents[0]
>>> doc.kind.value, doc.data.number, str(doc.data.totals.gross)
('invoice', 'FV/1', '123.00')
"""

from __future__ import annotations

from lxml import etree

from ledgerbridge.formats import xmlsafe
from ledgerbridge.formats.errors import ErrorCode, UnsupportedFormat
from ledgerbridge.formats.ksef._checks import semantic_findings
from ledgerbridge.formats.ksef._mapping import invoice_of, is_correction
from ledgerbridge.formats.ksef._schema import NAMESPACE, validate
from ledgerbridge.formats.model import (
    Container,
    Document,
    Format,
    Kind,
    ReadOptions,
    ReadResult,
)

__all__ = ["NAMESPACE", "read", "read_tree", "sniff", "sniff_root"]

_MARKER = NAMESPACE.encode()


def sniff(head: bytes) -> bool:
    """True when ``head`` looks like XML that declares the FA(3) namespace."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and _MARKER in head


def read(data: bytes, *, options: ReadOptions) -> ReadResult:
    """Parse ``data`` with the hardened parser and read the FA(3) invoice in it."""
    root = xmlsafe.parse(data, options=options)
    return read_tree(root, options=options, container=Container.XML)


def sniff_root(root: etree._Element) -> bool:
    """True when the parsed ``root`` is an FA(3) ``Faktura``."""
    qname = etree.QName(root)
    return qname.namespace == NAMESPACE and qname.localname == "Faktura"


def read_tree(root: etree._Element, *, options: ReadOptions, container: Container) -> ReadResult:
    """Read an already parsed ``Faktura`` element."""
    if not sniff_root(root):
        qname = etree.QName(root)
        raise UnsupportedFormat(
            ErrorCode.UNSUPPORTED_XML_ROOT,
            f"/{qname.localname}",
            f"{qname.text} is not an FA(3) Faktura",
        )
    findings = [*validate(root), *semantic_findings(root)] if options.validate else []
    document = Document(
        format=Format.KSEF_FA3,
        container=container,
        kind=Kind.CREDIT_NOTE if is_correction(root) else Kind.INVOICE,
        data=invoice_of(root),
        findings=tuple(findings),
        profile="FA (3)",
    )
    return ReadResult(documents=(document,))
