"""The SQL journal: rows are only ever inserted (the app role cannot update or delete them on PostgreSQL).

A one-row-per-tenant head (`ledger_journal_heads`) holds the last sequence and hash; `head()` (and
`last()`) lock it, so appends of one tenant are serialized even while the chain is still empty.
Appended records and the head's new value are written at the unit of work's next flush, which at the
latest is right before commit: the head stays locked for as few round trips as possible.
"""

from typing import Any
from uuid import UUID

from sqlalchemy import Executable, bindparam, insert, update
from sqlalchemy.orm import Session

from services.ledger.adapters import tables
from services.ledger.domain.journal import GENESIS_HASH, JournalRecord
from services.ledger.service_layer import ports
from services.shared.db.statements import SqlStatements
from services.shared.db.tracking import Row, lock_or_create, lock_or_create_statement

_HEADS = tables.journal_heads
_APPEND = insert(tables.journal)
_MOVE_HEAD = (
    update(_HEADS)
    .where(_HEADS.c.tenant_id == bindparam("key_tenant_id"))
    .values(sequence=bindparam("sequence"), record_hash=bindparam("record_hash"))
)


def record_from(r: Any) -> JournalRecord:
    return JournalRecord(
        r["sequence"], r["tenant_id"], r["recorded_at"], r["payload"], r["previous_hash"], r["record_hash"]
    )


class SqlJournalRepository(ports.JournalRepository):
    def __init__(self, statements: SqlStatements | Session, tenant_id: UUID) -> None:
        """With the unit of work's statements, or on a session (`registry journal verify` reads with one)."""
        if isinstance(statements, Session):
            statements = SqlStatements(statements.connection())
        self.statements, self.tenant_id = statements, tenant_id
        self._head: tuple[int, str] | None = None
        self.pending: list[JournalRecord] = []

    def head(self) -> tuple[int, str]:
        if self._head is None:
            row = lock_or_create(self.statements, _HEADS, self._genesis(), ())
            self._head = row["sequence"], row["record_hash"]
        return self._head

    @property
    def head_is_locked(self) -> bool:
        return self._head is not None

    def lock_head(self) -> tuple[Executable, Row]:
        """The statement that locks the head (creating it at genesis), for a caller that runs it with others."""
        values = self._genesis()
        return lock_or_create_statement(self.statements, _HEADS, values, ()), values

    def head_locked(self, row: Row) -> None:
        self._head = row["sequence"], row["record_hash"]

    def _genesis(self) -> Row:
        return {"tenant_id": self.tenant_id, "sequence": 0, "record_hash": GENESIS_HASH}

    def last(self) -> JournalRecord | None:
        sequence, _ = self.head()
        if self.pending:
            return self.pending[-1]
        found = self.records(sequence) if sequence else []
        return found[0] if found else None

    def append(self, record: JournalRecord) -> None:
        sequence, head_hash = self.head()
        if record.sequence != sequence + 1 or record.previous_hash != head_hash:
            raise ValueError(f"journal sequence {record.sequence} is not next")
        self.pending.append(record)
        self._head = record.sequence, record.record_hash

    def flush(self) -> None:
        """Write the records appended since the last flush and move the head past them."""
        if not self.pending:
            return
        rows = [
            {
                "tenant_id": self.tenant_id,
                "sequence": r.sequence,
                "recorded_at": r.recorded_at,
                "payload": r.payload,
                "previous_hash": r.previous_hash,
                "record_hash": r.record_hash,
            }
            for r in self.pending
        ]
        self.statements.write(_APPEND, rows)
        last = self.pending[-1]
        head = {"key_tenant_id": self.tenant_id, "sequence": last.sequence, "record_hash": last.record_hash}
        self.statements.write(_MOVE_HEAD, head)
        self.pending.clear()

    def records(self, from_sequence: int = 1) -> list[JournalRecord]:
        self.flush()
        j = tables.journal
        statement = j.select().where(j.c.tenant_id == self.tenant_id, j.c.sequence >= from_sequence)
        found = self.statements.execute(statement.order_by(j.c.sequence)).mappings()
        return [record_from(r) for r in found]

    def discard(self) -> None:
        self._head = None
        self.pending.clear()
