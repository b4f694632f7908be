"""The platform's signing key ring: one active key, older keys published until their tokens expire."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from services.identity.domain.tokens import SigningKey
from services.identity.service_layer.ports import IdentityUnitOfWork, KeyFactory, SecretBox
from services.shared.clock import Clock


@dataclass(frozen=True)
class KeyRing:
    factory: KeyFactory
    box: SecretBox
    clock: Clock
    token_lifetime_seconds: int

    def active_private_jwk(self, uow: IdentityUnitOfWork) -> dict[str, Any]:
        """The private JWK to sign with, creating the first key when there is none."""
        with uow:
            active = _newest_active(uow.keys.list())
        if active is None:
            active = self.rotate(uow)
        plain = self.box.decrypt(active.private_jwk_encrypted, f"signing-key:{active.kid}")
        loaded: dict[str, Any] = json.loads(plain)
        return loaded

    def rotate(self, uow: IdentityUnitOfWork) -> SigningKey:
        """A new active key; the old one is retired but stays published until its tokens expire."""
        kid, algorithm, public, private = self.factory.generate()
        now = self.clock.now()
        key = SigningKey(
            kid=kid,
            algorithm=algorithm,
            public_jwk=public,
            private_jwk_encrypted=self.box.encrypt(json.dumps(private).encode(), f"signing-key:{kid}"),
            created_at=now,
        )
        with uow:
            for old in uow.keys.list():
                if old.retired_at is None:
                    old.retired_at = now
            uow.keys.add(key)
            uow.commit()
        return key

    def published(self, uow: IdentityUnitOfWork) -> list[dict[str, Any]]:
        now = self.clock.now()
        with uow:
            keys = uow.keys.list()
        return [k.public_jwk for k in keys if k.is_published(now, self.token_lifetime_seconds)]


def _newest_active(keys: list[SigningKey]) -> SigningKey | None:
    active = [k for k in keys if k.retired_at is None]
    return max(active, key=lambda k: k.created_at) if active else None
