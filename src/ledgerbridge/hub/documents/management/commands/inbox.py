"""``ledgerbridge inbox address --org X`` and ``ledgerbridge inbox serve``.

``address`` prints the organization's document inbox (created on first use).
``serve`` runs the LMTP receiver (:mod:`ledgerbridge.hub.documents.lmtp`) that the mail
server in front hands the mail for ``@<LEDGERBRIDGE_INBOX_DOMAIN>`` to, e.g. Postfix
``virtual_transport = lmtp:inet:127.0.0.1:8024``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from ledgerbridge.hub.core.errors import NotFound
from ledgerbridge.hub.documents import services
from ledgerbridge.hub.documents.lmtp import InboxServer
from ledgerbridge.hub.identity import selectors

if TYPE_CHECKING:
    from argparse import ArgumentParser


class Command(BaseCommand):
    help = "The e-mail inbox for documents: show an organization's address, or serve LMTP."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        address = sub.add_parser("address", help="print the inbox address of an organization")
        address.add_argument("--org", required=True, help="tax ID or slug of the organization")
        serve = sub.add_parser("serve", help="receive mail over LMTP")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=8024)
        serve.add_argument("--hostname", default="ledgerbridge", help="name in the greeting")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "address":
            try:
                organization = selectors.organization_find(key=options["org"])
            except NotFound:
                raise CommandError(f"no organization {options['org']!r}") from None
            self.stdout.write(services.mail_inbox_ensure(organization=organization).address)
            return
        server = InboxServer((options["host"], options["port"]), hostname=options["hostname"])
        host, port = server.server_address[:2]
        self.stderr.write(f"LMTP inbox listening on {host!s}:{port}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
