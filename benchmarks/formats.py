"""Benchmark ``ledgerbridge.formats.read`` against raw baselines measured in the same run.

Prints figures, asserts nothing about time. Usage::

    .venv/bin/python benchmarks/formats.py [--corpus ../shared/corpus] [--repeat 5]

(a) QR-bill images (``qrbill/generated``): ``read`` (sniff, decode, parse, validate) vs a
    bare ``zxingcpp.read_barcodes`` on the same decoded images; goal ratio <= 1.3.
(b) UBL and CII files: ``read`` (parse, map, validate) vs a bare hardened
    ``lxml.etree.fromstring``; documents per second and ratio.
(c) the same files through ``facturx.parse_ubl_cii_xml`` (factur-x's own parser, XSD
    check switched off so that it is comparable), ratio.
Each figure is the median of ``--repeat`` passes over all files.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

import facturx
import zxingcpp
from lxml import etree
from PIL import Image

from ledgerbridge.formats import FormatError, read

if TYPE_CHECKING:
    from collections.abc import Callable

_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def _median_seconds(items: list[bytes], work: Callable[[bytes], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            with contextlib.suppress(FormatError):  # invalid samples are part of the workload
                work(item)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _zxing(data: bytes) -> object:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )


def _facturx(data: bytes) -> object:
    try:
        return facturx.parse_ubl_cii_xml(data, check_xsd=False)
    except Exception:  # a baseline's own failures on odd samples do not matter here
        return None


def _report(name: str, count: int, ours: float, base: float, base_name: str) -> None:
    print(
        f"{name}: {count} files; read {count / ours:8.1f} docs/s, {base_name} "
        f"{count / base:8.1f} docs/s; ratio read/{base_name} = {ours / base:.2f}"
    )


def bench_qrbill_images(corpus: Path, repeat: int) -> None:
    images = [p.read_bytes() for p in sorted((corpus / "qrbill/generated").glob("*.png"))]
    images += [p.read_bytes() for p in sorted((corpus / "qrbill/generated").glob("*.jpg"))]
    ours = _median_seconds(images, read, repeat)
    base = _median_seconds(images, _zxing, repeat)
    _report("(a) QR-bill images", len(images), ours, base, "zxingcpp")


def bench_xml(corpus: Path, repeat: int) -> None:
    files = [
        path.read_bytes()
        for folder in ("ubl", "cii")
        for path in sorted((corpus / folder).rglob("*.xml"))
        if "en16931-unit" not in path.parts
    ]
    ours = _median_seconds(files, read, repeat)
    base = _median_seconds(files, lambda data: etree.fromstring(data, _PARSER), repeat)
    _report("(b) UBL+CII files", len(files), ours, base, "lxml")
    fx = _median_seconds(files, _facturx, repeat)
    _report("(c) UBL+CII files", len(files), ours, fx, "facturx.parse_ubl_cii_xml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared/corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_qrbill_images(args.corpus, args.repeat)
    bench_xml(args.corpus, args.repeat)


if __name__ == "__main__":
    main()
