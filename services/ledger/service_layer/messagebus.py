"""The ledger's bus: every command of one tenant runs in one unit of work that the bus opens, keys and commits."""

from dataclasses import dataclass

from services.ledger.domain import catalogue
from services.ledger.domain.errors import failed
from services.ledger.domain.registry import RegistrySettings
from services.ledger.service_layer.handlers import HANDLERS, UNKEYED
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import BatchResult, Result, StoredResult, fingerprint
from services.shared.clock import Clock
from services.shared.messages import Command


@dataclass
class LedgerBus:
    """Hands each command to its handler inside one database transaction, and answers a request seen
    before (same idempotency key) with its first result. Events leave through the outbox, not this bus."""

    uow: AbstractLedgerUnitOfWork
    registry: RegistrySettings
    clock: Clock

    def handle(self, command: Command) -> Result | BatchResult:
        handler = HANDLERS[type(command)]
        key = None if type(command) in UNKEYED else command.idempotency_key
        with self.uow:
            if key is not None and (replay := replayed(self.uow, key, command)) is not None:
                return replay
            result: Result | BatchResult = handler(command, self.uow, self.registry, self.clock)
            if key is not None and not isinstance(result, BatchResult):
                self.uow.idempotency.add(StoredResult(key, fingerprint(command), result))
            self.uow.commit()
            return result


def replayed(uow: AbstractLedgerUnitOfWork, key: str, command: Command) -> Result | None:
    """The result of an earlier request with the same idempotency key, if there was one; else the key is
    claimed for this request, and a concurrent request with the key waits for its result."""
    stored = uow.idempotency.claim(key, fingerprint(command))
    if stored is None:
        return None
    if stored.fingerprint != fingerprint(command):
        raise failed(
            catalogue.IDEMPOTENCY_KEY_MATCHES,
            f"Idempotency key {key!r} was used for another request.",
            "idempotency_key",
        )
    return stored.result
