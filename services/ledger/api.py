"""The ledger's public API: what another context may use of it, and the only ledger module it may import
(an import contract keeps it so).

- commands it may send, and the result and refusal they give;
- queries it may ask in its own tenant session (`acquisition_account`, `international_transfer`,
  `journal_check`);
- its query port, `LedgerViews` (lists, look-ups and totals of one tenant's ledger), with its `Page` and
  `TransactionFilter`;
- `JoinedLedger`, which runs a command inside a transaction the other context opened: in a savepoint, so
  a refused command rolls back only its own changes and the caller's commit makes the rest durable.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.events.adapters.outbox import OutboxWriter
from services.ledger.adapters.joined_unit_of_work import JoinedLedgerUnitOfWork
from services.ledger.adapters.public_queries import (
    InternationalTransfer,
    acquisition_account,
    international_transfer,
    journal_check,
    registry_issuances,
    registry_projects,
)
from services.ledger.bootstrap import LedgerTenant, registry_settings
from services.ledger.domain.commands import CompleteInternationalTransfer, ReverseInternationalTransfer
from services.ledger.domain.errors import CheckFailed
from services.ledger.service_layer.incoming import acquisition_from_request
from services.ledger.service_layer.messagebus import LedgerBus
from services.ledger.service_layer.results import TransactionResult
from services.ledger.service_layer.views import BlockHolding, LedgerViews, Page, TransactionFilter
from services.shared.clock import Clock
from services.shared.db.database import Database
from services.shared.messages import Command

__all__ = [
    "BlockHolding",
    "CheckFailed",
    "CompleteInternationalTransfer",
    "InternationalTransfer",
    "JoinedLedger",
    "LedgerTenant",
    "LedgerViews",
    "Page",
    "ReverseInternationalTransfer",
    "TransactionFilter",
    "TransactionResult",
    "acquisition_account",
    "acquisition_from_request",
    "international_transfer",
    "journal_check",
    "registry_issuances",
    "registry_projects",
]


class JoinedLedger:
    def __init__(self, database: Database, writer: OutboxWriter, clock: Clock) -> None:
        self.database = database
        self.writer = writer
        self.clock = clock

    def handle(self, session: Session, tenant: LedgerTenant, command: Command) -> TransactionResult:
        """Runs `command` for `tenant` in `session`, the caller's open transaction of that tenant."""
        uow = JoinedLedgerUnitOfWork(session, self.database, tenant.id, tenant.code, self.writer, self.clock)
        result = LedgerBus(uow, registry_settings(tenant), self.clock).handle(command)
        if not isinstance(result, TransactionResult):
            raise TypeError(f"{type(command).__name__} gave {type(result).__name__}, not a transaction")
        return result
