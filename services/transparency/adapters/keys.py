"""The registry's checkpoint keys and signed checkpoints in SQL, on a tenant-bound session."""

import base64
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, Table, insert, select, update
from sqlalchemy.orm import Session

from services.transparency.adapters.tables import checkpoints, keys
from services.transparency.domain.keys import LogKey, SignedCheckpoint


class SqlKeyRing:
    """The registry's checkpoint keys, or (`table=witness_keys`) its keys as a witness."""

    def __init__(self, session: Session, tenant_id: UUID, table: Table = keys) -> None:
        self.session, self.tenant_id, self.table = session, tenant_id, table

    def history(self) -> list[LogKey]:
        keys, k = self.table, self.table.c
        statement = select(keys).where(k.tenant_id == self.tenant_id).order_by(k.created_at, k.key_id)
        return [
            LogKey(r.key_id, r.name, base64.b64decode(r.public_key), r.created_at, r.retired_at)
            for r in self.session.execute(statement)
        ]

    def private_key(self, key_id: str) -> bytes:
        k = self.table.c
        statement = select(k.private_key_encrypted).where(k.tenant_id == self.tenant_id, k.key_id == key_id)
        return str(self.session.execute(statement).scalar_one()).encode()

    def add(self, key: LogKey, private_encrypted: bytes) -> None:
        row = {
            "tenant_id": self.tenant_id,
            "key_id": key.key_id,
            "name": key.name,
            "public_key": base64.b64encode(key.public_key).decode(),
            "private_key_encrypted": private_encrypted.decode(),
            "created_at": key.created_at,
        }
        self.session.execute(insert(self.table), row)

    def retire(self, key_id: str, at: datetime) -> None:
        where = (self.table.c.tenant_id == self.tenant_id) & (self.table.c.key_id == key_id)
        self.session.execute(update(self.table).where(where).values(retired_at=at))


class SqlCheckpointStore:
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id

    def _select(self) -> Select[Any]:
        return select(checkpoints).where(checkpoints.c.tenant_id == self.tenant_id)

    def latest(self) -> SignedCheckpoint | None:
        c = checkpoints.c
        row = self.session.execute(self._select().order_by(c.size.desc(), c.signed_at.desc()).limit(1)).first()
        return None if row is None else SignedCheckpoint(row.size, row.key_id, row.note, row.signed_at)

    def of_size(self, size: int) -> SignedCheckpoint | None:
        """The latest checkpoint signed at a tree size."""
        c = checkpoints.c
        row = self.session.execute(self._select().where(c.size == size).order_by(c.signed_at.desc()).limit(1)).first()
        return None if row is None else SignedCheckpoint(row.size, row.key_id, row.note, row.signed_at)

    def find(self, size: int, key_id: str) -> SignedCheckpoint | None:
        c = checkpoints.c
        row = self.session.execute(self._select().where(c.size == size, c.key_id == key_id)).first()
        return None if row is None else SignedCheckpoint(row.size, row.key_id, row.note, row.signed_at)

    def add(self, checkpoint: SignedCheckpoint) -> None:
        row = {"tenant_id": self.tenant_id, **vars(checkpoint)}
        self.session.execute(insert(checkpoints), row)
