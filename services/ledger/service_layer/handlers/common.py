"""Steps every transaction handler shares: finding a transaction, journaling it, answering with it."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from services.ledger.domain import catalogue
from services.ledger.domain.errors import CheckFailed, failed
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import Transaction
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import TransactionResult, UnitRange


def require_transaction(uow: AbstractLedgerUnitOfWork, transaction_id: UUID) -> Transaction:
    transaction = uow.transactions.get(transaction_id)
    if transaction is None:
        raise failed(catalogue.TRANSACTION_EXISTS, f"There is no transaction {transaction_id}.", "transaction_id")
    return transaction


def finish(uow: AbstractLedgerUnitOfWork, transaction: Transaction, registry: RegistrySettings, now: datetime) -> None:
    """Append the finished transaction to the tenant's journal, then announce its outcome."""
    uow.record_transaction(transaction, registry.party, now)


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
