"""Steps every transaction handler shares: idempotency, numbering, routing by policy, journaling."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from services.ledger.domain import catalogue
from services.ledger.domain.counters import TRANSACTION_NUMBERS
from services.ledger.domain.errors import CheckFailed, failed
from services.ledger.domain.journal import record_after
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import Transaction, TransactionStatus, transaction_number
from services.ledger.service_layer.results import Result, StoredResult, TransactionResult, UnitRange, fingerprint
from services.ledger.service_layer.unit_of_work import AbstractLedgerUnitOfWork
from services.shared.messages import Command

R = TypeVar("R", bound=Result)


def replayed(uow: AbstractLedgerUnitOfWork, command: Command, result_type: type[R]) -> R | None:
    """The result of an earlier request with the same idempotency key, if there was one; else the key is
    claimed for this request, and a concurrent request with the key waits for its result."""
    if command.idempotency_key is None:
        return None
    stored = uow.idempotency.claim(command.idempotency_key, fingerprint(command))
    if stored is None:
        return None
    if stored.fingerprint != fingerprint(command) or not isinstance(stored.result, result_type):
        raise failed(
            catalogue.IDEMPOTENCY_KEY_MATCHES,
            f"Idempotency key {command.idempotency_key!r} was used for another request.",
            "idempotency_key",
        )
    return stored.result


def remember(uow: AbstractLedgerUnitOfWork, command: Command, result: R) -> R:
    if command.idempotency_key is not None:
        uow.idempotency.add(StoredResult(command.idempotency_key, fingerprint(command), result))
    return result


def next_transaction_number(uow: AbstractLedgerUnitOfWork, registry: RegistrySettings) -> str:
    return transaction_number(registry.party, uow.counters.take_one(TRANSACTION_NUMBERS))


def require_transaction(uow: AbstractLedgerUnitOfWork, transaction_id: UUID) -> Transaction:
    transaction = uow.transactions.get(transaction_id)
    if transaction is None:
        raise failed(catalogue.TRANSACTION_EXISTS, f"There is no transaction {transaction_id}.", "transaction_id")
    return transaction


def finish(uow: AbstractLedgerUnitOfWork, transaction: Transaction, now: datetime) -> None:
    """Append the finished transaction to the tenant's journal, then announce its outcome."""
    record = record_after(uow.journal.head(), uow.tenant_id, transaction.summary(), now)
    uow.journal.append(record)
    transaction.journaled(record.sequence, now)


def dispatch(
    uow: AbstractLedgerUnitOfWork,
    transaction: Transaction,
    registry: RegistrySettings,
    now: datetime,
    run: Callable[[], None],
) -> None:
    """After the checks passed: hold for approval, hold for a delay, or run now and journal.

    A transaction proposed without a number is written first and numbered last, just before its journal
    record: the tenant's number counter and journal head, which every transaction locks, stay locked for
    the few writes that need them, not for the whole action.
    """
    policy = registry.approval_policy
    if transaction.status is TransactionStatus.PROPOSED:
        transaction.mark_checked(now)
        if policy.requires_approval(transaction.type):
            _number(uow, transaction, registry)
            transaction.hold_for_approval(now)
            return
    delay = policy.delay_for(transaction.type)
    if delay is not None and transaction.status is not TransactionStatus.DELAYED:
        _number(uow, transaction, registry)
        transaction.delay(now + delay, now)
        return
    run()
    if not transaction.is_numbered:
        uow.write_ahead()
        _number(uow, transaction, registry)
    if transaction.is_final:
        finish(uow, transaction, now)


def _number(uow: AbstractLedgerUnitOfWork, transaction: Transaction, registry: RegistrySettings) -> None:
    if not transaction.is_numbered:
        transaction.numbered(next_transaction_number(uow, registry))


def reason(failure: CheckFailed) -> str:
    return f"{failure.code}: {failure.message}"


def result_of(transaction: Transaction, units: Iterable[UnitRange] = ()) -> TransactionResult:
    if transaction.changes:
        units = [UnitRange(change.first_itmo_id, change.last_itmo_id) for change in transaction.changes]
    return TransactionResult(
        transaction.id,
        transaction.number,
        transaction.type,
        transaction.status,
        transaction.quantity,
        tuple(units),
        transaction.execute_after,
        transaction.reason,
        transaction.journal_sequence,
    )
