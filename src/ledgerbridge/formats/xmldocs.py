"""XML business documents: parse once, then hand the tree to the reader of its root.

The root element's namespace and local name decide the format; the file name never
does. One hardened parse (:func:`ledgerbridge.formats.xmlsafe.parse`) serves every
reader, which all offer ``read_tree(root, *, options, container) -> ReadResult``:

=====================================================================  =========  ========
root element                                                           format     module
=====================================================================  =========  ========
``{urn:oasis:...:Invoice-2}Invoice``, ``{...:CreditNote-2}CreditNote``  UBL 2.1    ``ubl``
``{urn:un:unece:uncefact:...:CrossIndustryInvoice:100}...``            CII D16B   ``cii``
``{urn:ferd:CrossIndustryDocument:invoice:1p0}...`` (ZUGFeRD 1.0)      CII        ``cii``
``{http://crd.gov.pl/wzor/2025/06/25/13775/}Faktura``                  KSeF FA(3) ``ksef``
``{urn:iso:std:iso:20022:tech:xsd:camt.053.*}Document``                camt.053   ``camt053``
=====================================================================  =========  ========

Anything else raises :class:`UnsupportedFormat` (code ``unsupported-xml-root``) naming
the root element. :func:`read_embedded` is the same dispatch for XML taken out of a
container (the Factur-X/ZUGFeRD attachment of a PDF). :class:`ValueReader` is shared by
the UBL and CII readers: it turns element text into ``Decimal``/``date`` by the
lexical rules of XML Schema and records a finding instead of raising when it cannot.

>>> sniff(b"\\xef\\xbb\\xbf  <?xml version='1.0'?><a/>"), sniff(b"SPC\\r\\n0200")
(True, False)
>>> try:
...     read(b"<html/>", options=ReadOptions())
... except UnsupportedFormat as err:
...     print(err.code, err.location)
unsupported-xml-root /html
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from ledgerbridge.formats import xmlsafe
from ledgerbridge.formats.errors import ErrorCode, UnsupportedFormat
from ledgerbridge.formats.facturx import EmbeddedXml
from ledgerbridge.formats.model import Container, Finding, ReadOptions, ReadResult, Severity

__all__ = [
    "CAMT053_NS_PREFIX",
    "CII_NS",
    "KSEF_FA3_NS",
    "UBL_CREDIT_NOTE_NS",
    "UBL_INVOICE_NS",
    "ZUGFERD1_NS",
    "ZUGFERD1_RC_NS",
    "ValueReader",
    "read",
    "read_embedded",
    "sniff",
]

UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
ZUGFERD1_NS = "urn:ferd:CrossIndustryDocument:invoice:1p0"
#: The ZUGFeRD 1.0 release candidate (2014), before the final 1.0 namespace.
ZUGFERD1_RC_NS = "urn:un:unece:uncefact:data:standard:CBFBUY:5"
KSEF_FA3_NS = "http://crd.gov.pl/wzor/2025/06/25/13775/"
CAMT053_NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053."

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_WHITESPACE = b" \t\r\n"

TreeReader = Callable[..., ReadResult]


def sniff(head: bytes) -> bool:
    """True when ``head`` starts like an XML document (after a BOM and whitespace)."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    head = head.lstrip(_WHITESPACE)
    # A UTF-16 document without BOM starts with "<\0" or "\0<"; both begin with "<" or NUL.
    return head.startswith((b"<", b"\x00<"))


def read(data: bytes, *, options: ReadOptions) -> ReadResult:
    """Parse ``data`` once and read it with the reader of its root element."""
    return read_embedded(data, options=options, container=Container.XML)


def read_embedded(xml: bytes, *, options: ReadOptions, container: Container) -> ReadResult:
    """Like :func:`read` for XML that came out of ``container`` (e.g. a Factur-X PDF).

    XML from :func:`ledgerbridge.formats.facturx.extract_xml` knows the names of every
    invoice attachment of its PDF; more than one adds the error ``FX-MULTIPLE-XML``.
    """
    root = xmlsafe.parse(xml, options=options)
    result: ReadResult = _reader_for(root)(root, options=options, container=container)
    names = xml.invoice_attachments if isinstance(xml, EmbeddedXml) else ()
    if len(names) <= 1:
        return result
    finding = Finding(
        Severity.ERROR,
        "FX-MULTIPLE-XML",
        "/",
        f"the PDF embeds {len(names)} invoice XML files ({', '.join(names)}); a Factur-X/"
        f"ZUGFeRD PDF carries exactly one, so the invoice is ambiguous (read: {names[0]})",
    )
    documents = tuple(
        dataclasses.replace(document, findings=(finding, *document.findings))
        for document in result.documents
    )
    return dataclasses.replace(result, documents=documents)


def _reader_for(root: etree._Element) -> TreeReader:
    # Imported here: each reader imports this module for ValueReader, and a caller
    # reading only UBL should not pay for importing the KSeF or camt.053 readers.
    qname = etree.QName(root)
    namespace, local = qname.namespace or "", qname.localname
    if (namespace, local) in {
        (UBL_INVOICE_NS, "Invoice"),
        (UBL_CREDIT_NOTE_NS, "CreditNote"),
    }:
        from ledgerbridge.formats import ubl

        return ubl.read_tree
    if (namespace, local) in {
        (CII_NS, "CrossIndustryInvoice"),
        (ZUGFERD1_NS, "CrossIndustryDocument"),
        (ZUGFERD1_RC_NS, "Invoice"),
    }:
        from ledgerbridge.formats import cii

        return cii.read_tree
    if namespace == KSEF_FA3_NS and local == "Faktura":
        from ledgerbridge.formats import ksef

        return ksef.read_tree
    if namespace.startswith(CAMT053_NS_PREFIX) and local == "Document":
        from ledgerbridge.formats import camt053

        return camt053.read_tree
    shown = f"{{{namespace}}}{local}" if namespace else local
    raise UnsupportedFormat(
        ErrorCode.UNSUPPORTED_XML_ROOT,
        f"/{local}",
        f"the XML root element {shown} is not a UBL, CII, ZUGFeRD, KSeF FA(3) or camt.053 one",
    )


# xs:decimal: optional sign, digits with an optional fraction; no exponent, no spaces inside.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# xs:date: YYYY-MM-DD with an optional time zone, which a calendar date does not need.
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_DATE_102 = re.compile(r"\d{8}")


class ValueReader:
    """Typed values out of element text; lexical errors become findings, never exceptions.

    ``syntax`` (``"UBL"`` or ``"CII"``) prefixes the finding codes:
    ``<syntax>-SCHEMA-DECIMAL`` (not an xs:decimal), ``<syntax>-SCHEMA-DATE`` (not a date
    of the syntax: ``YYYY-MM-DD`` in UBL, format 102 ``YYYYMMDD`` in CII),
    ``<syntax>-SCHEMA-CODE`` (a code that cannot be one of its list) and
    ``<syntax>-SCHEMA-MISSING`` (structure the reader cannot do without).

    >>> from lxml import etree
    >>> values = ValueReader("UBL")
    >>> values.decimal(etree.fromstring("<a> 12.50 </a>")), values.decimal(None)
    (Decimal('12.50'), None)
    >>> values.decimal(etree.fromstring("<a>1e3</a>")) is None, values.findings[0].code
    (True, 'UBL-SCHEMA-DECIMAL')
    """

    __slots__ = ("findings", "syntax")

    def __init__(self, syntax: str) -> None:
        self.syntax = syntax
        self.findings: list[Finding] = []

    def error(self, kind: str, location: etree._Element | str, message: str) -> None:
        """Record an error finding ``<syntax>-SCHEMA-<kind>`` at an element or a path."""
        where = location if isinstance(location, str) else path_of(location)
        self.findings.append(
            Finding(Severity.ERROR, f"{self.syntax}-SCHEMA-{kind}", where, message)
        )

    def require(self, element: etree._Element | None, parent: etree._Element, tag: str) -> None:
        """Record ``<syntax>-SCHEMA-MISSING`` when a mandatory child is absent."""
        if element is None:
            self.error("MISSING", parent, f"the mandatory element {_short(tag)} is missing")

    @staticmethod
    def text(element: etree._Element | None) -> str | None:
        """The stripped text of ``element``, or ``None`` when absent or empty."""
        if element is None or element.text is None:
            return None
        return element.text.strip() or None

    def decimal(self, element: etree._Element | None) -> Decimal | None:
        """The exact decimal value of ``element`` (absent -> ``None``)."""
        if element is None:
            return None
        raw = (element.text or "").strip()
        if _DECIMAL.fullmatch(raw):
            try:
                return Decimal(raw)
            except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
                pass
        self.error("DECIMAL", element, f"{raw!r} is not a decimal number")
        return None

    def iso_date(self, element: etree._Element | None) -> date | None:
        """A UBL ``xs:date`` (``YYYY-MM-DD``, optional time zone; absent -> ``None``)."""
        if element is None:
            return None
        raw = (element.text or "").strip()
        match = _ISO_DATE.fullmatch(raw)
        if match:
            parsed = _calendar(*match.groups())
            if parsed is not None:
                return parsed
        self.error("DATE", element, f"{raw!r} is not a date of the form YYYY-MM-DD")
        return None

    def date_102(self, element: etree._Element | None) -> date | None:
        """A CII ``udt:DateTimeString`` with ``format="102"`` (``YYYYMMDD``)."""
        if element is None:
            return None
        raw = (element.text or "").strip()
        fmt = element.get("format")
        if fmt != "102":
            self.error("DATE", element, f"date format {fmt!r} is not 102 (YYYYMMDD)")
            return None
        if _DATE_102.fullmatch(raw):
            parsed = _calendar(raw[0:4], raw[4:6], raw[6:8])
            if parsed is not None:
                return parsed
        self.error("DATE", element, f"{raw!r} is not a date of the form YYYYMMDD")
        return None


def _calendar(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _short(tag: str) -> str:
    return etree.QName(tag).localname if tag.startswith("{") else tag


def path_of(element: etree._Element) -> str:
    """An XPath-like location of ``element`` with prefixes as written in the document."""
    return str(element.getroottree().getpath(element))
