"""Photos and scans (PNG, JPEG, TIFF, WebP, HEIC/HEIF) holding Swiss QR-bills.

:func:`read` opens the image with Pillow behind a pixel cap (``options.max_pixels``,
checked from the header before any pixel is decoded, so a decompression bomb costs
nothing), decodes it once into greyscale (a JPEG straight from its luma channel), turns it
upright when its EXIF orientation says so, decodes every QR code and returns a
:class:`Document` (container ``image``) per QR-bill. Greyscale is what zxing-cpp binarises
anyway; handing it colour costs a copy of three or four bytes per pixel and a slower
decode, so the image is converted once, here. Other QR codes become notices: a KSeF
invoice verification link (``ksef-verification-qr``) or ``qr-not-a-qr-bill``. No QR code
at all raises ``no-qr-bill-found``.

>>> sniff(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(8)), sniff(b"%PDF-1.7")
(True, False)
"""

from __future__ import annotations

import functools
import io
import warnings
from typing import TYPE_CHECKING

from ledgerbridge.formats import barcodes
from ledgerbridge.formats.errors import ErrorCode, LimitExceeded, MalformedDocument
from ledgerbridge.formats.model import Container, ReadOptions, ReadResult

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["open_image", "read", "sniff"]

_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
_FORMATS = ("PNG", "JPEG", "TIFF", "WEBP", "HEIF")


def sniff(head: bytes) -> bool:
    """True for the magic numbers of PNG, JPEG, TIFF, WebP and HEIC/HEIF."""
    return (
        head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS)
    )


@functools.cache
def _register_heif() -> None:
    # Once per process: registering is cheap but not free, and reads are frequent.
    import pillow_heif

    pillow_heif.register_heif_opener()


def _open(data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    _register_heif()
    try:
        with warnings.catch_warnings():
            # Our own cap replaces Pillow's process-wide one; its warning must not leak.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=_FORMATS)
    except Image.DecompressionBombError as exc:
        raise LimitExceeded(ErrorCode.LIMIT_IMAGE_PIXELS, "", str(exc)) from exc
    except UnidentifiedImageError as exc:
        # The magic number said image, so bytes Pillow cannot identify are a broken file.
        raise MalformedDocument(
            ErrorCode.MALFORMED_IMAGE, "", "the image header is broken"
        ) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise MalformedDocument(
            ErrorCode.MALFORMED_IMAGE, "", f"the image cannot be opened: {exc}"
        ) from exc


def _orientation(image: Image.Image) -> Image.Transpose | None:
    """The transposition that EXIF orientation 2..8 asks for; ``None`` when upright."""
    from PIL import ExifTags
    from PIL.Image import Transpose

    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return {
        2: Transpose.FLIP_LEFT_RIGHT,
        3: Transpose.ROTATE_180,
        4: Transpose.FLIP_TOP_BOTTOM,
        5: Transpose.TRANSPOSE,
        6: Transpose.ROTATE_270,
        7: Transpose.TRANSVERSE,
        8: Transpose.ROTATE_90,
    }.get(orientation)


def open_image(data: bytes, *, max_pixels: int) -> Image.Image:
    """Decode ``data`` into an upright greyscale (mode ``L``) Pillow image of at most
    ``max_pixels`` pixels."""
    image = _open(data)
    width, height = image.size
    if width * height > max_pixels:
        raise LimitExceeded(
            ErrorCode.LIMIT_IMAGE_PIXELS,
            f"{width}x{height}",
            f"the image has {width * height} pixels; at most {max_pixels} are accepted",
        )
    try:
        if image.format == "JPEG":
            # libjpeg hands out its luma plane: no colour conversion, a third of the bytes.
            image.draft("L", None)
        image.load()
        transpose = _orientation(image)
        grey = image if image.mode == "L" else image.convert("L")
        # Rotating the greyscale copy moves a quarter of the bytes of a colour one.
        return grey if transpose is None else grey.transpose(transpose)
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise MalformedDocument(
            ErrorCode.MALFORMED_IMAGE, "", f"the image cannot be decoded: {exc}"
        ) from exc


def read(data: bytes, *, options: ReadOptions) -> ReadResult:
    """Read every QR-bill in a raster image."""
    image = open_image(data, max_pixels=options.max_pixels)
    try:
        texts = barcodes.read_qr_texts(image)
    except (RuntimeError, ValueError) as exc:  # zxing-cpp reports odd bitmaps this way
        raise MalformedDocument(
            ErrorCode.MALFORMED_IMAGE, "", f"QR decoding failed: {exc}"
        ) from exc
    documents, notices = barcodes.classify(texts, Container.IMAGE, "image")
    if not documents and not notices:
        raise MalformedDocument(
            ErrorCode.NO_QR_BILL_FOUND, "", "the image holds no readable QR code"
        )
    return ReadResult(documents=tuple(documents), notices=tuple(notices))
