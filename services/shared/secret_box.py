"""Secrets at rest (signing keys, TOTP seeds, the credentials of outbound endpoints) encrypted with AES-GCM under a
key derived from SECRET_KEY. Identity and inter-registry both keep secrets, so it lives below both."""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12


class SecretKeyChanged(RuntimeError):
    """Stored secrets were encrypted under another SECRET_KEY."""


class AesGcmSecretBox:
    def __init__(self, secret_key: str) -> None:
        self._aead: AESGCM | None = None
        if len(secret_key) >= 32:
            derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"carbon-registry secrets at rest v1")
            self._aead = AESGCM(derived.derive(secret_key.encode()))

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return base64.urlsafe_b64encode(nonce + self._cipher().encrypt(nonce, plaintext, context.encode()))

    def decrypt(self, ciphertext: bytes, context: str) -> bytes:
        raw = base64.urlsafe_b64decode(ciphertext)
        try:
            return self._cipher().decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except InvalidTag:
            raise SecretKeyChanged(
                f"cannot decrypt {context}: SECRET_KEY differs from the one it was stored with; "
                "restore the old SECRET_KEY, or run 'registry keys rotate' and re-enrol second factors"
            ) from None

    def _cipher(self) -> AESGCM:
        if self._aead is None:
            raise SecretKeyChanged("SECRET_KEY must be set to at least 32 characters to keep secrets at rest")
        return self._aead
