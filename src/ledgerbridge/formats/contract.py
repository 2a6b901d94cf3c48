"""The JSON contract of ``ledgerbridge read --json``, produced from the model.

A generic walk over the frozen dataclasses of :mod:`ledgerbridge.formats.model`:
``Decimal`` -> decimal string (``"1949.75"``), ``date`` -> ISO string, enums -> their
value, ``None`` -> ``null``, tuples -> lists. A new model field therefore appears in the
JSON without any change here. The only exceptions are the renames of the contract
(``BankStatement.from_date``/``to_date`` -> ``"from"``/``"to"``) and the pairs of
:class:`~ledgerbridge.formats.model.BillInformation`, which become objects.

>>> from decimal import Decimal
>>> from ledgerbridge.formats.model import Totals
>>> to_json(Totals(net=Decimal("1949.75")))["net"], to_json(Totals())["gross"]
('1949.75', None)
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ledgerbridge.formats.model import BankStatement, BillInformation, ReadResult

if TYPE_CHECKING:
    from ledgerbridge.formats.errors import FormatError

__all__ = ["JSON", "error_to_json", "result_to_json", "to_json"]

JSON = Any  # str | int | float | bool | None | list[JSON] | dict[str, JSON]

_RENAMES: dict[type, dict[str, str]] = {BankStatement: {"from_date": "from", "to_date": "to"}}
_PAIRS: dict[type, dict[str, tuple[str, str]]] = {
    BillInformation: {
        "vat_rates": ("rate", "amount"),
        "import_vat": ("rate", "amount"),
        "payment_conditions": ("discount", "days"),
    }
}


def to_json(value: object) -> JSON:
    """The JSON form of any model value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass(value)
    msg = f"no JSON form for {type(value).__name__}"
    raise TypeError(msg)


def _dataclass(value: Any) -> dict[str, JSON]:
    renames = _RENAMES.get(type(value), {})
    pairs = _PAIRS.get(type(value), {})
    out: dict[str, JSON] = {}
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if field.name in pairs:
            keys = pairs[field.name]
            out[field.name] = [dict(zip(keys, to_json(pair), strict=True)) for pair in item]
        else:
            out[renames.get(field.name, field.name)] = to_json(item)
    return out


def result_to_json(result: ReadResult, *, file: str) -> dict[str, JSON]:
    """The contract object for a file that was read."""
    documents = []
    for doc in result.documents:
        documents.append(
            {
                "format": to_json(doc.format),
                "container": to_json(doc.container),
                "profile": doc.profile,
                "kind": to_json(doc.kind),
                "data": to_json(doc.data),
                "findings": to_json(doc.findings),
            }
        )
    out: dict[str, JSON] = {"file": file, "error": None, "documents": documents}
    if result.notices:
        out["notices"] = to_json(result.notices)
    return out


def error_to_json(err: FormatError, *, file: str) -> dict[str, JSON]:
    """The contract object for a file that could not be read."""
    return {"file": file, "error": {"code": err.code, "message": err.message}, "documents": []}
