"""What the delivery of inter-registry messages needs from the rest of the platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from services.interregistry.domain.messages import Acceptance, Refusal


@dataclass(frozen=True)
class HostedRegistry:
    tenant_id: UUID
    code: str
    party: str
    registry_id: str
    training: bool = False  # a training registry trades only with training registries


class Directory(Protocol):
    """The tenant catalogue, read only: which registries the platform hosts."""

    def by_registry_id(self, registry_id: str) -> HostedRegistry | None: ...

    def by_tenant(self, tenant_id: UUID) -> HostedRegistry | None: ...


class Ledgers(Protocol):
    """Runs a ledger command of one tenant inside the consumer's transaction of that tenant.

    A refused command changes nothing in the ledger; the transaction goes on to record the answer.
    """

    def acquire(self, session: Any, registry: HostedRegistry, request: dict[str, Any]) -> Acceptance | Refusal: ...

    def complete(self, session: Any, registry: HostedRegistry, transfer_id: UUID) -> None: ...

    def reverse(self, session: Any, registry: HostedRegistry, transfer_id: UUID, reason: str) -> None: ...


class Mailbox(Protocol):
    """Writes a message to the outbox in the caller's transaction, addressed to one tenant."""

    def send(
        self, session: Any, *, sender: HostedRegistry, to_tenant: UUID, message_type: str, data: dict[str, Any]
    ) -> None: ...


class Outbound(Protocol):
    """Signs a message to a registry not hosted here and queues it in the caller's transaction."""

    def enqueue(
        self, session: Any, *, sender: HostedRegistry, peer: str, message_type: str, data: dict[str, Any], cause: UUID
    ) -> UUID: ...
