"""Fuzz :func:`ledgerbridge.formats.read` with atheris: only FormatError may escape.

Seeds are the corpus files (``--corpus``, default ``../shared/corpus``), copied into a
temporary seed directory. Run, e.g.::

    .venv/bin/python fuzz/fuzz_read.py -runs=200000
    .venv/bin/python fuzz/fuzz_read.py -max_total_time=300

Any other exception is a finding: libFuzzer stops and writes the crashing input.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    # The readers are imported lazily by read(); import them here so they are instrumented.
    from ledgerbridge.formats import (  # noqa: F401 - imported for instrumentation only
        FormatError,
        ReadOptions,
        camt053,
        cii,
        images,
        ksef,
        pdf,
        qrbill,
        read,
        ubl,
        xmldocs,
        xmlsafe,
    )

# Small caps keep each run fast; the code paths are the same as with the defaults.
OPTIONS = ReadOptions(max_bytes=256 * 1024, max_pixels=4_000_000, max_pdf_pages=2, pdf_dpi=72)
_SUFFIXES = {".xml", ".txt", ".png", ".jpg", ".pdf"}
_MAX_SEED_BYTES = 64 * 1024


def one_input(data: bytes) -> None:
    with contextlib.suppress(FormatError):
        read(data, options=OPTIONS)


def _seed_dir(corpus: Path) -> str:
    target = Path(tempfile.mkdtemp(prefix="ledgerbridge-fuzz-"))
    for index, path in enumerate(sorted(corpus.rglob("*"))):
        if path.suffix in _SUFFIXES and path.is_file() and path.stat().st_size <= _MAX_SEED_BYTES:
            (target / f"seed{index:05d}{path.suffix}").write_bytes(path.read_bytes())
    return str(target)


def main() -> None:
    args = [arg for arg in sys.argv if not arg.startswith("--corpus=")]
    chosen = [arg.split("=", 1)[1] for arg in sys.argv if arg.startswith("--corpus=")]
    corpus = Path(chosen[0] if chosen else Path(__file__).resolve().parents[2] / "shared/corpus")
    if corpus.is_dir():
        args.append(_seed_dir(corpus))
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
