"""The ledger's unit of work on SQLAlchemy: one tenant-bound database transaction per `with` block.

Locking. PostgreSQL: each repository locks with `SELECT ... FOR UPDATE` (`FOR SHARE` for `get_many`,
`SKIP LOCKED` for `due`) in the order the repository interfaces document, under READ COMMITTED.
SQLite has no row locks: the unit of work opens its transaction with `BEGIN IMMEDIATE`, taking the
database's single write lock before its first read, so ledger transactions run one after another and
none can fail later on a stale snapshot (a deferred transaction that read first and writes second gets
SQLITE_BUSY in WAL mode, which the busy timeout cannot cure).

Round trips. The repositories hand their statements to one `SqlStatements` (`services/shared/db/statements.py`): on
PostgreSQL the writes of a flush travel in one pipeline, and the commit carries the last writes, the
outbox rows and the COMMIT in one more.
"""

from collections.abc import Mapping, Sequence
from typing import Self
from uuid import UUID

from sqlalchemy import Connection

from services.events.adapters.outbox import NewEvent, OutboxWriter
from services.ledger.adapters.controls import SqlControlRepository
from services.ledger.adapters.journal import SqlJournalRepository
from services.ledger.adapters.repository import (
    SqlAccountRepository,
    SqlAuthorizationRepository,
    SqlBlockRepository,
    SqlCounterRepository,
    SqlIdempotencyRepository,
    SqlReferenceDataRepository,
)
from services.ledger.adapters.transactions import SqlTransactionRepository
from services.ledger.domain.counters import TRANSACTION_NUMBERS
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork, Guard
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.shared.db.statements import SqlStatements, statements_on
from services.shared.messages import Event


def subject_of(event: Event, data: Mapping[str, object] | None = None) -> str:
    """The id the event is about: the first `..._id` field of its data (the transaction, account, ...)."""
    data = event.to_data() if data is None else data
    return next((str(value) for name, value in data.items() if name.endswith("_id") and value is not None), "")


class SqlAlchemyLedgerUnitOfWork(AbstractLedgerUnitOfWork):
    def __init__(
        self,
        database: Database,
        tenant_id: UUID,
        tenant_code: str,
        outbox_writer: OutboxWriter,
        guards: Sequence[Guard] = (),
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.database, self.tenant_id, self.guards, self.clock = database, tenant_id, guards, clock
        self.tenant_code, self.outbox_writer = tenant_code, outbox_writer
        self.connection: Connection | None = None
        self.statements: SqlStatements | None = None

    def __enter__(self) -> Self:
        """A tenant-bound connection, not an ORM session: every ledger statement is Core, and a session's
        bookkeeping cost each unit of work more than its BEGIN."""
        if self.statements is not None:
            raise RuntimeError("the ledger unit of work is already open")
        connection, scope = self.database.connect(self.tenant_id)
        self.connection, statements = connection, statements_on(connection)
        if scope is not None:  # sent with the first read, in its round trip
            statements.write_driver_sql(*scope)
        if not self.database.is_postgres:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        self._open_repositories(statements)
        self._check_guards()
        return self

    def _open_repositories(self, statements: SqlStatements) -> None:
        tenant, self.statements = self.tenant_id, statements
        # Kept under their concrete types too: flush() needs the adapters' own methods.
        self._sql_accounts = SqlAccountRepository(statements, tenant, self.flush)
        self._sql_blocks = SqlBlockRepository(statements, tenant, self.flush)
        self._sql_authorizations = SqlAuthorizationRepository(statements, tenant, self.flush)
        self._sql_transactions = SqlTransactionRepository(statements, tenant, self.flush)
        self._sql_journal = SqlJournalRepository(statements, tenant)
        self._sql_counters = SqlCounterRepository(statements, tenant, self.flush)
        self._sql_reference = SqlReferenceDataRepository(statements, tenant, self.flush)
        self._sql_controls = SqlControlRepository(statements, tenant, self.flush)
        self.accounts = self._sql_accounts
        self.blocks = self._sql_blocks
        self.authorizations = self._sql_authorizations
        self.transactions = self._sql_transactions
        self.counters = self._sql_counters
        self.journal = self._sql_journal
        self.reference = self._sql_reference
        self.controls = self._sql_controls
        self.idempotency = SqlIdempotencyRepository(statements, tenant, self.clock)

    def flush(self) -> None:
        """Write every change so far, parents before children: the next query sees them."""
        self._queue_changes()
        if self.statements is not None:
            self.statements.send()

    def _queue_changes(self) -> None:
        self._sql_reference.flush_changes()
        self._sql_authorizations.rows.flush()
        self._sql_accounts.rows.flush()
        self._sql_controls.flush_changes()
        self._sql_transactions.flush_changes()
        self._sql_blocks.rows.flush()
        self._sql_counters.rows.flush()
        self._sql_journal.flush()

    def _write_ahead(self) -> None:
        if self.statements is not None:
            self.flush()

    def _take_transaction_sequence(self) -> int:
        """The number counter and the journal head, which the transaction's record needs next, locked in one
        round trip: both serialize the tenant's transactions, so they are held one trip less."""
        counters, journal = self._sql_counters, self._sql_journal
        if self.statements is None or counters.is_loaded(TRANSACTION_NUMBERS) or journal.head_is_locked:
            return super()._take_transaction_sequence()
        taken, head = self.statements.read_together(
            [counters.take_one_statement(TRANSACTION_NUMBERS), journal.lock_head()]
        )
        journal.head_locked(head)
        return int(taken["taken"])

    def _commit(self, events: Sequence[Event]) -> None:
        if self.connection is None or self.statements is None:
            raise RuntimeError("commit outside `with uow`")
        self._queue_changes_and_events(self.statements, events)
        self.statements.commit()
        self.connection.commit()
        self._close()

    def _queue_changes_and_events(self, statements: SqlStatements, events: Sequence[Event]) -> None:
        """Queue the last changes and the events' outbox rows behind them, for the commit to send."""
        self._queue_changes()
        new_events = []
        for event in events:
            data = event.to_data()
            journal_seq = getattr(event, "journal_sequence", None)
            new_events.append(NewEvent(event.type, data, subject_of(event, data), journal_seq))
        _, rows = self.outbox_writer.rows(tenant_id=self.tenant_id, registry=self.tenant_code, events=new_events)
        if rows:
            statements.write(self.outbox_writer.insert_rows, rows)

    def rollback(self) -> None:
        if self.connection is not None:
            if self.statements is not None:
                self.statements.discard()
            self.connection.rollback()
            self._close()

    def _close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = self.statements = None
