"""What the identity domain keeps of a secret token: its SHA-256, never the token.

Shared by the services that issue tokens (invitations, API tokens) and the selectors that
look them up again, so both hash the same way.

>>> sha256_hex("abc")[:16]
'ba7816bf8f01cfea'
"""

from __future__ import annotations

import hashlib

__all__ = ["sha256_hex"]


def sha256_hex(secret: str) -> str:
    """What we keep of a secret token: its SHA-256 in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()
