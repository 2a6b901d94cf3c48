"""Raster images: sniffing, the pixel cap, EXIF orientation and QR-bills found in them."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from ledgerbridge.formats import (
    Container,
    LimitExceeded,
    MalformedDocument,
    PaymentSlip,
    ReadOptions,
    images,
    read,
)
from tests.formats.test_barcodes import KSEF_URL, qr_image, side_by_side
from tests.formats.test_qrbill import payload

OPTIONS = ReadOptions()


def encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels but carries almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))


BILL = qr_image("\r\n".join(payload()))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF", "WEBP", "HEIF"])
def test_qr_bill_is_read_from_every_supported_format(fmt: str) -> None:
    # given
    data = (
        encoded(BILL.convert("RGB"), fmt, quality=95)
        if fmt in ("JPEG", "WEBP", "HEIF")
        else encoded(BILL, fmt)
    )
    # when
    assert images.sniff(data[:64])
    result = read(data)
    # then
    assert [d.container for d in result.documents] == [Container.IMAGE]
    slip = result.documents[0].data
    assert isinstance(slip, PaymentSlip)
    assert slip.reference == "210000000003139471430009017"
    assert result.notices == ()


def test_two_bills_in_one_photo_are_two_documents() -> None:
    # given
    second = qr_image("\r\n".join(payload(e18="10.00")))
    data = encoded(side_by_side(BILL, second), "PNG")
    # when
    result = images.read(data, options=OPTIONS)
    # then
    amounts = sorted(
        str(d.data.amount) for d in result.documents if isinstance(d.data, PaymentSlip)
    )
    assert amounts == ["10.00", "1949.75"]


@pytest.mark.parametrize(
    ("orientation", "size", "corner"),
    [
        (1, (200, 100), "top-left"),
        (2, (200, 100), "top-right"),
        (3, (200, 100), "bottom-right"),
        (4, (200, 100), "bottom-left"),
        (5, (100, 200), "top-left"),
        (6, (100, 200), "top-right"),
        (7, (100, 200), "bottom-right"),
        (8, (100, 200), "bottom-left"),
    ],
)
def test_exif_orientation_is_applied(orientation: int, size: tuple[int, int], corner: str) -> None:
    # given: a landscape picture with a black square in its stored top-left corner
    picture = Image.new("RGB", (200, 100), "white")
    picture.paste((0, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encoded(picture, "JPEG", exif=exif, quality=95)
    # when
    image = images.open_image(data, max_pixels=OPTIONS.max_pixels)
    # then
    width, height = image.size
    corners = {
        "top-left": (5, 5),
        "top-right": (width - 6, 5),
        "bottom-left": (5, height - 6),
        "bottom-right": (width - 6, height - 6),
    }
    dark = [name for name, xy in corners.items() if image.getpixel(xy) < 64]  # type: ignore[operator]  # mode L gives an int
    assert (image.size, dark) == (size, [corner])


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [
        ("PNG", "P"),
        ("PNG", "RGBA"),
        ("JPEG", "RGB"),
        ("JPEG", "CMYK"),
        ("TIFF", "1"),
        ("WEBP", "RGB"),
        ("HEIF", "RGB"),
    ],
)
def test_images_are_decoded_to_greyscale(fmt: str, mode: str) -> None:
    # given: a colour or palette picture, the kind phones and scanners produce
    data = encoded(BILL.convert(mode), fmt, quality=95)
    # when
    image = images.open_image(data, max_pixels=OPTIONS.max_pixels)
    # then: zxing-cpp gets luminance, and the bill is still read
    assert (image.mode, image.size) == ("L", BILL.size)
    assert len(images.read(data, options=OPTIONS).documents) == 1


def test_pixel_cap_is_checked_before_decoding() -> None:
    # given
    data = encoded(Image.new("L", (2000, 1000), 255), "PNG")
    # when
    with pytest.raises(LimitExceeded) as caught:
        images.read(data, options=ReadOptions(max_pixels=1_000_000))
    # then
    assert (caught.value.code, caught.value.location) == ("limit-image-pixels", "2000x1000")


def test_decompression_bomb_is_a_limit_not_a_pillow_warning() -> None:
    # given: 30000 x 30000 pixels, far beyond Pillow's own bomb threshold
    data = png_header_only(30_000, 30_000)
    # when
    with pytest.raises(LimitExceeded) as caught:
        images.read(data, options=ReadOptions(max_pixels=2_000_000_000))
    # then
    assert caught.value.code == "limit-image-pixels"


def test_ksef_verification_code_is_a_notice() -> None:
    # given
    data = encoded(qr_image(KSEF_URL), "PNG")
    # when
    result = images.read(data, options=OPTIONS)
    # then
    assert result.documents == ()
    assert [(n.code, n.location) for n in result.notices] == [("ksef-verification-qr", "image")]
    assert "NIP 1111111111" in result.notices[0].message


def test_foreign_qr_code_is_a_notice() -> None:
    # given
    data = encoded(qr_image("https://example.org/menu"), "PNG")
    # when
    result = images.read(data, options=OPTIONS)
    # then
    assert [n.code for n in result.notices] == ["qr-not-a-qr-bill"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (encoded(Image.new("L", (400, 300), 255), "PNG"), "no-qr-bill-found"),
        (encoded(BILL, "PNG")[:200], "malformed-image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "malformed-image"),
    ],
)
def test_unreadable_images_raise_malformed_document(data: bytes, code: str) -> None:
    # given / when
    with pytest.raises(MalformedDocument) as caught:
        images.read(data, options=OPTIONS)
    # then
    assert caught.value.code == code


def test_sniff_knows_the_magic_numbers() -> None:
    # given / when / then
    assert images.sniff(b"\xff\xd8\xff\xe0")
    assert images.sniff(b"II*\x00")
    assert images.sniff(b"MM\x00*")
    assert images.sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 ")
    assert images.sniff(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00")
    assert not images.sniff(b"\x00\x00\x00\x18ftypisom")
    assert not images.sniff(b"GIF89a")
