"""The one error tree of :mod:`ledgerbridge.formats`.

Every failure to read bytes into the canonical model is a :class:`FormatError`, so a
caller (the hub, the agent, the CLI) needs exactly one ``except`` clause and can turn
the stable ``code`` into an API error or an exit status::

    ValueError
     └── FormatError                code, location, message
          ├── UnsupportedFormat      "unsupported-format": no reader recognises the bytes
          ├── MalformedDocument      "malformed-*": the format is known but the bytes are broken
          │    └── RuleViolation     a rule of the standard that makes reading impossible
          └── LimitExceeded          "limit-*": size, pixel, page or time cap reached

Findings that do not stop reading (a wrong sum, a missing optional element) are not
exceptions: they are :class:`ledgerbridge.formats.model.Finding` values on the document.

>>> err = MalformedDocument("malformed-xml", "line 3", "the XML is not well-formed")
>>> isinstance(err, ValueError), err.code, str(err)
(True, 'malformed-xml', 'malformed-xml at line 3: the XML is not well-formed')
"""

from __future__ import annotations

__all__ = [
    "FormatError",
    "LimitExceeded",
    "MalformedDocument",
    "RuleViolation",
    "UnsupportedFormat",
]


class FormatError(ValueError):
    """Bytes that cannot be read; ``code`` is stable, ``message`` is for people."""

    default_code = "format-error"

    def __init__(self, code: str | None = None, location: str = "", message: str = "") -> None:
        self.code = code or self.default_code
        self.location = location
        self.message = message or self.code
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.code}{where}: {self.message}"

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, str, str]]:
        return (type(self), (self.code, self.location, self.message))


class UnsupportedFormat(FormatError):
    """No reader recognises the bytes (or the recognised variant is not supported)."""

    default_code = "unsupported-format"


class MalformedDocument(FormatError):
    """The format is recognised but the bytes do not form a readable document."""

    default_code = "malformed-document"


class RuleViolation(MalformedDocument):
    """A rule of the standard is broken so badly that no document can be built."""

    default_code = "rule-violation"


class LimitExceeded(FormatError):
    """A safety cap (bytes, pixels, pages, rendering time, XML depth) was reached."""

    default_code = "limit-exceeded"
