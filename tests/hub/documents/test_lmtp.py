"""The e-mail inbox for real: an LMTP server on 127.0.0.1 and mail sent with smtplib."""

from __future__ import annotations

import smtplib
import threading
from email.message import EmailMessage
from typing import TYPE_CHECKING

import pytest

from ledgerbridge.hub.documents import services
from ledgerbridge.hub.documents.lmtp import InboxServer
from ledgerbridge.hub.documents.models import Document, StoredFile
from ledgerbridge.hub.identity.models import AuditEvent
from tests.hub.factories import admin_of, blank_pdf, qrbill_file

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

# The server answers from its own threads, which must see the committed test data.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lmtp() -> Iterator[tuple[str, int]]:
    server = InboxServer(("127.0.0.1", 0), hostname="test")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", int(server.server_address[1])
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _mail(to: str, *attachments: tuple[str, bytes, str]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "supplier@example.test"
    message["To"] = to
    message["Subject"] = "Invoice 2025-0566"
    message["Message-ID"] = "<m1@example.test>"
    message.set_content("Please find the bill attached.\n.\nA line with a lone dot above.")
    for name, data, media_type in attachments:
        maintype, subtype = media_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def _send(server: tuple[str, int], message: EmailMessage, to: list[str]) -> dict[str, object]:
    with smtplib.LMTP(*server) as client:
        return dict(client.send_message(message, to_addrs=to))


def test_an_attached_qrbill_becomes_a_payment_slip_and_the_mail_is_kept(
    lmtp: tuple[str, int], media: Path
) -> None:
    # given
    admin = admin_of()
    address = services.mail_inbox_ensure(organization=admin.organization).address
    bill, entry = qrbill_file()
    message = _mail(
        address, ("bill.png", bill, "image/png"), ("terms.pdf", blank_pdf(), "application/pdf")
    )
    # when
    refused = _send(lmtp, message, [address])
    # then
    assert refused == {}
    slip = Document.objects.get(organization=admin.organization)
    assert (slip.kind, slip.source, slip.iban) == (
        "payment_slip",
        "email",
        entry["expected_fields"]["account"],
    )
    assert slip.file.original_name == "bill.png"
    assert slip.source_file is not None
    assert slip.source_file.content_type == "message/rfc822"
    kept = (media / slip.source_file.storage_name).read_bytes()
    assert b"Subject: Invoice 2025-0566" in kept
    assert b"\r\n..\r\n" not in kept  # dot-stuffing undone
    event = AuditEvent.objects.get(organization=admin.organization, action="mail-received")
    assert event.details["refused"] == [{"file": "terms.pdf", "code": "no-document-found"}]


def test_a_mail_without_readable_attachments_is_kept_as_an_other_document(
    lmtp: tuple[str, int],
) -> None:
    # given
    admin = admin_of()
    address = services.mail_inbox_ensure(organization=admin.organization).address
    # when
    refused = _send(lmtp, _mail(address), [address])
    # then
    assert refused == {}
    [document] = Document.objects.filter(organization=admin.organization)
    assert (document.kind, document.source) == ("other", "email")
    assert document.file.content_type == "message/rfc822"


def test_mail_for_an_unknown_address_is_refused_at_rcpt(lmtp: tuple[str, int]) -> None:
    # given
    admin = admin_of()
    services.mail_inbox_ensure(organization=admin.organization)
    # when
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(lmtp, _mail("nobody@inbox.localhost"), ["nobody@inbox.localhost"])
    # then
    assert refused.value.recipients["nobody@inbox.localhost"][0] == 550
    assert (StoredFile.objects.count(), Document.objects.count()) == (0, 0)


def test_the_same_mail_twice_stores_it_once(lmtp: tuple[str, int]) -> None:
    # given
    admin = admin_of()
    address = services.mail_inbox_ensure(organization=admin.organization).address
    raw = _mail(address, ("bill.png", qrbill_file()[0], "image/png")).as_bytes()
    # when
    for _ in range(2):
        with smtplib.LMTP(*lmtp) as client:
            client.sendmail("supplier@example.test", [address], raw)
    # then: the mail and its attachment, once each
    assert (StoredFile.objects.count(), Document.objects.count()) == (2, 1)
