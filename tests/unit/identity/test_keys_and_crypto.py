"""The key ring rotates without dropping old keys early; secrets at rest need the same SECRET_KEY."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.identity.adapters.signing_keys import EcKeyFactory
from services.identity.service_layer.keys import KeyRing
from services.shared.clock import FixedClock
from services.shared.secret_box import AesGcmSecretBox, SecretKeyChanged
from tests.unit.identity.fakes import FakeBox, FakeKeyFactory, FakeUnitOfWork

SECRET = "x" * 40


def test_the_first_signature_creates_the_first_key() -> None:
    ring = KeyRing(FakeKeyFactory(), FakeBox(), FixedClock(datetime(2026, 1, 1, tzinfo=UTC)), 300)
    uow = FakeUnitOfWork()
    assert ring.active_private_jwk(uow) == {"kid": "kid-1", "private": True}
    assert ring.active_private_jwk(uow)["kid"] == "kid-1"
    assert [k["kid"] for k in ring.published(uow)] == ["kid-1"]


def test_rotation_signs_with_the_new_key_and_publishes_both_until_expiry() -> None:
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    ring = KeyRing(FakeKeyFactory(), FakeBox(), clock, 300)
    uow = FakeUnitOfWork()
    ring.active_private_jwk(uow)
    ring.rotate(uow)
    assert ring.active_private_jwk(uow)["kid"] == "kid-2"
    assert [k["kid"] for k in ring.published(uow)] == ["kid-1", "kid-2"]
    clock.advance(timedelta(minutes=10))
    assert [k["kid"] for k in ring.published(uow)] == ["kid-2"]


def test_private_keys_are_stored_encrypted() -> None:
    ring = KeyRing(EcKeyFactory(), AesGcmSecretBox(SECRET), FixedClock(datetime(2026, 1, 1, tzinfo=UTC)), 300)
    uow = FakeUnitOfWork()
    key = ring.rotate(uow)
    assert b'"d"' not in key.private_jwk_encrypted
    assert "d" not in key.public_jwk
    assert "d" in ring.active_private_jwk(uow)


def test_another_secret_key_cannot_read_stored_secrets() -> None:
    sealed = AesGcmSecretBox(SECRET).encrypt(b"seed", "totp:1")
    assert AesGcmSecretBox(SECRET).decrypt(sealed, "totp:1") == b"seed"
    with pytest.raises(SecretKeyChanged, match="SECRET_KEY"):
        AesGcmSecretBox("y" * 40).decrypt(sealed, "totp:1")
    with pytest.raises(SecretKeyChanged):
        AesGcmSecretBox(SECRET).decrypt(sealed, "totp:2")


def test_a_missing_secret_key_refuses_to_encrypt() -> None:
    with pytest.raises(SecretKeyChanged, match="at least 32"):
        AesGcmSecretBox("").encrypt(b"seed", "totp:1")
