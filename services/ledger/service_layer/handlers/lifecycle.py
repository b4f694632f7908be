"""Handlers that move held transactions on: approve, reject, cancel, and execute those whose delay passed."""

from services.ledger.domain.commands import (
    ApproveTransaction,
    CancelTransaction,
    ExecuteDueTransactions,
    RejectTransaction,
)
from services.ledger.domain.movements import release
from services.ledger.domain.registry import RegistrySettings
from services.ledger.service_layer.handlers.actions import resume
from services.ledger.service_layer.handlers.common import finish, require_transaction, result_of
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import BatchResult, TransactionResult
from services.shared.clock import Clock


def approve_transaction(
    cmd: ApproveTransaction, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    now = clock.now()
    transaction = require_transaction(uow, cmd.transaction_id)
    transaction.approve(cmd.actor_id, now)
    return resume(uow, transaction, registry, now)


def reject_transaction(
    cmd: RejectTransaction, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    now = clock.now()
    transaction = require_transaction(uow, cmd.transaction_id)
    transaction.reject(cmd.actor_id, now, cmd.reason)
    release(uow.blocks.reserved_by(transaction.id))
    finish(uow, transaction, registry, now)
    return result_of(transaction)


def cancel_transaction(
    cmd: CancelTransaction, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    now = clock.now()
    transaction = require_transaction(uow, cmd.transaction_id)
    transaction.cancel(cmd.actor_id, now, cmd.reason)
    release(uow.blocks.reserved_by(transaction.id))
    finish(uow, transaction, registry, now)
    return result_of(transaction)


def execute_due_transactions(
    cmd: ExecuteDueTransactions, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> BatchResult:
    now = clock.now()
    results = tuple(resume(uow, transaction, registry, now) for transaction in uow.transactions.due(now))
    return BatchResult(results)
