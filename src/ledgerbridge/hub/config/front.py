"""The hub's front: reads whole requests with deadlines before a web thread sees them.

granian hands a WSGI request to a blocking thread as soon as its head has arrived, and the
thread then waits for the body: four clients that announce a body and never send it held
every thread of the hub. This asyncio server listens in granian's place, reads each
request's head and body under deadlines (a slow client costs a coroutine, not a thread),
bounds the connections of each client address, and only then passes the complete request
to granian on a loopback port, with the client's address in :data:`PEER_HEADER`, signed
by the key ``serve`` hands its children in :data:`FRONT_KEY` (which
:mod:`ledgerbridge.hub.config.wsgi` checks and turns back into ``REMOTE_ADDR``).

It speaks HTTP/1.1 with one request per connection (it answers ``Connection: close``);
``ledgerbridge serve`` starts it as ``python -m ledgerbridge.hub.config.front``. What it
refuses itself gets a 4xx (or a 503 over the per-client cap) and is never forwarded; a
body over the cap on an API path and the per-client cap answer the API's JSON error
(``file-too-large``, ``too-many-connections`` with ``Retry-After``). The front imports
nothing of Django or the formats library, so it keeps those codes' values itself
(``tests/hub/config/test_front.py`` holds them equal to ``ErrorCode``).

>>> _body_deadline(100_000, Limits())
20.0
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import sys
from collections import Counter
from dataclasses import dataclass

__all__ = ["FRONT_KEY", "PEER_HEADER", "Limits", "main", "serve", "start"]

# Not configuration: a per-start secret that ``serve`` puts in its children's environment.
FRONT_KEY = "LEDGERBRIDGE_FRONT_KEY"

# Set by the front on every request it forwards (a client's own copy is dropped first).
PEER_HEADER = b"x-ledgerbridge-peer"
_HOP_HEADERS = frozenset({b"connection", b"keep-alive", b"expect", b"transfer-encoding",
                          b"content-length", b"te", b"upgrade", PEER_HEADER})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Limits:
    """Deadlines and caps; the defaults suit a phone on a slow line uploading a scan."""

    head_seconds: float = 10.0
    head_bytes: int = 64 * 1024
    # A body may take this long plus one second per ``body_min_rate`` bytes, and no read
    # may wait longer than ``idle_seconds``: a trickle of one byte a second is cut off.
    body_seconds: float = 10.0
    body_min_rate: int = 10_000
    idle_seconds: float = 10.0
    body_bytes: int = 21 * 1024 * 1024
    connections_per_client: int = 64
    write_idle_seconds: float = 30.0


# The values of ``FormatCode.FILE_TOO_LARGE`` (what the hub answers for an oversize
# upload) and ``ErrorCode.TOO_MANY_CONNECTIONS``; importing those would load the formats
# library into this small process.
FILE_TOO_LARGE = "file-too-large"
TOO_MANY_CONNECTIONS = "too-many-connections"
# How long a client over its connection cap is asked to wait before it tries again.
RETRY_AFTER_SECONDS = 5
# How long a refused client may go on sending (read and dropped) before the connection
# closes: closing with its bytes unread would reset the connection and lose the answer.
LINGER_SECONDS = 2.0
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")


class _Refused(Exception):
    """A request the front answers itself; ``code`` and ``message`` make a JSON body."""

    def __init__(self, status: bytes, code: str = "", message: str = "",
                 headers: tuple[bytes, ...] = ()) -> None:  # fmt: skip
        super().__init__(status.decode())
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def _body_deadline(length: int, limits: Limits) -> float:
    return limits.body_seconds + length / limits.body_min_rate


async def _read_head(reader: asyncio.StreamReader, limits: Limits) -> bytes:
    try:
        async with asyncio.timeout(limits.head_seconds):
            return await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError as error:
        raise _Refused(b"431 Request Header Fields Too Large") from error
    except TimeoutError as error:
        raise _Refused(b"408 Request Timeout") from error


def _too_large(request_line: bytes) -> _Refused:
    status = b"413 Content Too Large"
    if request_line.split(b" ")[1].startswith(b"/api/"):
        return _Refused(status, FILE_TOO_LARGE, "The file is larger than the upload limit.")
    return _Refused(status)


def _parse_head(head: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    lines = head[:-4].split(b"\r\n")
    request_line = lines[0]
    if len(request_line.split(b" ")) != 3 or not request_line.endswith((b"HTTP/1.1", b"HTTP/1.0")):
        raise _Refused(b"400 Bad Request")
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip():
            raise _Refused(b"400 Bad Request")
        headers.append((name.lower(), value.strip()))
    return request_line, headers


async def _read_exactly(reader: asyncio.StreamReader, size: int, limits: Limits) -> bytes:
    chunks: list[bytes] = []
    while size > 0:
        async with asyncio.timeout(limits.idle_seconds):
            chunk = await reader.read(min(size, 65536))
        if not chunk:
            raise _Refused(b"400 Bad Request")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _content_length(headers: list[tuple[bytes, bytes]]) -> int:
    """The one Content-Length, digits only (no sign, no ``_``, no second differing value)."""
    values = {value for name, value in headers if name == b"content-length"}
    if not values:
        return 0
    value, *others = values
    if others or not value.isdigit():
        raise _Refused(b"400 Bad Request")
    return int(value)


async def _read_chunked(reader: asyncio.StreamReader, limits: Limits,
                        too_large: _Refused) -> bytes:  # fmt: skip
    # The length is not known ahead: the body must keep up the minimum rate as it goes.
    loop = asyncio.get_running_loop()
    started = loop.time()
    body = bytearray()
    while True:
        if loop.time() - started > _body_deadline(len(body), limits):
            raise _Refused(b"408 Request Timeout")
        async with asyncio.timeout(limits.idle_seconds):
            size_line = await reader.readuntil(b"\r\n")
        digits = size_line.split(b";")[0].strip()
        if not _CHUNK_SIZE.fullmatch(digits):  # hex digits only: no sign, 0x or _
            raise _Refused(b"400 Bad Request")
        size = int(digits, 16)
        if len(body) + size > limits.body_bytes:
            raise too_large
        if size == 0:
            break
        body += await _read_exactly(reader, size + 2, limits)
        del body[-2:]
    while True:  # trailers, up to the empty line
        async with asyncio.timeout(limits.idle_seconds):
            if await reader.readuntil(b"\r\n") == b"\r\n":
                return bytes(body)


async def _read_body(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    request_line: bytes,
    headers: list[tuple[bytes, bytes]],
    limits: Limits,
) -> bytes:
    fields = dict(headers)
    codings = fields.get(b"transfer-encoding", b"").lower()
    chunked = codings.rsplit(b",", 1)[-1].strip() == b"chunked"
    if codings and not chunked:  # RFC 9112, 6.3: the length cannot be known
        raise _Refused(b"400 Bad Request")
    length = 0 if chunked else _content_length(headers)
    too_large = _too_large(request_line)
    if length > limits.body_bytes:
        raise too_large
    if not chunked and not length:
        return b""
    if fields.get(b"expect", b"").lower() == b"100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    deadline = _body_deadline(length if not chunked else limits.body_bytes, limits)
    try:
        async with asyncio.timeout(deadline):
            if chunked:
                return await _read_chunked(reader, limits, too_large)
            return await _read_exactly(reader, length, limits)
    except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
        raise _Refused(b"408 Request Timeout") from error


def _forwarded(request_line: bytes, headers: list[tuple[bytes, bytes]], body: bytes,
               peer: str) -> bytes:  # fmt: skip
    kept = [(name, value) for name, value in headers if name not in _HOP_HEADERS]
    kept += [(PEER_HEADER, peer.encode()), (b"connection", b"close"),
             (b"content-length", str(len(body)).encode())]  # fmt: skip
    lines = [request_line, *(name + b": " + value for name, value in kept)]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


async def _relay(backend: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 limits: Limits) -> None:  # fmt: skip
    while chunk := await backend.read(65536):
        writer.write(chunk)
        async with asyncio.timeout(limits.write_idle_seconds):
            await writer.drain()


def _refusal(refused: _Refused) -> bytes:
    """The answer to a refused request: the API's JSON error when it has a code."""
    body = b""
    headers = [b"Connection: close", *refused.headers]
    if refused.code:
        body = json.dumps({"code": refused.code, "message": refused.message}).encode()
        headers += [b"Content-Type: application/json", b"Cache-Control: no-store"]
    headers.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join([b"HTTP/1.1 " + refused.status, *headers]) + b"\r\n\r\n" + body


async def _linger(reader: asyncio.StreamReader, seconds: float) -> None:
    """Drop what the client still sends, until it closes or ``seconds`` have passed."""
    with contextlib.suppress(TimeoutError, ConnectionError):
        async with asyncio.timeout(seconds):
            while await reader.read(65536):
                pass


class _Front:
    def __init__(self, backend_port: int, limits: Limits, key: str) -> None:
        self.backend_port = backend_port
        self.key = key
        self.limits = limits
        self.open_per_client: Counter[str] = Counter()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = str(writer.get_extra_info("peername", ("", 0))[0])
        self.open_per_client[peer] += 1
        try:
            if self.open_per_client[peer] > self.limits.connections_per_client:
                raise _Refused(
                    b"503 Service Unavailable", TOO_MANY_CONNECTIONS,
                    "Too many connections from your address at once; try again shortly.",
                    (b"Retry-After: " + str(RETRY_AFTER_SECONDS).encode(),),
                )  # fmt: skip
            await self._one_request(reader, writer, peer)
        except _Refused as refused:
            with contextlib.suppress(ConnectionError, TimeoutError):
                writer.write(_refusal(refused))
                async with asyncio.timeout(self.limits.write_idle_seconds):
                    await writer.drain()
                if writer.can_write_eof():
                    writer.write_eof()
                await _linger(reader, LINGER_SECONDS)
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            self.open_per_client[peer] -= 1
            if not self.open_per_client[peer]:
                del self.open_per_client[peer]
            writer.close()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                           peer: str) -> None:  # fmt: skip
        try:
            head = await _read_head(reader, self.limits)
        except asyncio.IncompleteReadError:
            return  # the client closed an idle connection
        request_line, headers = _parse_head(head)
        body = await _read_body(reader, writer, request_line, headers, self.limits)
        try:
            backend_reader, backend_writer = await asyncio.open_connection(
                "127.0.0.1", self.backend_port
            )
        except OSError as error:
            raise _Refused(b"502 Bad Gateway") from error
        try:
            backend_writer.write(_forwarded(request_line, headers, body, f"{self.key} {peer}"))
            await backend_writer.drain()
            await _relay(backend_reader, writer, self.limits)
        finally:
            backend_writer.close()


async def start(host: str, port: int, backend_port: int, limits: Limits,
                key: str) -> asyncio.Server:  # fmt: skip
    """The front listening on ``host:port`` (0: any free port), forwarding to ``backend_port``."""
    front = _Front(backend_port, limits, key)
    return await asyncio.start_server(
        front.handle, host, port, limit=limits.head_bytes, reuse_address=True
    )


async def serve(host: str, port: int, backend_port: int, limits: Limits, key: str) -> None:
    """Listen on ``host:port`` until SIGTERM or SIGINT, forwarding to ``backend_port``."""
    server = await start(host, port, backend_port, limits, key)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ledgerbridge-front", description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", type=int, required=True, help="granian's loopback port")
    parser.add_argument("--max-body-bytes", type=int, default=Limits().body_bytes)
    parser.add_argument(
        "--connections-per-client", type=int, default=Limits().connections_per_client
    )
    args = parser.parse_args(argv)
    limits = Limits(
        body_bytes=args.max_body_bytes, connections_per_client=args.connections_per_client
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.backend, limits, os.environ[FRONT_KEY]))
    return 0


if __name__ == "__main__":  # pragma: no cover - run by ``ledgerbridge serve``
    raise SystemExit(main(sys.argv[1:]))
