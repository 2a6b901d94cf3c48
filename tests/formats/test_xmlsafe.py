"""The hardened XML parser: well-formed input parses, hostile or broken input is refused."""

from __future__ import annotations

import threading

import pytest

from ledgerbridge.formats import xmlsafe
from ledgerbridge.formats.errors import LimitExceeded, MalformedDocument
from ledgerbridge.formats.model import ReadOptions


def test_parse_returns_the_root_element() -> None:
    # given
    data = b'<?xml version="1.0" encoding="UTF-8"?><a xmlns="urn:x"><b>1</b></a>'

    # when
    root = xmlsafe.parse(data, options=ReadOptions())

    # then
    assert root.tag == "{urn:x}a"
    assert root.findtext("{urn:x}b") == "1"


def test_parse_accepts_a_byte_order_mark() -> None:
    # given
    data = b"\xef\xbb\xbf<a>x</a>"

    # when
    root = xmlsafe.parse(data, options=ReadOptions())

    # then
    assert root.text == "x"


@pytest.mark.parametrize(
    "data",
    [
        # the start of a "billion laughs" document
        b'<!DOCTYPE a [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>',
        # an external entity that would read a local file
        b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        # a plain document type declaration pointing at an external DTD
        b'<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>',
    ],
    ids=["internal-entity", "external-entity", "plain-doctype"],
)
def test_doctype_is_refused_and_no_entity_is_read(data: bytes) -> None:
    # given: data with a document type declaration

    # when
    with pytest.raises(MalformedDocument) as caught:
        xmlsafe.parse(data, options=ReadOptions())

    # then
    assert caught.value.code == "xml-doctype-forbidden"
    assert "root:" not in str(caught.value)


def test_not_well_formed_xml_names_the_line() -> None:
    # given
    data = b"<a>\n<b>\n</a>"

    # when
    with pytest.raises(MalformedDocument) as caught:
        xmlsafe.parse(data, options=ReadOptions())

    # then
    assert caught.value.code == "malformed-xml"
    assert caught.value.location == "line 3"


def test_empty_input_is_malformed() -> None:
    # when
    with pytest.raises(MalformedDocument) as caught:
        xmlsafe.parse(b"", options=ReadOptions())

    # then
    assert caught.value.code == "malformed-xml"


def test_size_cap_is_enforced_before_parsing() -> None:
    # given
    data = b"<a>" + b"x" * 100 + b"</a>"

    # when
    with pytest.raises(LimitExceeded) as caught:
        xmlsafe.parse(data, options=ReadOptions(max_bytes=50))

    # then
    assert caught.value.code == "file-too-large"


def test_depth_cap_from_the_options() -> None:
    # given: five levels of nesting
    data = b"<a><b><c><d><e/></d></c></b></a>"

    # when
    with pytest.raises(LimitExceeded) as caught:
        xmlsafe.parse(data, options=ReadOptions(max_xml_depth=4))

    # then
    assert caught.value.code == "limit-xml-depth"


def test_depth_exactly_at_the_cap_is_accepted() -> None:
    # given
    data = b"<a><b><c><d><e/></d></c></b></a>"

    # when
    root = xmlsafe.parse(data, options=ReadOptions(max_xml_depth=5))

    # then
    assert root.tag == "a"


def test_very_deep_nesting_is_a_limit_not_a_crash() -> None:
    # given: deeper than libxml2 allows without huge_tree
    data = b"<a>" * 5000 + b"</a>" * 5000

    # when
    with pytest.raises(LimitExceeded) as caught:
        xmlsafe.parse(data, options=ReadOptions())

    # then
    assert caught.value.code == "limit-xml-depth"


def test_one_parser_object_is_reused_per_thread() -> None:
    # given
    seen: list[object] = []

    # when
    first, second = xmlsafe._parser(), xmlsafe._parser()
    worker = threading.Thread(target=lambda: seen.append(xmlsafe._parser()))
    worker.start()
    worker.join()

    # then
    assert first is second
    assert seen[0] is not first
