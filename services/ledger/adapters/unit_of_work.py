"""The ledger's unit of work on SQLAlchemy: one tenant-bound database transaction per `with` block.

Locking. PostgreSQL: each repository locks with `SELECT ... FOR UPDATE` (`FOR SHARE` for `get_many`,
`SKIP LOCKED` for `due`) in the order the repository interfaces document, under READ COMMITTED.
SQLite has no row locks: the unit of work opens its transaction with `BEGIN IMMEDIATE`, taking the
database's single write lock before its first read, so ledger transactions run one after another and
none can fail later on a stale snapshot (a deferred transaction that read first and writes second gets
SQLITE_BUSY in WAL mode, which the busy timeout cannot cure).
"""

from collections.abc import Mapping, Sequence
from typing import Self
from uuid import UUID

from sqlalchemy.orm import Session

from services.events.adapters.outbox import NewEvent, OutboxWriter
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
from services.ledger.service_layer.unit_of_work import AbstractLedgerUnitOfWork
from services.shared.messages import Event
from tenants.adapters.database import Database


def subject_of(event: Event, data: Mapping[str, object] | None = None) -> str:
    """The id the event is about: the first `..._id` field of its data (the transaction, account, ...)."""
    data = event.to_data() if data is None else data
    return next((str(value) for name, value in data.items() if name.endswith("_id") and value is not None), "")


class SqlAlchemyLedgerUnitOfWork(AbstractLedgerUnitOfWork):
    def __init__(self, database: Database, tenant_id: UUID, registry_code: str, outbox_writer: OutboxWriter) -> None:
        self.database, self.tenant_id = database, tenant_id
        self.registry_code, self.outbox_writer = registry_code, outbox_writer
        self.session: Session | None = None

    def __enter__(self) -> Self:
        if self.session is not None:
            raise RuntimeError("the ledger unit of work is already open")
        session = self.session = self.database.session(self.tenant_id)
        session.begin()
        if not self.database.is_postgres:
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        tenant, connection = self.tenant_id, session.connection()
        # Kept under their concrete types too: flush() needs the adapters' own methods.
        self._sql_accounts = SqlAccountRepository(connection, tenant, self.flush)
        self._sql_blocks = SqlBlockRepository(connection, tenant, self.flush)
        self._sql_authorizations = SqlAuthorizationRepository(connection, tenant, self.flush)
        self._sql_transactions = SqlTransactionRepository(connection, tenant, self.flush)
        self._sql_counters = SqlCounterRepository(connection, tenant, self.flush)
        self._sql_reference = SqlReferenceDataRepository(connection, tenant, self.flush)
        self.accounts = self._sql_accounts
        self.blocks = self._sql_blocks
        self.authorizations = self._sql_authorizations
        self.transactions = self._sql_transactions
        self.counters = self._sql_counters
        self.journal = self._sql_journal = SqlJournalRepository(connection, tenant)
        self.reference = self._sql_reference
        self.idempotency = SqlIdempotencyRepository(connection, tenant)
        return self

    def flush(self) -> None:
        """Write every change so far, parents before children: the next query sees them."""
        self._sql_reference.flush_changes()
        self._sql_authorizations.rows.flush()
        self._sql_accounts.rows.flush()
        self._sql_transactions.flush_changes()
        self._sql_blocks.rows.flush()
        self._sql_counters.rows.flush()
        self._sql_journal.flush()

    def write_ahead(self) -> None:
        if self.session is not None:
            self.flush()

    def _commit(self, events: Sequence[Event]) -> None:
        if self.session is None:
            raise RuntimeError("commit outside `with uow`")
        self.flush()
        new_events = []
        for event in events:
            data = event.to_data()
            journal_seq = getattr(event, "journal_sequence", None)
            new_events.append(NewEvent(event.type, data, subject_of(event, data), journal_seq))
        self.outbox_writer.add_all(
            self.session, tenant_id=self.tenant_id, registry=self.registry_code, events=new_events
        )
        self.session.commit()
        self._close()

    def rollback(self) -> None:
        if self.session is not None:
            self.session.rollback()
            self._close()

    def _close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None
