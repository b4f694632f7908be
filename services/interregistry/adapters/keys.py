"""Signed messages (JWS, ES256) with registries not hosted here: each tenant's own key and its pinned peers."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from services.interregistry.adapters.orm import interregistry_keys as keys
from services.interregistry.service_layer.inbound import BadSignature, UnknownPeer
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.secret_box import AesGcmSecretBox

ALGORITHM = "ES256"


class SqlSignatures:
    def __init__(self, secret_key: str, clock: Clock = SYSTEM_CLOCK) -> None:
        self.box = AesGcmSecretBox(secret_key)
        self.clock = clock

    def sign(self, session: Session, tenant_id: UUID, registry_id: str, payload: bytes) -> str:
        kid, key = self._own_key(session, tenant_id, registry_id)
        return jws.serialize_compact(
            {"alg": ALGORITHM, "kid": kid, "typ": "JOSE"}, payload, key, algorithms=[ALGORITHM]
        )

    def verify(self, session: Session, tenant_id: UUID, compact: str) -> tuple[str, bytes]:
        """The peer registry id whose pinned key signed `compact`, and the payload."""
        try:
            header = jws.extract_compact(compact.encode()).headers()
        except (JoseError, ValueError) as error:
            raise BadSignature(f"not a compact JWS: {error}") from error
        row = session.execute(
            select(keys.c.registry_id, keys.c.public_jwk).where(
                keys.c.tenant_id == tenant_id,
                keys.c.kid == str(header.get("kid", "")),
                keys.c.private_jwk_encrypted.is_(None),
                keys.c.retired_at.is_(None),
            )
        ).first()
        if row is None:
            raise UnknownPeer(f"no pinned peer key {header.get('kid')!r}: ask this registry's administrator to pin it")
        try:
            verified = jws.deserialize_compact(compact, ECKey.import_key(dict(row[1])), algorithms=[ALGORITHM])
        except (JoseError, ValueError) as error:
            raise BadSignature(f"the signature does not verify with the pinned key of {row[0]}") from error
        return str(row[0]), bytes(verified.payload)

    def pin(self, session: Session, tenant_id: UUID, registry_id: str, public_jwk: dict[str, Any]) -> str:
        """Pin a peer's public key; a new key of the same peer retires the older one."""
        try:
            key = ECKey.import_key(public_jwk)
        except (JoseError, ValueError) as error:
            raise BadSignature(f"not a P-256 public JWK: {error}") from error
        if key.is_private:
            raise BadSignature("send the peer's public key only, never its private key")
        kid = f"{registry_id}:{key.thumbprint()}"
        now = self.clock.now()
        session.execute(
            update(keys)
            .where(keys.c.tenant_id == tenant_id, keys.c.registry_id == registry_id, keys.c.kid != kid)
            .where(keys.c.private_jwk_encrypted.is_(None), keys.c.retired_at.is_(None))
            .values(retired_at=now)
        )
        exists = session.scalar(select(keys.c.kid).where(keys.c.tenant_id == tenant_id, keys.c.kid == kid))
        if exists is None:
            public = dict(key.as_dict(private=False)) | {"kid": kid, "alg": ALGORITHM, "use": "sig"}
            session.execute(
                insert(keys).values(
                    tenant_id=tenant_id, kid=kid, registry_id=registry_id, public_jwk=public, created_at=now
                )
            )
        return kid

    def published(self, session: Session, tenant_id: UUID, registry_id: str) -> list[dict[str, Any]]:
        """This tenant's public key, for peers to pin (created on first use)."""
        self._own_key(session, tenant_id, registry_id)
        rows = session.execute(
            select(keys.c.public_jwk).where(
                keys.c.tenant_id == tenant_id, keys.c.private_jwk_encrypted.is_not(None), keys.c.retired_at.is_(None)
            )
        )
        return [dict(row[0]) for row in rows]

    def _own_key(self, session: Session, tenant_id: UUID, registry_id: str) -> tuple[str, ECKey]:
        row = session.execute(
            select(keys.c.kid, keys.c.private_jwk_encrypted)
            .where(
                keys.c.tenant_id == tenant_id, keys.c.private_jwk_encrypted.is_not(None), keys.c.retired_at.is_(None)
            )
            .order_by(keys.c.created_at.desc())
        ).first()
        if row is not None:
            private = json.loads(self.box.decrypt(bytes(row[1]), f"interregistry-key:{row[0]}"))
            return str(row[0]), ECKey.import_key(private)
        key = ECKey.generate_key("P-256", private=True)
        kid = f"{registry_id}:{key.thumbprint()}"
        public = dict(key.as_dict(private=False)) | {"kid": kid, "alg": ALGORITHM, "use": "sig"}
        sealed = self.box.encrypt(json.dumps(dict(key.as_dict(private=True))).encode(), f"interregistry-key:{kid}")
        session.execute(
            insert(keys).values(
                tenant_id=tenant_id,
                kid=kid,
                registry_id=registry_id,
                public_jwk=public,
                private_jwk_encrypted=sealed,
                created_at=self.clock.now(),
            )
        )
        return kid, key
