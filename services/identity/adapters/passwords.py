"""Passwords hashed with argon2id (memory-hard), via argon2-cffi."""

from __future__ import annotations

from functools import cached_property

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# RFC 9106's second recommendation (64 MiB, 3 passes); tests swap in a cheaper profile for speed.
PROFILE: Parameters = profiles.RFC_9106_LOW_MEMORY


class Argon2PasswordHasher:
    def __init__(self, profile: Parameters | None = None) -> None:
        self._argon2 = PasswordHasher.from_parameters(profile or PROFILE)

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def waste_time(self) -> None:
        self.verify(self._dummy, "not the password")

    @cached_property
    def _dummy(self) -> str:
        return self._argon2.hash("a password that belongs to no one")
