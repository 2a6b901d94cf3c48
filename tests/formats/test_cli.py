"""``ledgerbridge read``: human and JSON output, exit statuses, no Django needed."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from typing import TYPE_CHECKING

from ledgerbridge.formats.cli import add_arguments, run
from tests.formats.ksef_sample import FA3_MINIMAL

if TYPE_CHECKING:
    from pathlib import Path


def _run(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = io.StringIO()
    status = run(parser.parse_args(list(argv)), out)
    return status, out.getvalue()


def _files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.xml"
    good.write_bytes(FA3_MINIMAL)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(FA3_MINIMAL.replace(b"<P_15>123.00</P_15>", b"<P_15>1.001</P_15>"))
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"hello, world")
    return {"good": good, "bad": bad, "junk": junk, "missing": tmp_path / "missing.pdf"}


def test_valid_file_exits_0_with_a_human_summary(tmp_path: Path) -> None:
    # given
    files = _files(tmp_path)
    # when
    status, text = _run(str(files["good"]))
    # then
    assert status == 0
    assert "ksef-fa3 in xml [FA (3)]: invoice" in text
    assert "no. FV/1 of 2026-02-15 from ABC sp. z o.o.: 123.00 PLN" in text


def test_error_finding_exits_1(tmp_path: Path) -> None:
    # given
    files = _files(tmp_path)
    # when
    status, text = _run(str(files["good"]), str(files["bad"]))
    # then
    assert status == 1
    assert "error: KSEF-SCHEMA-AMOUNT at /Faktura/Fa[1]/P_15[1]" in text


def test_unreadable_file_wins_and_exits_2(tmp_path: Path) -> None:
    # given
    files = _files(tmp_path)
    # when
    status, text = _run(str(files["bad"]), str(files["junk"]), str(files["missing"]))
    # then
    assert status == 2
    assert "junk.bin: cannot be read: unsupported-format" in text
    assert "missing.pdf: cannot be read: file-unreadable" in text


def test_json_prints_one_object_per_file_and_line(tmp_path: Path) -> None:
    # given
    files = _files(tmp_path)
    # when
    status, text = _run("--json", str(files["good"]), str(files["junk"]))
    # then
    first, second = (json.loads(line) for line in text.splitlines())
    assert status == 2
    assert (first["file"], first["error"], first["documents"][0]["kind"]) == (
        str(files["good"]),
        None,
        "invoice",
    )
    assert second == {
        "file": str(files["junk"]),
        "error": {
            "code": "unsupported-format",
            "message": "not a PDF, image, XML e-invoice, bank statement or QR-bill payload",
        },
        "documents": [],
    }


def test_module_runs_without_django(tmp_path: Path) -> None:
    # given
    files = _files(tmp_path)
    blocker = "import sys; sys.modules['django'] = None; import runpy; "
    code = blocker + "runpy.run_module('ledgerbridge.formats.cli', run_name='__main__')"
    # when
    done = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-c", code, "--json", str(files["good"])],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    # then
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"][0]["format"] == "ksef-fa3"
