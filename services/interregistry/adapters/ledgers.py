"""The ledger commands delivery needs, run in the consumer's transaction of the tenant concerned.

Where B records an acquisition: the account the request names by number (`acquiring_account_number`,
which external registries may send), else B's oldest open Party holding account. Without either the
transfer is refused with `no_acquisition_account`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from services.events.adapters.outbox import OutboxWriter
from services.interregistry.domain.messages import Acceptance, Refusal
from services.interregistry.service_layer.ports import HostedRegistry
from services.ledger.api import (
    CheckFailed,
    CompleteInternationalTransfer,
    JoinedLedger,
    LedgerTenant,
    ReverseInternationalTransfer,
    TransactionResult,
    acquisition_account,
    acquisition_from_request,
)
from services.shared.clock import Clock
from services.shared.db.database import Database
from services.shared.messages import Command

# The actor the ledger records for what another registry's message caused.
INTERREGISTRY_ACTOR = UUID("00000000-0000-7000-8000-00000000e0e1")


class SqlLedgers:
    def __init__(
        self, database: Database, writer: OutboxWriter, clock: Clock, tenant: Callable[[UUID], LedgerTenant]
    ) -> None:
        self.ledger = JoinedLedger(database, writer, clock)
        self.clock = clock
        self.tenant = tenant

    def acquire(self, session: Session, registry: HostedRegistry, request: dict[str, Any]) -> Acceptance | Refusal:
        account = acquisition_account(session, registry.tenant_id, request.get("acquiring_account_number"))
        if account is None:
            return Refusal(
                "no_acquisition_account",
                f"registry {registry.registry_id} has no open Party holding account to receive the units",
            )
        account_id, number = account
        try:
            command = acquisition_from_request(
                request, actor_id=INTERREGISTRY_ACTOR, account_id=account_id, accepted_at=self.clock.now()
            )
        except (KeyError, ValueError, TypeError) as error:
            return Refusal("unreadable_request", f"the transfer request cannot be read: {error!r}"[:500])
        try:
            result = self._run(session, registry, command)
        except CheckFailed as failure:
            return Refusal(failure.code, failure.message)
        return Acceptance(str(result.transaction_id), result.number, number)

    def complete(self, session: Session, registry: HostedRegistry, transfer_id: UUID) -> None:
        self._run(
            session,
            registry,
            CompleteInternationalTransfer(
                actor_id=INTERREGISTRY_ACTOR, transaction_id=transfer_id, idempotency_key=f"interregistry:{transfer_id}"
            ),
        )

    def reverse(self, session: Session, registry: HostedRegistry, transfer_id: UUID, reason: str) -> None:
        self._run(
            session,
            registry,
            ReverseInternationalTransfer(
                actor_id=INTERREGISTRY_ACTOR,
                transaction_id=transfer_id,
                reason=reason[:500],
                idempotency_key=f"interregistry:{transfer_id}",
            ),
        )

    def _run(self, session: Session, registry: HostedRegistry, command: Command) -> TransactionResult:
        return self.ledger.handle(session, self.tenant(registry.tenant_id), command)
