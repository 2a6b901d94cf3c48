"""``ledgerbridge read FILE... [--json]``: read documents and show what is in them.

Human output by default (per file: format, kind, key fields, findings); ``--json``
prints one contract object (:mod:`ledgerbridge.formats.contract`) per file per line.
Exit status: 0 when every file was read without error findings, 1 when some document
has an error finding, 2 when some file could not be read at all (a
:class:`~ledgerbridge.formats.errors.FormatError` or an ``OSError``); 2 wins over 1.
No Django, no hub: the agent and plain ``pip install ledgerbridge`` use it.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="read")
>>> add_arguments(parser)
>>> parser.parse_args(["a.xml", "--json"]).json
True
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ledgerbridge.formats import FormatError, read
from ledgerbridge.formats.contract import error_to_json, result_to_json
from ledgerbridge.formats.errors import ErrorCode
from ledgerbridge.formats.model import Invoice, PaymentSlip

if TYPE_CHECKING:
    from ledgerbridge.formats.model import Document, DocumentData, ReadResult

__all__ = ["add_arguments", "main", "run"]

OK, FINDINGS, UNREADABLE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``read`` arguments to ``parser``."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="documents to read")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per file and line"
    )


def _key_fields(data: DocumentData) -> str:
    if isinstance(data, PaymentSlip):
        amount = "open amount" if data.amount is None else f"{data.amount} {data.currency}"
        return f"{data.iban}  {amount}  {data.reference_type} {data.reference or ''}".rstrip()
    if isinstance(data, Invoice):
        seller = data.seller.name or data.seller.vat_id or "?"
        gross = data.totals.gross if data.totals.gross is not None else "?"
        when = data.issue_date or "?"
        return f"no. {data.number or '?'} of {when} from {seller}: {gross} {data.currency or ''}"
    return (
        f"{data.account_iban or '?'} {data.from_date or '?'}..{data.to_date or '?'}: "
        f"{len(data.entries)} entries, {data.opening_balance} -> {data.closing_balance}"
    )


def _human(name: str, result: ReadResult, out: TextIO) -> None:
    out.write(f"{name}: {len(result.documents)} document(s)\n")
    for doc in result.documents:
        out.write(_describe(doc))
    for notice in result.notices:
        out.write(f"  {notice.severity.value}: {notice.code} {notice.message}\n")


def _describe(doc: Document) -> str:
    profile = f" [{doc.profile}]" if doc.profile else ""
    lines = [f"  {doc.format.value} in {doc.container.value}{profile}: {doc.kind.value}"]
    lines.append(f"    {_key_fields(doc.data)}")
    for finding in doc.findings:
        where = f" at {finding.location}" if finding.location else ""
        lines.append(f"    {finding.severity.value}: {finding.code}{where}: {finding.message}")
    return "\n".join(lines) + "\n"


def _read_one(name: str, *, as_json: bool, out: TextIO) -> int:
    try:
        data = Path(name).read_bytes()
        result = read(data, filename=name)
    except (FormatError, OSError) as err:
        if not isinstance(err, FormatError):
            err = FormatError(ErrorCode.FILE_UNREADABLE, name, err.strerror or str(err))
        if as_json:
            out.write(json.dumps(error_to_json(err, file=name), ensure_ascii=False) + "\n")
        else:
            out.write(f"{name}: cannot be read: {err}\n")
        return UNREADABLE
    if as_json:
        out.write(json.dumps(result_to_json(result, file=name), ensure_ascii=False) + "\n")
    else:
        _human(name, result, out)
    return FINDINGS if result.has_errors else OK


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Read every file of ``args.files``; return the exit status."""
    stream = out if out is not None else sys.stdout
    return max(_read_one(name, as_json=args.json, out=stream) for name in args.files)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m ledgerbridge.formats.cli FILE...``."""
    parser = argparse.ArgumentParser(prog="ledgerbridge read", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
