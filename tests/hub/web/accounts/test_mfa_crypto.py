"""The MFA adapter encrypts TOTP secrets and recovery seeds with a key derived from SECRET_KEY."""

from __future__ import annotations

import pytest
from cryptography.fernet import InvalidToken
from django.test import override_settings

from ledgerbridge.hub.web.accounts.mfa import EncryptingMFAAdapter, derive_key


def test_encrypt_hides_the_text_and_decrypt_restores_it() -> None:
    # given
    adapter = EncryptingMFAAdapter()
    # when
    sealed = adapter.encrypt("JBSWY3DPEHPK3PXP")
    # then
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert sealed != adapter.encrypt("JBSWY3DPEHPK3PXP")  # a fresh IV every time
    assert adapter.decrypt(sealed) == "JBSWY3DPEHPK3PXP"


def test_the_key_depends_on_the_secret_key_only() -> None:
    # given / when
    first, again, other = derive_key("k1"), derive_key("k1"), derive_key("k2")
    # then
    assert first == again
    assert first != other


def test_a_rotated_secret_key_still_decrypts_through_the_fallbacks() -> None:
    # given
    with override_settings(SECRET_KEY="old-key-" + "x" * 50):
        sealed = EncryptingMFAAdapter().encrypt("seed")
    # when
    with override_settings(
        SECRET_KEY="new-key-" + "y" * 50, SECRET_KEY_FALLBACKS=["old-key-" + "x" * 50]
    ):
        opened = EncryptingMFAAdapter().decrypt(sealed)
    # then
    assert opened == "seed"


def test_another_secret_key_cannot_decrypt() -> None:
    # given
    with override_settings(SECRET_KEY="old-key-" + "x" * 50):
        sealed = EncryptingMFAAdapter().encrypt("seed")
    # when / then
    with override_settings(SECRET_KEY="new-key-" + "y" * 50), pytest.raises(InvalidToken):
        EncryptingMFAAdapter().decrypt(sealed)
