import abc
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Self
from uuid import UUID

from services.ledger.domain.counters import TRANSACTION_NUMBERS
from services.ledger.domain.journal import record_after
from services.ledger.domain.transactions import Transaction, transaction_number
from services.ledger.service_layer.repositories import (
    AccountRepository,
    AuthorizationRepository,
    BlockRepository,
    ControlRepository,
    CounterRepository,
    IdempotencyRepository,
    JournalRepository,
    ReferenceDataRepository,
    TransactionRepository,
)
from services.shared.messages import Event


class AbstractLedgerUnitOfWork(abc.ABC):
    """One database transaction of one tenant: `with uow: ...; uow.commit()`.

    Leaving the block without `commit()` rolls everything back. `commit()` saves every change and
    writes the events the aggregates recorded to the outbox, atomically.
    """

    tenant_id: UUID
    guards: Sequence["Guard"] = ()
    accounts: AccountRepository
    blocks: BlockRepository
    authorizations: AuthorizationRepository
    transactions: TransactionRepository
    counters: CounterRepository
    journal: JournalRepository
    reference: ReferenceDataRepository
    idempotency: IdempotencyRepository
    controls: ControlRepository

    def __enter__(self) -> Self:
        return self

    def _check_guards(self) -> None:
        """Run the caller's guards first thing in the transaction just opened (an adapter's `__enter__` calls
        this): what they read is what the command then works on, and a guard that raises leaves nothing open."""
        try:
            for guard in self.guards:
                guard(self)
        except BaseException:
            self.rollback()
            raise

    def __exit__(self, *exc: object) -> None:
        self.rollback()

    def commit(self) -> None:
        self._commit(list(self.collect_new_events()))

    def collect_new_events(self) -> Iterator[Event]:
        """Events recorded since the last collection: reference data first, transactions last."""
        for repository in (self.reference, self.authorizations, self.accounts, self.controls, self.transactions):
            for aggregate in repository.seen:
                while aggregate.events:
                    yield aggregate.events.pop(0)

    def take_transaction_number(self, party: str) -> str:
        """The tenant's next transaction number. It locks the number counter and the journal head, which
        every transaction of the tenant takes, until commit."""
        return transaction_number(party, self._take_transaction_sequence())

    def record_transaction(
        self,
        transaction: Transaction,
        party: str,
        now: datetime,
        step: Callable[[], None] = lambda: None,
        *,
        write_ahead: bool = False,
    ) -> None:
        """The one place a transaction is numbered and journaled: number it if it has no number yet, take
        `step` (which records its events, under that number), then, if it ended, append its record to the
        tenant's journal and announce its outcome.

        With `write_ahead`, the changes made so far are written before the number is taken, so the
        tenant-wide locks are held only for the writes of `step` and the journal's.
        """
        if not transaction.is_numbered:
            if write_ahead:
                self._write_ahead()
            transaction.numbered(self.take_transaction_number(party))
        step()
        if transaction.is_final:
            record = record_after(self.journal.head(), self.tenant_id, transaction.summary(), now)
            self.journal.append(record)
            transaction.journaled(record.sequence, now)

    def _take_transaction_sequence(self) -> int:
        return self.counters.take_one(TRANSACTION_NUMBERS)

    def _write_ahead(self) -> None:
        """Write the changes made so far (a store where writing costs nothing need not)."""
        return None

    @abc.abstractmethod
    def _commit(self, events: Sequence[Event]) -> None:
        """Save every change and add `events` to the outbox, in one database transaction."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Discard every change not committed; harmless after a commit."""


Guard = Callable[[AbstractLedgerUnitOfWork], None]
"""A check of the caller's own (who may act on what) that runs inside the command's transaction."""
