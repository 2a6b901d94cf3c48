"""What people read when a file is refused: the hub's plain, translated sentence per code.

The formats library's messages are English and written for developers; the hub answers
every :class:`~ledgerbridge.formats.ErrorCode` with its own sentence and keeps the code
(small, for support) beside it.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from ledgerbridge.formats import ErrorCode, MalformedDocument, RuleViolation
from ledgerbridge.hub.documents.errors import FORMAT_MESSAGES, from_format_error
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import make_membership, make_user
from tests.hub.helpers import client_for, counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _photo_without_qr_code() -> bytes:
    """A plain photo: the library says "the image holds no readable QR code"."""
    out = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(out, format="PNG")
    return out.getvalue()


def test_every_code_of_the_formats_library_has_a_sentence() -> None:
    # given
    codes = set(ErrorCode)
    # when
    covered = set(FORMAT_MESSAGES)
    # then
    assert codes - covered == set()


@pytest.mark.parametrize("language", ["de", "fr", "pl"])
def test_every_sentence_is_translated(language: str) -> None:
    # given
    english = {code: str(message) for code, message in FORMAT_MESSAGES.items()}
    # when
    with translation.override(language):
        translated = {code: str(message) for code, message in FORMAT_MESSAGES.items()}
    # then
    assert [code for code in ErrorCode if translated[code] == english[code]] == []


def test_a_refusal_keeps_the_code_and_the_library_text_only_as_detail() -> None:
    # given
    err = RuleViolation(ErrorCode.QRBILL_TOO_FEW_LINES, "line 12", "31 lines are needed, got 12")
    # when
    with translation.override("de"):
        refusal = from_format_error(err)
        message = str(refusal.message)
    # then
    assert (refusal.code, refusal.status) == (ErrorCode.QRBILL_TOO_FEW_LINES, 422)
    assert message == (
        "Der QR-Code sieht wie eine Schweizer QR-Rechnung aus, aber sein Inhalt ist "
        "beschädigt oder unvollständig."
    )
    assert refusal.details == {"location": "line 12", "detail": "31 lines are needed, got 12"}


def test_a_broken_pdf_never_shows_pdfium_text() -> None:
    # given
    err = MalformedDocument(ErrorCode.MALFORMED_PDF, "", "PDFium: Data format error")
    # when
    with translation.override("fr"):
        message = str(from_format_error(err).message)
    # then
    assert message == (
        "Le PDF ne peut pas être ouvert : il est endommagé ou protégé par un mot de passe."
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "Im Bild konnte kein QR-Code gelesen werden. Nehmen Sie das Foto erneut auf, "
            "näher und bei gutem Licht.",
        ),
        (
            "pl",
            "Nie udało się odczytać kodu QR na zdjęciu. Zrób zdjęcie ponownie, z bliska i "
            "przy dobrym świetle.",
        ),
    ],
)
def test_an_upload_refusal_is_in_the_users_language_with_the_code_small(
    language: str, expected: str
) -> None:
    # given
    member = make_membership(role=Role.EMPLOYEE, user=make_user(language=language))
    client = client_for(member)
    photo = SimpleUploadedFile("photo.png", _photo_without_qr_code())
    # when
    response = client.post(reverse("web:document_upload"), {"files": [photo]})
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert f'<p class="upload-message">{expected}</p>' in html
    assert "no-qr-bill-found</small>" in html
    assert "holds no readable QR code" not in html
    assert counts() == (0, 0)


def test_the_scan_app_answers_a_photo_without_qr_code_in_the_users_language() -> None:
    # given
    member = make_membership(role=Role.APP, user=make_user(language="fr"))
    client = client_for(member)
    photo = SimpleUploadedFile("photo.png", _photo_without_qr_code())
    # when
    response = client.post(reverse("web:scan_preview"), {"photo": photo})
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "no-qr-bill-found",
        "message": "Aucun code QR n'a pu être lu sur l'image. Reprenez la photo, de plus près "
        "et avec un bon éclairage.",
    }
