"""The bounds every input of the hub is held to before it reaches a query.

A number past what the database's integer column holds, or text with a NUL byte (which a
PostgreSQL ``text`` column cannot store and a query parameter cannot carry), is refused
as bad input at the edge, on both databases alike, rather than failing deep inside a query
as a server error. The API's schemas and the web's forms build on these.

>>> MAX_ID == 2**63 - 1, 0 < MAX_PAGE <= MAX_ID
(True, True)
>>> has_nul("a\\x00b"), has_nul("ab")
(True, False)
>>> find_nul({"name": "ok", "permissions": ["a", "b\\x00"]})
'permissions[1]'
>>> refuse_nul("ab")
'ab'
>>> refuse_nul("a\\x00b")
Traceback (most recent call last):
...
ValueError: text must not contain a NUL byte
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MAX_ID", "MAX_PAGE", "NUL", "find_nul", "has_nul", "refuse_nul"]

# The largest value of a signed 64-bit integer: PostgreSQL's bigint, SQLite's INTEGER.
MAX_ID = 2**63 - 1
# No one pages further than this; it keeps the OFFSET of any page size far below MAX_ID.
MAX_PAGE = 100_000
NUL = "\x00"


def has_nul(text: str) -> bool:
    """Whether ``text`` holds a NUL byte."""
    return NUL in text


def refuse_nul(text: str) -> str:
    """``text`` itself, or ``ValueError`` when it holds a NUL byte."""
    if has_nul(text):
        raise ValueError("text must not contain a NUL byte")
    return text


def find_nul(value: object, where: str = "") -> str | None:
    """Where in ``value`` (text, or JSON-like mappings and lists of it) the first text with
    a NUL byte is, as a path of keys and ``[indexes]``; ``None`` when there is none."""
    if isinstance(value, str):
        return (where or "text") if has_nul(value) else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            place = f"{where}.{key}" if where else str(key)
            if has_nul(str(key)):
                return place
            if (found := find_nul(item, place)) is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if (found := find_nul(item, f"{where}[{index}]")) is not None:
                return found
    return None
