"""Find QR codes in raster images and sort out what each one holds.

:func:`read_qr_texts` asks zxing-cpp for QR codes only, on a greyscale image (zxing-cpp
binarises luminance; colour only makes it copy and convert more bytes). The plain decode
runs first and is enough for scans, renderings and most photos; the slower retries (a
contrast-stretched copy, a downscaled copy of a very large photo, an upscaled copy of a
tiny image, a hard threshold) run only when the plain decode found nothing, so the
common case costs one decode. :func:`classify` turns the texts into QR-bill documents
and file-level notices: a KSeF "KOD I" invoice verification link
(``ksef-verification-qr``), any other QR code (``qr-not-a-qr-bill``), or a QR-bill too
broken to read (the reader's error code).

>>> notices = classify(["https://example.org"], Container.IMAGE, "image")[1]
>>> [(n.code, n.message) for n in notices]
[('qr-not-a-qr-bill', 'a QR code that is not a Swiss QR-bill: https://example.org')]
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ledgerbridge.formats import qrbill
from ledgerbridge.formats.errors import MalformedDocument
from ledgerbridge.formats.model import Container, Document, Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from PIL import Image

__all__ = ["classify", "ksef_verification", "read_qr_texts"]

_LARGE_SIDE = 2400  # photos beyond this are retried at this size: modules stay > 3 px
_SMALL_SIDE = 400  # renderings below this are retried at twice the size
_THRESHOLD = 128
# KSeF 2.0 "KOD I" (https://qr[-test|-demo].ksef.mf.gov.pl/invoice/NIP/DD-MM-YYYY/hash)
# and the older client-app form (https://ksef[-test|-demo].mf.gov.pl/client-app/invoice/...).
_KSEF = re.compile(
    r"https://(?:qr(?:-test|-demo)?\.ksef\.mf\.gov\.pl|ksef(?:-test|-demo)?\.mf\.gov\.pl/client-app)"
    r"/invoice/(?P<nip>[0-9]{10})/(?P<date>[0-9]{2}-[0-9]{2}-[0-9]{4})/(?P<hash>[A-Za-z0-9_=-]{20,})"
)


def _decode(grey: Image.Image, *, global_histogram: bool = False) -> list[str]:
    """The QR texts zxing-cpp finds in ``grey`` (mode ``L``)."""
    import zxingcpp

    binarizer = (
        zxingcpp.Binarizer.GlobalHistogram if global_histogram else zxingcpp.Binarizer.LocalAverage
    )
    # One copy of the pixels in a view, instead of handing over the Pillow image: zxing-cpp
    # would fetch ``__array_interface__`` (a full copy each time) twice, and with a view it
    # releases the GIL while it searches. The view only points into ``pixels``, so that
    # name must keep the bytes alive until ``read_barcodes`` returns.
    pixels = grey.tobytes()
    view = zxingcpp.ImageView(pixels, grey.width, grey.height, zxingcpp.ImageFormat.Lum)
    found = zxingcpp.read_barcodes(
        view, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode), binarizer=binarizer
    )
    return list(dict.fromkeys(code.text for code in found if code.text))


def _retries(image: Image.Image) -> Iterator[Callable[[], list[str]]]:
    from PIL import Image as PILImage
    from PIL import ImageOps

    grey = ImageOps.autocontrast(image, cutoff=1)
    yield lambda: _decode(grey)
    side = max(image.size)
    if side > _LARGE_SIDE:
        small = grey.copy()
        small.thumbnail((_LARGE_SIDE, _LARGE_SIDE), PILImage.Resampling.BOX)
        yield lambda: _decode(small)
    if side < _SMALL_SIDE:
        big = grey.resize((grey.width * 2, grey.height * 2), PILImage.Resampling.NEAREST)
        yield lambda: _decode(big)
    yield lambda: _decode(grey.point(lambda v: 255 if v > _THRESHOLD else 0))
    yield lambda: _decode(grey, global_histogram=True)


def read_qr_texts(image: Image.Image) -> list[str]:
    """The texts of the QR codes in ``image`` (each distinct text once, in reading order).

    A greyscale (mode ``L``) image is used as it is; any other mode is converted once.
    """
    if image.mode != "L":
        image = image.convert("L")
    texts = _decode(image)
    if texts:
        return texts
    for attempt in _retries(image):
        texts = attempt()
        if texts:
            return texts
    return []


def ksef_verification(text: str) -> Finding | None:
    """A notice for a KSeF invoice verification link (KOD I), else ``None``."""
    match = _KSEF.fullmatch(text.strip())
    if match is None:
        return None
    return Finding(
        Severity.INFO,
        "ksef-verification-qr",
        "",
        f"KSeF invoice verification QR code (KOD I): seller NIP {match['nip']}, "
        f"issued {match['date']}",
    )


def classify(
    texts: Iterable[str], container: Container, where: str
) -> tuple[list[Document], list[Finding]]:
    """QR-bill documents and notices for the QR ``texts`` found at ``where`` (page, image)."""
    documents: list[Document] = []
    notices: list[Finding] = []
    for text in texts:
        if text.removeprefix("\ufeff").startswith("SPC"):
            try:
                documents.append(qrbill.to_document(text, container))
            except MalformedDocument as err:
                notices.append(Finding(Severity.ERROR, err.code, where, err.message))
            continue
        notice = ksef_verification(text)
        if notice is None:
            shown = text if len(text) <= 80 else text[:77] + "..."
            notice = Finding(
                Severity.INFO,
                "qr-not-a-qr-bill",
                "",
                f"a QR code that is not a Swiss QR-bill: {shown}",
            )
        notices.append(Finding(notice.severity, notice.code, where, notice.message))
    return documents, notices
