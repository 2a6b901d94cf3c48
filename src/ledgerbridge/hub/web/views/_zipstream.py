"""A ZIP archive written while it is sent: originals go out in chunks, never whole in memory.

:func:`zip_stream` yields the bytes of a ZIP of ``(name, chunks)`` entries as they are
compressed; the archive's central directory follows the last entry. ``zipfile`` writes
to a stream that cannot seek by putting each entry's sizes in a data descriptor after
its data, which every unzip tool reads. Names are the caller's business (safe and unique:
:func:`unique_names`).

>>> import io, zipfile
>>> data = b"".join(zip_stream([("a.txt", iter([b"hello"]))]))
>>> zipfile.ZipFile(io.BytesIO(data)).read("a.txt")
b'hello'
>>> unique_names(["bill.pdf", "bill.pdf", "BILL.pdf", "x"])
['bill.pdf', 'bill (2).pdf', 'BILL (3).pdf', 'x']
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["unique_names", "zip_stream"]


class _Sink:
    """A write-only file that hands over what was written since the last call."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._written = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def zip_stream(entries: Iterable[tuple[str, Iterable[bytes]]]) -> Iterator[bytes]:
    """The ZIP of ``entries`` (name, chunks of the content), piece by piece."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in entries:
            with archive.open(name, "w", force_zip64=True) as entry:
                for chunk in chunks:
                    entry.write(chunk)
                    if piece := sink.take():
                        yield piece
            yield sink.take()
    yield sink.take()


def unique_names(names: Iterable[str]) -> list[str]:
    """``names`` with a repeated one (case-insensitively) numbered: ``bill (2).pdf``."""
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, number = name, 1
        while candidate.lower() in seen:
            number += 1
            stem, dot, extension = name.rpartition(".")
            candidate = f"{stem} ({number}).{extension}" if dot and stem else f"{name} ({number})"
        seen.add(candidate.lower())
        out.append(candidate)
    return out
