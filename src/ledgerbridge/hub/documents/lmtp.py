"""A small LMTP server (RFC 2033) that delivers mail into the organizations' inboxes.

The mail server in front (Postfix ``lmtp:inet:127.0.0.1:8024``, or any MTA) accepts mail
for ``@<LEDGERBRIDGE_INBOX_DOMAIN>`` and hands it over here. LMTP rather than SMTP
because it answers once per recipient *after* the message is stored: a ``250`` means the
mail and its documents are committed, so nothing is lost if the hub stops mid-delivery
(the MTA keeps the mail and retries on a ``4xx``). Unknown addresses are refused at
``RCPT`` time, so no mail is accepted that cannot be delivered.

Only what LMTP needs: ``LHLO``, ``MAIL``, ``RCPT``, ``DATA``, ``RSET``, ``NOOP``,
``VRFY`` and ``QUIT``; lines are capped, the message is capped at the mail size limit.

>>> _address("TO:<Acme-1f2e@Inbox.Example> NOTIFY=NEVER")
'acme-1f2e@inbox.example'
>>> _address("FROM:<>")
''
"""

from __future__ import annotations

import logging
import re
import socketserver
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import close_old_connections

from ledgerbridge.hub.core.errors import Conflict, ServiceError
from ledgerbridge.hub.documents import selectors, services
from ledgerbridge.hub.documents.errors import FileTooLarge

if TYPE_CHECKING:
    from ledgerbridge.hub.documents.models import MailInbox

__all__ = ["InboxServer"]

log = logging.getLogger(__name__)

MAX_LINE = 2048  # RFC 5321 allows 1000 octets per line; some clients send longer ones
_PATH = re.compile(r"^(?:TO|FROM):\s*<([^>]*)>", re.IGNORECASE)


def _address(argument: str) -> str | None:
    match = _PATH.match(argument.strip())
    return match.group(1).strip().lower() if match else None


@dataclass(slots=True)
class _Envelope:
    sender: str | None = None
    inboxes: list[MailInbox] = field(default_factory=list)


class _TooLong(Exception):
    """A line or a message over its cap."""


class _Handler(socketserver.StreamRequestHandler):
    server: InboxServer
    timeout = 300

    def _send(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode("utf-8"))

    def _line(self) -> bytes:
        line = self.rfile.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise _TooLong
        return line

    def _greet(self) -> None:
        self._send(
            f"250-{self.server.hostname}",
            "250-8BITMIME",
            "250-ENHANCEDSTATUSCODES",
            f"250 SIZE {self.server.max_bytes}",
        )

    def handle(self) -> None:
        self._send(f"220 {self.server.hostname} LMTP ledgerbridge ready")
        envelope, greeted = _Envelope(), False
        try:
            while line := self._line():
                verb, _, argument = line.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
                verb = verb.upper()
                if verb == "QUIT":
                    self._send("221 2.0.0 bye")
                    return
                if verb == "LHLO":
                    greeted, envelope = True, _Envelope()
                    self._greet()
                elif verb in ("RSET", "NOOP"):
                    envelope = _Envelope() if verb == "RSET" else envelope
                    self._send("250 2.0.0 ok")
                elif verb == "VRFY":
                    self._send("252 2.5.0 send some mail, it will be tried")
                elif not greeted:
                    self._send("503 5.5.1 say LHLO first")
                else:
                    envelope = self._transaction(verb, argument, envelope)
        except _TooLong:
            self._send("500 5.5.2 line too long")
        finally:
            close_old_connections()

    def _transaction(self, verb: str, argument: str, envelope: _Envelope) -> _Envelope:
        if verb == "MAIL":
            return self._mail(argument, envelope)
        if verb == "RCPT":
            self._rcpt(argument, envelope)
        elif verb == "DATA":
            self._data(envelope)
            return _Envelope()
        else:
            self._send("500 5.5.1 command not recognised")
        return envelope

    def _mail(self, argument: str, envelope: _Envelope) -> _Envelope:
        sender = _address(argument)
        if sender is None:
            self._send("501 5.5.4 syntax: MAIL FROM:<address>")
            return envelope
        self._send("250 2.1.0 sender ok")
        return _Envelope(sender=sender)

    def _rcpt(self, argument: str, envelope: _Envelope) -> None:
        recipient = _address(argument)
        if envelope.sender is None:
            self._send("503 5.5.1 MAIL first")
        elif not recipient:
            self._send("501 5.5.4 syntax: RCPT TO:<address>")
        elif (inbox := selectors.mail_inbox_by_address(recipient)) is None:
            self._send(f"550 5.1.1 <{recipient}>: no such inbox")
        else:
            envelope.inboxes.append(inbox)
            self._send("250 2.1.5 recipient ok")

    def _read_message(self) -> bytes | None:
        """The message after ``DATA``, dot-stuffing undone; ``None`` when over the cap."""
        chunks, size, too_big = [], 0, False
        while True:
            line = self._line()
            if not line or line in (b".\r\n", b".\n"):
                break
            line = line[1:] if line.startswith(b"..") else line
            size += len(line)
            too_big = too_big or size > self.server.max_bytes
            if not too_big:
                chunks.append(line)
        return None if too_big else b"".join(chunks)

    def _data(self, envelope: _Envelope) -> None:
        if not envelope.inboxes:
            self._send("503 5.5.1 no valid recipients")
            return
        self._send("354 end data with <CR><LF>.<CR><LF>")
        raw = self._read_message()
        # LMTP: one answer per accepted recipient, in RCPT order.
        self._send(*(self._deliver(inbox, raw) for inbox in envelope.inboxes))

    def _deliver(self, inbox: MailInbox, raw: bytes | None) -> str:
        if raw is None:
            return "552 5.3.4 message too big"
        try:
            receipt = services.mail_receive(inbox=inbox, raw=raw)
        except FileTooLarge:
            return "552 5.3.4 message too big"
        except Conflict as err:  # quota: the MTA may retry once room is made
            return f"452 4.2.2 {err.code}"
        except ServiceError as err:
            return f"554 5.6.0 {err.code}"
        except Exception:  # the MTA keeps the mail and tries again later
            log.exception("delivery to %s failed", inbox.address)
            return "451 4.3.0 temporary failure, try again later"
        return f"250 2.0.0 <{inbox.address}> {len(receipt.documents)} document(s)"


class InboxServer(socketserver.ThreadingTCPServer):
    """Serve LMTP on ``address`` (one thread per connection) until ``shutdown()``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], *, hostname: str = "ledgerbridge") -> None:
        self.hostname = hostname
        self.max_bytes = services.max_mail_bytes()
        super().__init__(address, _Handler)
