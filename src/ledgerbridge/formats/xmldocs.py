"""XML business documents: parse once, then hand the tree to the reader of its root.

The root element's namespace and local name decide the format; the file name never
does. One hardened parse (:func:`ledgerbridge.formats.xmlsafe.parse`) serves every
reader, which all offer ``sniff_root(root) -> bool`` and
``read_tree(root, *, options, container) -> ReadResult``; the dispatch is the table of
those pairs, asked in order:

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
container (the Factur-X/ZUGFeRD attachment of a PDF).

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
from collections.abc import Callable

from lxml import etree

from ledgerbridge.formats import camt053, cii, ksef, ubl, xmlsafe
from ledgerbridge.formats.errors import ErrorCode, UnsupportedFormat
from ledgerbridge.formats.facturx import EmbeddedXml
from ledgerbridge.formats.model import Container, Finding, ReadOptions, ReadResult, Severity

__all__ = ["read", "read_embedded", "sniff"]

TreeReader = Callable[..., ReadResult]

#: ``(sniff_root, read_tree)`` of every XML syntax, asked in this order.
_TREE_READERS: tuple[tuple[Callable[[etree._Element], bool], TreeReader], ...] = (
    (ubl.sniff_root, ubl.read_tree),
    (cii.sniff_root, cii.read_tree),
    (ksef.sniff_root, ksef.read_tree),
    (camt053.sniff_root, camt053.read_tree),
)


def sniff(head: bytes) -> bool:
    """True when ``head`` starts like an XML document (after a BOM and whitespace)."""
    return xmlsafe.sniff(head)


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
    for sniff_root, read_tree in _TREE_READERS:
        if sniff_root(root):
            return read_tree
    qname = etree.QName(root)
    namespace, local = qname.namespace or "", qname.localname
    shown = f"{{{namespace}}}{local}" if namespace else local
    raise UnsupportedFormat(
        ErrorCode.UNSUPPORTED_XML_ROOT,
        f"/{local}",
        f"the XML root element {shown} is not a UBL, CII, ZUGFeRD, KSeF FA(3) or camt.053 one",
    )
