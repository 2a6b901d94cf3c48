"""Hostile input: whatever the bytes, ``read`` returns a ReadResult or raises FormatError.

Properties over arbitrary bytes (also behind the magic numbers of every container, to
reach the deeper readers), plus explicit attacks: entity expansion (billion laughs),
external entities (XXE), a decompression-bomb PNG, too many PDF pages, oversize input.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from ledgerbridge.formats import (
    FormatError,
    LimitExceeded,
    MalformedDocument,
    ReadOptions,
    ReadResult,
    read,
)

# Small caps keep every example fast; the code paths are those of the defaults.
OPTIONS = ReadOptions(max_bytes=64 * 1024, max_pixels=2_000_000, max_pdf_pages=2, pdf_dpi=72)
PREFIXES = [b"", b"%PDF-", b"<?xml", b"\x89PNG\r\n\x1a\n", b"SPC\n0200", b"\xff\xd8\xff"]


def _outcome(data: bytes, options: ReadOptions = OPTIONS) -> ReadResult | FormatError:
    try:
        return read(data, options=options)
    except FormatError as err:
        return err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2048))
def test_any_bytes_give_a_result_or_a_format_error(prefix: bytes, body: bytes) -> None:
    # given
    data = prefix + body
    # when
    outcome = _outcome(data)
    # then
    assert isinstance(outcome, ReadResult | FormatError)
    assert isinstance(outcome, ReadResult) or outcome.code


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=400))
def test_any_qr_bill_like_text_gives_a_result_or_a_format_error(text: str) -> None:
    # given
    data = ("SPC\n0200\n1\n" + text).encode()
    # when
    outcome = _outcome(data)
    # then
    assert isinstance(outcome, ReadResult | FormatError)


@settings(max_examples=100, deadline=None)
@given(inner=st.text(max_size=300))
def test_any_xml_like_text_gives_a_result_or_a_format_error(inner: str) -> None:
    # given
    ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
    data = f'<?xml version="1.0"?><Document xmlns="{ns}">{inner}</Document>'.encode()
    # when
    outcome = _outcome(data)
    # then
    assert isinstance(outcome, ReadResult | FormatError)


def test_billion_laughs_is_refused() -> None:
    # given
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    data = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{entities}]><r>&l9;</r>'.encode()
    # when
    with pytest.raises(MalformedDocument) as caught:
        read(data)
    # then
    assert caught.value.code == "xml-doctype-forbidden"


def test_external_entity_is_refused_and_not_read() -> None:
    # given
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    # when
    with pytest.raises(MalformedDocument) as caught:
        read(data)
    # then
    assert caught.value.code == "xml-doctype-forbidden"
    assert "root:" not in str(caught.value)


def test_decompression_bomb_png_is_a_limit() -> None:
    # given
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    # when
    with pytest.raises(LimitExceeded) as caught:
        read(data)
    # then
    assert len(data) < 100_000
    assert caught.value.code.startswith("limit-")


def _pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("L", (20, 20), 255) for _ in range(pages)]
    frames[0].save(buffer, format="PDF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def test_too_many_pdf_pages_is_a_limit() -> None:
    # given
    data = _pdf(5)
    # when
    with pytest.raises(LimitExceeded) as caught:
        read(data, options=ReadOptions(max_pdf_pages=3))
    # then
    assert caught.value.code == "limit-pdf-pages"


def test_oversize_input_is_a_limit() -> None:
    # given
    data = b"SPC\n0200\n" + b"x" * 2048
    # when
    with pytest.raises(LimitExceeded) as caught:
        read(data, options=ReadOptions(max_bytes=1024))
    # then
    assert caught.value.code == "file-too-large"


def test_deep_xml_is_a_limit() -> None:
    # given
    data = b"<a>" * 300 + b"</a>" * 300
    # when
    with pytest.raises(LimitExceeded) as caught:
        read(data, options=ReadOptions(max_xml_depth=100))
    # then
    assert caught.value.code == "limit-xml-depth"
