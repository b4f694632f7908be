from dataclasses import dataclass

from services.ledger.domain.registry import RegistrySettings
from services.ledger.service_layer.handlers import HANDLERS
from services.ledger.service_layer.results import BatchResult, RecordResult, TransactionResult
from services.ledger.service_layer.unit_of_work import AbstractLedgerUnitOfWork
from services.shared.clock import Clock
from services.shared.messages import Command


@dataclass
class LedgerBus:
    """Hands each command of one tenant to its handler. Events leave through the outbox, not this bus."""

    uow: AbstractLedgerUnitOfWork
    registry: RegistrySettings
    clock: Clock

    def handle(self, command: Command) -> TransactionResult | RecordResult | BatchResult:
        handler = HANDLERS[type(command)]
        result: TransactionResult | RecordResult | BatchResult = handler(command, self.uow, self.registry, self.clock)
        return result
