"""The SQL journal: rows are only ever inserted (the app role cannot update or delete them on PostgreSQL).

A one-row-per-tenant head (`ledger_journal_heads`) holds the last sequence and hash; `last()` locks it,
so appends of one tenant are serialized even while the chain is still empty.
"""

from typing import Any
from uuid import UUID

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from services.ledger.adapters import orm
from services.ledger.adapters.repository import insert_missing
from services.ledger.domain.journal import GENESIS_HASH, JournalRecord
from services.ledger.service_layer import repositories


def record_from(r: Any) -> JournalRecord:
    return JournalRecord(
        r["sequence"], r["tenant_id"], r["recorded_at"], r["payload"], r["previous_hash"], r["record_hash"]
    )


class SqlJournalRepository(repositories.JournalRepository):
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id
        self.head: tuple[int, str] | None = None

    def _lock_head(self) -> tuple[int, str]:
        if self.head is None:
            heads = orm.journal_heads
            insert_missing(
                self.session, heads, {"tenant_id": self.tenant_id, "sequence": 0, "record_hash": GENESIS_HASH}
            )
            row = (
                self.session.execute(heads.select().where(heads.c.tenant_id == self.tenant_id).with_for_update())
                .mappings()
                .one()
            )
            self.head = row["sequence"], row["record_hash"]
        return self.head

    def last(self) -> JournalRecord | None:
        sequence, _ = self._lock_head()
        found = self.records(sequence) if sequence else []
        return found[0] if found else None

    def append(self, record: JournalRecord) -> None:
        sequence, head_hash = self._lock_head()
        if record.sequence != sequence + 1 or record.previous_hash != head_hash:
            raise ValueError(f"journal sequence {record.sequence} is not next")
        self.session.execute(
            insert(orm.journal).values(
                tenant_id=self.tenant_id,
                sequence=record.sequence,
                recorded_at=record.recorded_at,
                payload=record.payload,
                previous_hash=record.previous_hash,
                record_hash=record.record_hash,
            )
        )
        heads = orm.journal_heads
        self.session.execute(
            update(heads)
            .where(heads.c.tenant_id == self.tenant_id)
            .values(sequence=record.sequence, record_hash=record.record_hash)
        )
        self.head = record.sequence, record.record_hash

    def records(self, from_sequence: int = 1) -> list[JournalRecord]:
        j = orm.journal
        statement = j.select().where(j.c.tenant_id == self.tenant_id, j.c.sequence >= from_sequence)
        return [record_from(r) for r in self.session.execute(statement.order_by(j.c.sequence)).mappings()]

    def discard(self) -> None:
        self.head = None
