"""Benchmark ``ledgerbridge.formats.read`` against raw baselines measured in the same run.

Prints figures, asserts nothing about time. Usage::

    .venv/bin/python benchmarks/formats.py [--corpus ../shared/corpus] [--repeat 7]

Every side of a comparison starts from the same file bytes in memory, and each side's
figures count what a user of that library alone would have to run:

(a) QR-bill images (PNG and JPEG of ``qrbill/generated``; its PDFs are not images):
    ``read(data)`` (sniff, pixel cap, decode, QR search, payload parse and validation,
    one ``Document`` per bill) against
    ``zxingcpp.read_barcodes(Image.open(io.BytesIO(data)), formats=QRCode)``, which is all
    a zxing-cpp user writes (zxing-cpp loads the image and converts modes it cannot take
    itself). Goal: ratio <= 1.3. The baseline was already this, with an explicit
    ``load()`` that zxing-cpp does anyway; what changed is the timing, see below.
(b) UBL and CII files (not the ``en16931-unit`` fragments): ``read`` (parse, map, every
    EN 16931 rule) against a bare hardened ``lxml.etree.fromstring``.
(c) the same files through ``facturx.parse_ubl_cii_xml`` (factur-x's own parser, XSD
    check off so that it compares with parsing, not with schema validation). Goal: at
    least its speed while validating more.

The subjects of a comparison run interleaved, file by file, and the order in which they
run rotates with the file and the repetition, so load from other processes on a shared
machine hits every side alike. Per group and side the figure is the median over
``--repeat`` repetitions of the time for all files of the group: wall clock (documents
per second, ratio) and process CPU time (ratio), which other processes disturb less.
Every file holds one document, so files per second are documents per second.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import facturx
import zxingcpp
from lxml import etree
from PIL import Image

from ledgerbridge.formats import FormatError, read

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


class Sample(NamedTuple):
    group: str
    data: bytes


class Subject(NamedTuple):
    name: str
    work: Callable[[bytes], int]  # the number of documents (or codes) found


def _read(data: bytes) -> int:
    try:
        return len(read(data).documents)
    except FormatError:  # invalid samples are part of the workload
        return 0


def _zxing(data: bytes) -> int:
    return len(zxingcpp.read_barcodes(Image.open(io.BytesIO(data)), formats=_QR))


def _lxml(data: bytes) -> int:
    return 1 if etree.fromstring(data, _PARSER) is not None else 0


def _facturx(data: bytes) -> int:
    try:
        facturx.parse_ubl_cii_xml(data, check_xsd=False)
    except Exception:  # a baseline's own failures on odd samples do not matter here
        return 0
    return 1


# (group, subject) -> per repetition: [wall seconds, cpu seconds, documents found]
Timings = dict[tuple[str, str], list[list[float]]]


def measure(samples: Sequence[Sample], subjects: Sequence[Subject], repeat: int) -> Timings:
    """Run every subject on every sample ``repeat`` times, interleaved and rotated."""
    for sample in samples:  # warm-up: imports, caches, lazy registrations
        for subject in subjects:
            subject.work(sample.data)
    timings: Timings = defaultdict(lambda: [[0.0, 0.0, 0.0] for _ in range(repeat)])
    for rep in range(repeat):
        for index, sample in enumerate(samples):
            shift = (rep + index) % len(subjects)
            for subject in (*subjects[shift:], *subjects[:shift]):
                wall, cpu = time.perf_counter(), time.process_time()
                found = subject.work(sample.data)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                for group in (sample.group, "all"):
                    row = timings[group, subject.name][rep]
                    row[0] += wall
                    row[1] += cpu
                    row[2] += found
    return timings


def report(title: str, samples: Sequence[Sample], subjects: Sequence[Subject], t: Timings) -> None:
    """One line per group: documents/s of each side, wall and CPU ratios to the first."""
    counts: dict[str, int] = defaultdict(int)
    for sample in samples:
        counts[sample.group] += 1
        counts["all"] += 1
    ours, *bases = subjects
    print(title)
    head = f"  {'group':<20}{'files':>6}" + "".join(f"{s.name + ' docs/s':>18}" for s in subjects)
    ratios = "".join(f"{'wall/' + b.name:>16}{'cpu/' + b.name:>16}" for b in bases)
    print(head + ratios + "   found " + "/".join(s.name for s in subjects))
    for group in sorted(counts, key=lambda g: (g == "all", g)):
        wall = {s.name: statistics.median(r[0] for r in t[group, s.name]) for s in subjects}
        cpu = {s.name: statistics.median(r[1] for r in t[group, s.name]) for s in subjects}
        found = "/".join(f"{t[group, s.name][0][2]:.0f}" for s in subjects)
        line = f"  {group:<20}{counts[group]:>6}"
        line += "".join(f"{counts[group] / wall[s.name]:>18.1f}" for s in subjects)
        for base in bases:
            line += f"{wall[ours.name] / wall[base.name]:>16.2f}"
            line += f"{cpu[ours.name] / cpu[base.name]:>16.2f}"
        print(line + "   " + found)


def qrbill_images(corpus: Path) -> list[Sample]:
    """The PNG and JPEG files of ``qrbill/generated``, grouped by variant and width."""
    folder = corpus / "qrbill/generated"
    samples = []
    for entry in json.loads((folder / "manifest.json").read_text(encoding="utf-8")):
        if not entry["file"].endswith((".png", ".jpg")):
            continue
        group = entry["variant"]
        if group == "clean":
            group = f"clean-w{entry['params']['width_px']}"
        samples.append(Sample(group, (folder / entry["file"]).read_bytes()))
    return samples


def xml_files(corpus: Path) -> list[Sample]:
    """The UBL and CII files (not the rule fragments), grouped by folder."""
    return [
        Sample(f"{folder}/{path.relative_to(corpus / folder).parts[0]}", path.read_bytes())
        for folder in ("ubl", "cii")
        for path in sorted((corpus / folder).rglob("*.xml"))
        if "en16931-unit" not in path.parts and "xsd" not in path.parts
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared/corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # factur-x logs every odd sample it meets
    images = qrbill_images(args.corpus)
    subjects = [Subject("read", _read), Subject("zxing", _zxing)]
    title = "(a) QR-bill images: read vs zxingcpp.read_barcodes (goal: ratio <= 1.3)"
    report(title, images, subjects, measure(images, subjects, args.repeat))
    xml = xml_files(args.corpus)
    subjects = [Subject("read", _read), Subject("lxml", _lxml), Subject("facturx", _facturx)]
    title = "(b)+(c) UBL and CII: read vs lxml.etree.fromstring and facturx.parse_ubl_cii_xml"
    report(title, xml, subjects, measure(xml, subjects, args.repeat))


if __name__ == "__main__":
    main()
