"""``ledgerbridge upload FILE... --org TAXID_OR_SLUG [--user EMAIL] [--keep-unreadable]``.

Each file goes through the same ingest as the API (source ``upload``); one line per
document is printed: ``created`` or ``found`` (the same file was sent before), its id,
kind, status, and the duplicate it may be. A refused file is reported on stderr with its
error code and makes the command exit with status 1 after the other files were tried.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from ledgerbridge.hub.core.errors import NotFound, ServiceError
from ledgerbridge.hub.documents import services
from ledgerbridge.hub.documents.models import Document
from ledgerbridge.hub.identity import selectors
from ledgerbridge.hub.identity.models import Membership, User
from ledgerbridge.hub.identity.permissions import Permission

if TYPE_CHECKING:
    from argparse import ArgumentParser

    from ledgerbridge.hub.identity.models import Organization


def document_line(document: Document, *, created: bool) -> str:
    """One line about one document, for people and for ``grep``/``cut`` (tab-separated)."""
    money = f"{document.amount} {document.currency}" if document.amount is not None else "-"
    duplicate = f"duplicate of #{document.duplicate_of_id}" if document.duplicate_of_id else ""
    fields = ("created" if created else "found", f"#{document.pk}", document.kind,
              document.status, document.file.original_name, document.creditor_name or "-",
              money, duplicate)  # fmt: skip
    return "\t".join(fields).rstrip("\t")


class Command(BaseCommand):
    help = "Upload files into an organization: one document per business document found."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
        parser.add_argument("--org", required=True, help="tax ID or slug of the organization")
        parser.add_argument("--user", help="e-mail of the member recorded as the sender")
        parser.add_argument(
            "--keep-unreadable",
            action="store_true",
            help='keep a PDF or image without any document as an "other" document',
        )

    def _organization(self, key: str) -> Organization:
        try:
            return selectors.organization_find(key=key)
        except NotFound:
            raise CommandError(f"no organization with tax ID or slug {key!r}") from None

    def _user(self, email: str | None, organization: Organization) -> User | None:
        if email is None:
            return None
        user = User.objects.filter(email__iexact=email.strip()).first()
        membership = (
            Membership.objects.filter(organization=organization, user=user).first()
            if user
            else None
        )
        if user is None or membership is None or not user.is_active:
            raise CommandError(f"{email!r} is not an active member of {organization.slug}")
        if not membership.has_permission(Permission.DOCUMENTS_UPLOAD):
            raise CommandError(f"{email!r} may not upload documents in {organization.slug}")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self._organization(options["org"])
        user = self._user(options["user"], organization)
        refused = 0
        for path in options["files"]:
            try:
                data = path.read_bytes()
                result = services.document_ingest(
                    organization=organization, data=data, filename=path.name,
                    source=Document.Source.UPLOAD, actor=user,
                    keep_unreadable_as_other=options["keep_unreadable"],
                )  # fmt: skip
            except OSError as err:
                refused += 1
                self.stderr.write(f"refused\t{path}\tunreadable-file\t{err.strerror}")
            except ServiceError as err:
                refused += 1
                self.stderr.write(f"refused\t{path}\t{err.code}\t{err.message}")
            else:
                for document in result.documents:
                    self.stdout.write(document_line(document, created=result.created))
        if refused:
            raise CommandError(f"{refused} of {len(options['files'])} file(s) refused")
