"""The per-tenant CAD Trust API key at rest: Fernet under a key derived from SECRET_KEY (HKDF, own purpose).

Rotation: give the new SECRET_KEY first and the old ones after it; every key decrypts, the first encrypts,
and a key read under an old one is written again under the first the next time the connection is saved.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PURPOSE = b"carbon-registry cadt api key v1"
PREFIX = "fernet:"


class SecretUnreadable(ValueError):
    """A stored secret that none of the configured keys can read."""


def derive(secret_key: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


class FernetSecrets:
    def __init__(self, secret_keys: Sequence[str]) -> None:
        keys = [Fernet(derive(key)) for key in secret_keys if key]
        if not keys:
            raise ValueError("SECRET_KEY must be set to keep the CAD Trust API keys encrypted at rest")
        self._fernet = MultiFernet(keys)

    def encrypt(self, plaintext: str) -> str:
        return PREFIX + self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            raise SecretUnreadable("the stored API key is not encrypted: run 'registry db upgrade'")
        try:
            return self._fernet.decrypt(stored[len(PREFIX) :].encode()).decode()
        except InvalidToken:
            raise SecretUnreadable(
                "the stored API key was encrypted under another SECRET_KEY: enter the key again in the CAD Trust "
                "settings, or list the old SECRET_KEY after the new one"
            ) from None
