"""The MFA adapter that keeps TOTP secrets and recovery-code seeds encrypted at rest.

allauth stores what it passes through ``encrypt`` in ``mfa_authenticator.data``; its default
adapter returns the text unchanged. Ours seals it with Fernet (AES-128-CBC + HMAC-SHA256)
under a key derived from ``SECRET_KEY`` with HKDF-SHA256 and a fixed label, so a copy of
the database alone does not let anyone compute a user's codes. Keys of
``SECRET_KEY_FALLBACKS`` still decrypt, so the secret key can be rotated.

>>> key = derive_key("a-secret-key")
>>> key == derive_key("a-secret-key"), key == derive_key("another-key"), len(key)
(True, False, 44)
>>> box = _fernet(["a-secret-key"])
>>> box.decrypt(box.encrypt(b"JBSWY3DPEHPK3PXP"))
b'JBSWY3DPEHPK3PXP'
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

if TYPE_CHECKING:
    from collections.abc import Sequence

# Changing the label makes every stored secret unreadable: it is part of the key.
HKDF_INFO = b"ledgerbridge.hub.mfa.secrets.v1"


def derive_key(secret_key: str) -> bytes:
    """Return the url-safe base64 Fernet key derived from ``secret_key``."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))


def _fernet(secret_keys: Sequence[str]) -> MultiFernet:
    return MultiFernet([Fernet(derive_key(key)) for key in secret_keys])


def _current_fernet() -> MultiFernet:
    fallbacks: list[str] = list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return _fernet([settings.SECRET_KEY, *fallbacks])


class EncryptingMFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's MFA adapter with ``encrypt``/``decrypt`` doing real encryption."""

    def encrypt(self, text: str) -> str:
        return _current_fernet().encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        # A value that does not decrypt raises cryptography's InvalidToken: a login must
        # fail loudly rather than accept codes computed from a wrong secret.
        return _current_fernet().decrypt(encrypted_text.encode("ascii")).decode("utf-8")
