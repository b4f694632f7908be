"""The ledger's SQL unit of work, joined to a transaction another context opened (inter-registry's consumer).

It works inside a SAVEPOINT: a refused command rolls back only its own changes, and the consumer's
transaction goes on to write its answer and its processed mark; a committed command releases the
savepoint, and the consumer's commit makes everything durable at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self
from uuid import UUID

from sqlalchemy.orm import Session, SessionTransaction

from services.events.adapters.outbox import OutboxWriter
from services.ledger.adapters.unit_of_work import SqlAlchemyLedgerUnitOfWork
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.shared.db.statements import statements_on
from services.shared.messages import Event


class JoinedLedgerUnitOfWork(SqlAlchemyLedgerUnitOfWork):
    def __init__(
        self,
        outer: Session,
        database: Database,
        tenant_id: UUID,
        tenant_code: str,
        writer: OutboxWriter,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__(database, tenant_id, tenant_code, writer, clock=clock)
        self.session: Session | None = None
        if outer.info.get("tenant_id") != tenant_id:
            raise RuntimeError("the consumer's transaction belongs to another tenant than this ledger")
        self.outer = outer
        self.savepoint: SessionTransaction | None = None

    def __enter__(self) -> Self:
        if self.session is not None:
            raise RuntimeError("the ledger unit of work is already open")
        self.savepoint = self.outer.begin_nested()
        session = self.session = self.outer
        self._open_repositories(statements_on(session.connection()))
        return self

    def _commit(self, events: Sequence[Event]) -> None:
        if self.session is None or self.savepoint is None or self.statements is None:
            raise RuntimeError("commit outside `with uow`")
        self._queue_changes_and_events(self.statements, events)
        self.statements.send()
        self.savepoint.commit()
        self.session = self.savepoint = self.statements = None

    def rollback(self) -> None:
        if self.statements is not None:
            self.statements.discard()
        if self.savepoint is not None and self.savepoint.is_active:
            self.savepoint.rollback()
        self.session = self.savepoint = self.statements = None
