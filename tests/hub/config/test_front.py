"""The front's reading of requests: every malformed head or body is a 4xx, never a crash.

Each test runs the front (:func:`ledgerbridge.hub.config.front.start`) in this process on
a loopback port, in front of a small backend that records what reaches it and answers
200, sends raw bytes as a client would, and reads the answer. A refused request never
reaches the backend.
"""

from __future__ import annotations

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from ledgerbridge.hub.config.front import (
    FILE_TOO_LARGE,
    TOO_MANY_CONNECTIONS,
    Limits,
    start,
)
from ledgerbridge.hub.core.codes import ErrorCode, FormatCode

if TYPE_CHECKING:
    from collections.abc import Coroutine

T = TypeVar("T")

LIMITS = Limits(head_seconds=2.0, idle_seconds=2.0, body_seconds=2.0, body_bytes=1000)
HEAD = b"POST /api/v1/documents HTTP/1.1\r\nHost: hub.test\r\n"


@dataclass
class Answer:
    """The front's answer to one client, and every request that reached the backend."""

    status: int
    headers: dict[str, str]
    body: bytes
    forwarded: list[bytes] = field(default_factory=list)

    @property
    def json(self) -> dict[str, str]:
        parsed: dict[str, str] = json.loads(self.body)
        return parsed


def _parse(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (x.partition(":") for x in lines)}
    return int(status_line.split(" ")[1]), headers, body


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` in a thread of its own: Playwright's sync API keeps an event loop
    running in the main thread once a browser test ran, and ``asyncio.run`` refuses that."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _backend(forwarded: list[bytes]) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = re.search(rb"\r\ncontent-length: (\d+)\r\n", head)
        body = await reader.readexactly(int(length.group(1))) if length else b""
        forwarded.append(head + body)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def _port(server: asyncio.Server) -> int:
    port: int = server.sockets[0].getsockname()[1]
    return port


async def _send(port: int, raw: bytes, *, close: bool = True) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    if close:
        writer.write_eof()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    await writer.wait_closed()
    return answer


async def _exchange(raw: bytes, limits: Limits, *, close: bool) -> Answer:
    forwarded: list[bytes] = []
    backend = await _backend(forwarded)
    front = await start("127.0.0.1", 0, _port(backend), limits, "front-key")
    async with backend, front:
        answer = await _send(_port(front), raw, close=close)
    return Answer(*_parse(answer), forwarded=forwarded)


def exchange(raw: bytes, limits: Limits = LIMITS, *, close: bool = True) -> Answer:
    """``raw`` sent to a front (then the client's side closed, unless told); the answer."""
    return _run(_exchange(raw, limits, close=close))


def test_the_codes_the_front_answers_are_the_hubs_codes() -> None:
    # then the front's copies of the codes are the values the API answers elsewhere
    assert FormatCode.FILE_TOO_LARGE.value == FILE_TOO_LARGE
    assert ErrorCode.TOO_MANY_CONNECTIONS.value == TOO_MANY_CONNECTIONS


def test_a_whole_request_reaches_the_backend_with_the_peer_and_its_own_length() -> None:
    # when a request with a body is sent
    answer = exchange(HEAD + b"Content-Length: 5\r\nX-Ledgerbridge-Peer: forged\r\n\r\nhello")

    # then the backend gets it once, with the front's peer header instead of the client's
    assert (answer.status, answer.body) == (200, b"ok")
    [forwarded] = answer.forwarded
    assert forwarded.endswith(b"\r\n\r\nhello")
    assert b"forged" not in forwarded
    assert b"\r\nx-ledgerbridge-peer: front-key 127.0.0.1\r\n" in forwarded
    assert b"\r\ncontent-length: 5\r\n" in forwarded


def test_a_chunked_body_is_forwarded_whole_with_a_content_length() -> None:
    # when a body is sent in two chunks, with an extension and a trailer
    chunks = b"5;name=x\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"
    answer = exchange(HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunks)

    # then the backend gets the joined body, framed by length, not by chunks
    assert answer.status == 200
    [forwarded] = answer.forwarded
    assert forwarded.endswith(b"\r\n\r\nhello world")
    assert b"\r\ncontent-length: 11\r\n" in forwarded
    assert b"transfer-encoding" not in forwarded.lower()


MALFORMED: list[tuple[str, bytes, int]] = [
    ("empty request line", b"\r\n\r\n", 400),
    ("one word", b"GARBAGE\r\n\r\n", 400),
    ("four words", b"GET / HTTP/1.1 extra\r\n\r\n", 400),
    ("unknown version", b"GET / HTTP/2.0\r\n\r\n", 400),
    ("header without colon", b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n", 400),
    ("space before colon", b"GET / HTTP/1.1\r\nHost : hub.test\r\n\r\n", 400),
    ("empty header name", b"GET / HTTP/1.1\r\n: value\r\n\r\n", 400),
    ("oversize header", b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    ("length not a number", HEAD + b"Content-Length: abc\r\n\r\n", 400),
    ("negative length", HEAD + b"Content-Length: -5\r\n\r\n", 400),
    ("length with a sign", HEAD + b"Content-Length: +5\r\n\r\nhello", 400),
    ("length with an underscore", HEAD + b"Content-Length: 1_0\r\n\r\n0123456789", 400),
    ("two lengths", HEAD + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
    ("body shorter than its length", HEAD + b"Content-Length: 10\r\n\r\nhello", 400),
    ("coding other than chunked", HEAD + b"Transfer-Encoding: gzip\r\n\r\nxx", 400),
    ("chunk size not hex", HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    ("negative chunk size", HEAD + b"Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n", 400),
    ("chunk size in 0x", HEAD + b"Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n", 400),
    ("chunks cut off", HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhel", 400),
    ("no last chunk", HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", 408),
]


@pytest.mark.parametrize(("raw", "status"), [(r, s) for _n, r, s in MALFORMED],
                         ids=[n for n, _r, _s in MALFORMED])  # fmt: skip
def test_a_malformed_request_is_a_4xx_and_never_reaches_the_backend(
    raw: bytes, status: int
) -> None:
    # when the malformed request is sent
    answer = exchange(raw)

    # then the front answers it itself, and the backend saw nothing
    assert answer.status == status
    assert answer.headers["connection"] == "close"
    assert answer.forwarded == []


@pytest.mark.parametrize(
    "raw",
    [b"GET / HTTP/1.1\r\nHost: hub.test\r\n", HEAD + b"Content-Length: 10\r\n\r\nhello"],
    ids=["head", "body"],
)
def test_a_client_that_stops_sending_is_a_408_after_the_deadline(raw: bytes) -> None:
    # when a client sends part of its request and then nothing, keeping the connection
    limits = Limits(head_seconds=0.5, idle_seconds=0.5, body_seconds=0.5)
    answer = exchange(raw, limits, close=False)

    # then the front gives up on it with a 408
    assert answer.status == 408
    assert answer.forwarded == []


@pytest.mark.parametrize(
    "framing",
    [b"Content-Length: 1001\r\n\r\n", b"Transfer-Encoding: chunked\r\n\r\n3e9\r\n"],
    ids=["content-length", "chunked"],
)
def test_a_body_over_the_cap_on_the_api_is_a_json_413_file_too_large(framing: bytes) -> None:
    # when an upload announces one byte more than the cap (by length, or in a chunk)
    answer = exchange(HEAD + framing)

    # then it is refused as the API refuses an oversize file, before any byte is read
    assert answer.status == 413
    assert answer.headers["content-type"] == "application/json"
    assert answer.json == {
        "code": "file-too-large",
        "message": "The file is larger than the upload limit.",
    }
    assert answer.forwarded == []


def test_a_body_over_the_cap_outside_the_api_is_a_bare_413() -> None:
    # when a web form announces a body over the cap
    head = b"POST /documents/upload/ HTTP/1.1\r\nHost: hub.test\r\nContent-Length: 5000\r\n\r\n"
    answer = exchange(head)

    # then it is refused with no JSON body
    assert (answer.status, answer.body) == (413, b"")
    assert "content-type" not in answer.headers
    assert answer.forwarded == []


async def _over_the_cap(cap: int) -> bytes:
    front = await start("127.0.0.1", 0, 9, Limits(connections_per_client=cap), "front-key")
    async with front:
        held = [await asyncio.open_connection("127.0.0.1", _port(front)) for _ in range(cap)]
        for _reader, writer in held:
            writer.write(b"GET /healthz HTTP/1.1\r\n")  # a head that never ends
        await asyncio.sleep(0.3)
        answer = await _send(_port(front), b"GET /api/v1/organization HTTP/1.1\r\n\r\n")
        for _reader, writer in held:
            writer.close()
            await writer.wait_closed()
    return answer


def test_a_connection_over_the_clients_cap_is_a_json_503_with_retry_after() -> None:
    # given a client holding its two allowed connections open
    # when it opens a third
    status, headers, body = _parse(_run(_over_the_cap(2)))

    # then the third is refused at once with a code and when to try again
    assert status == 503
    assert (headers["content-type"], headers["retry-after"]) == ("application/json", "5")
    assert json.loads(body)["code"] == "too-many-connections"
