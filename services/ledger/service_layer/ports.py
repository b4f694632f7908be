"""The ledger's ports, under the name every context gives them: the repositories (`repositories.py`, with
the lock order) and the unit of work (`unit_of_work.py`) that holds them."""

from services.ledger.service_layer.repositories import (
    AccountRepository,
    AuthorizationRepository,
    BlockRepository,
    ControlRepository,
    CounterRepository,
    IdempotencyRepository,
    JournalRepository,
    ReferenceDataRepository,
    TrackingRepository,
    TransactionRepository,
)
from services.ledger.service_layer.unit_of_work import AbstractLedgerUnitOfWork, Guard

__all__ = [
    "AbstractLedgerUnitOfWork",
    "AccountRepository",
    "AuthorizationRepository",
    "BlockRepository",
    "ControlRepository",
    "CounterRepository",
    "Guard",
    "IdempotencyRepository",
    "JournalRepository",
    "ReferenceDataRepository",
    "TrackingRepository",
    "TransactionRepository",
]
