"""QR code decoding from Pillow images and the sorting of what the codes hold."""

from __future__ import annotations

import zxingcpp
from PIL import Image

from ledgerbridge.formats import Container, PaymentSlip, Severity, barcodes
from tests.formats.test_qrbill import payload

KSEF_URL = (
    "https://qr-test.ksef.mf.gov.pl/invoice/1111111111/01-02-2026/"
    "UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE"
)


def qr_image(text: str, scale: int = 4) -> Image.Image:
    """A clean greyscale picture of a QR code holding ``text``."""
    drawn = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=scale)
    view = memoryview(drawn)  # type: ignore[arg-type]  # zxingcpp.Image is a buffer; its stub omits it
    height, width = view.shape or (0, 0)
    return Image.frombytes("L", (width, height), view.tobytes())


def side_by_side(*images: Image.Image) -> Image.Image:
    canvas = Image.new("L", (sum(i.width for i in images) + 40, max(i.height for i in images)), 255)
    x = 0
    for image in images:
        canvas.paste(image, (x, 0))
        x += image.width + 40
    return canvas


def test_every_qr_code_in_an_image_is_read() -> None:
    # given
    image = side_by_side(qr_image("first"), qr_image("second"))
    # when
    texts = barcodes.read_qr_texts(image)
    # then
    assert sorted(texts) == ["first", "second"]


def test_colour_image_is_read_as_greyscale() -> None:
    # given: a red-on-yellow code, read through its luminance
    mask = qr_image("colour").point(lambda v: 255 if v < 128 else 0)
    image = Image.new("RGB", mask.size, (255, 255, 0))
    image.paste((200, 0, 0), mask=mask)
    # when
    texts = barcodes.read_qr_texts(image)
    # then
    assert (texts, image.mode) == (["colour"], "RGB")


def test_low_contrast_photo_is_read_by_a_retry() -> None:
    # given: dark grey on grey, which the plain decode misses
    image = qr_image("faint").point(lambda v: 120 if v < 128 else 128)
    assert (
        zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
        == []
    )
    # when
    texts = barcodes.read_qr_texts(image)
    # then
    assert texts == ["faint"]


def test_image_without_qr_code_gives_no_text() -> None:
    # given
    image = Image.new("L", (300, 200), 255)
    # when / then
    assert barcodes.read_qr_texts(image) == []


def test_ksef_verification_links_current_and_legacy_form() -> None:
    # given
    legacy = "https://ksef.mf.gov.pl/client-app/invoice/5265877635/26-10-2025/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    # when
    current_notice = barcodes.ksef_verification(KSEF_URL)
    legacy_notice = barcodes.ksef_verification(legacy)
    # then
    assert current_notice is not None
    assert current_notice.message == (
        "KSeF invoice verification QR code (KOD I): seller NIP 1111111111, issued 01-02-2026"
    )
    assert legacy_notice is not None
    assert "seller NIP 5265877635, issued 26-10-2025" in legacy_notice.message
    assert (
        barcodes.ksef_verification("https://evil.example/invoice/1111111111/01-02-2026/x") is None
    )


def test_classify_sorts_bills_ksef_links_and_other_codes() -> None:
    # given
    texts = ["\n".join(payload()), KSEF_URL, "WIFI:S:home;;", "SPC\n0200"]
    # when
    documents, notices = barcodes.classify(texts, Container.PDF, "page 2")
    # then
    assert [d.container for d in documents] == [Container.PDF]
    assert isinstance(documents[0].data, PaymentSlip)
    assert [(n.severity, n.code, n.location) for n in notices] == [
        (Severity.INFO, "ksef-verification-qr", "page 2"),
        (Severity.INFO, "qr-not-a-qr-bill", "page 2"),
        (Severity.ERROR, "qrbill-too-few-lines", "page 2"),
    ]
