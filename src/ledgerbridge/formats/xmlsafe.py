"""Parse untrusted XML with lxml, hardened: no entities, no DTD, no network, capped.

Every XML reader of :mod:`ledgerbridge.formats` parses through :func:`parse`, so the
hardening lives in one place. The parser never resolves entities, never loads a DTD,
never touches the network and refuses ``huge_tree`` input; a document that declares a
DOCTYPE (and with it possibly ENTITY declarations) is refused outright, as no e-invoice
or bank statement format needs one. Size and nesting depth are capped by
:class:`~ledgerbridge.formats.model.ReadOptions`. Failures are
:class:`~ledgerbridge.formats.errors.FormatError` subclasses with stable codes:

========================  =======================  ==========================================
code                      class                    when
========================  =======================  ==========================================
``malformed-xml``         MalformedDocument        not well-formed (location ``line N``)
``xml-doctype-forbidden`` MalformedDocument        a DOCTYPE / ENTITY declaration is present
``file-too-large``        LimitExceeded            more than ``options.max_bytes`` bytes
``limit-xml-depth``       LimitExceeded            nesting deeper than ``options.max_xml_depth``
========================  =======================  ==========================================

>>> from ledgerbridge.formats.model import ReadOptions
>>> parse(b"<a><b>1</b></a>", options=ReadOptions()).findtext("b")
'1'
>>> try:
...     parse(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', options=ReadOptions())
... except MalformedDocument as err:
...     print(err.code)
xml-doctype-forbidden
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING

from lxml import etree

from ledgerbridge.formats.errors import ErrorCode, LimitExceeded, MalformedDocument

if TYPE_CHECKING:
    from ledgerbridge.formats.model import ReadOptions

__all__ = ["parse", "sniff"]

# lxml parser objects must not be shared between threads, but creating one per call
# costs more than parsing a small invoice: keep one per thread and reuse it.
_LOCAL = threading.local()


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            load_dtd=False,
            dtd_validation=False,
            no_network=True,
            huge_tree=False,
            remove_pis=False,
            collect_ids=False,
        )
        _LOCAL.parser = parser
    return parser


_DOCTYPE = b"<!DOCTYPE"
_PROLOG_BYTES = 4096


def _doctype_forbidden() -> MalformedDocument:
    return MalformedDocument(
        ErrorCode.XML_DOCTYPE_FORBIDDEN, "", "a DOCTYPE or ENTITY declaration is not accepted"
    )


@functools.lru_cache(maxsize=8)
def _deeper_than(depth: int) -> etree.XPath:
    """An XPath that is true when some element sits below ``depth`` levels (root = 1)."""
    return etree.XPath("boolean(/" + "/".join(["*"] * (depth + 1)) + ")")


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_WHITESPACE = b" \t\r\n"


def sniff(head: bytes) -> bool:
    """True when ``head`` starts like an XML document (after a BOM and whitespace)."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    head = head.lstrip(_WHITESPACE)
    # A UTF-16 document without BOM starts with "<\0" or "\0<"; both begin with "<" or NUL.
    return head.startswith((b"<", b"\x00<"))


def parse(data: bytes, *, options: ReadOptions) -> etree._Element:
    """Parse ``data`` into its root element, or raise a :class:`FormatError` subclass."""
    if len(data) > options.max_bytes:
        raise LimitExceeded(
            ErrorCode.FILE_TOO_LARGE,
            "",
            f"the XML has {len(data)} bytes; at most {options.max_bytes} are accepted",
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        line = err.lineno if err.lineno is not None else 0
        message = str(err.msg) if err.msg else "the XML is not well-formed"
        if _DOCTYPE in data[:_PROLOG_BYTES]:  # libxml2 may trip over the DTD first
            raise _doctype_forbidden() from None
        if "depth" in message.lower():
            raise LimitExceeded(ErrorCode.LIMIT_XML_DEPTH, f"line {line}", message) from None
        raise MalformedDocument(ErrorCode.MALFORMED_XML, f"line {line}", message) from None
    if root is None:  # recover mode is off, but lxml's stubs allow it
        raise MalformedDocument(ErrorCode.MALFORMED_XML, "line 1", "the XML has no root element")
    # Entities are never expanded (resolve_entities=False), so parsing a DOCTYPE is
    # harmless; refusing it afterwards keeps the hot path free of byte scans.
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]  # lxml-stubs lack it
        raise _doctype_forbidden()
    if _deeper_than(options.max_xml_depth)(root):
        raise LimitExceeded(
            ErrorCode.LIMIT_XML_DEPTH,
            "",
            f"the XML nests deeper than {options.max_xml_depth} elements",
        )
    return root
