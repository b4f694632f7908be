"""Pushing signed messages to registries that are not hosted here, until each is acknowledged.

`OutboundQueue.enqueue` signs a message and records it in the caller's transaction (the consumer's, so
a redelivered event adds nothing). `OutboundSender.send_due` claims each tenant's due messages, POSTs
them to the peer's endpoint outside any transaction, and records the verified acknowledgement or the
failure with its next attempt time (see services/interregistry/domain/outbound.py for the rules).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from services.events.domain.envelope import CloudEvent
from services.interregistry.domain.outbound import (
    NO_ENDPOINT_RECHECK,
    BadAcknowledgement,
    check_acknowledgement,
)
from services.interregistry.service_layer.inbound import BadSignature, Signatures, UnknownPeer
from services.interregistry.service_layer.ports import HostedRegistry
from services.shared.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)


class PeerUnavailable(Exception):
    """The peer did not answer in time, answered an error, or refused our credentials."""


@dataclass(frozen=True)
class Endpoint:
    """Where a peer registry takes messages (`url` + /messages) and the client credentials it gave us."""

    registry_id: str
    url: str
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None


@dataclass(frozen=True)
class DueMessage:
    tenant_id: UUID
    id: UUID
    peer_registry_id: str
    message: str  # compact JWS
    attempts: int


class OutboundStore(Protocol):
    def add(self, session: Any, tenant_id: UUID, event: CloudEvent, peer: str, compact: str) -> bool: ...

    def tenants_with_due(self, tenant_ids: Sequence[UUID], now: datetime) -> set[UUID]:
        """Those of `tenant_ids` with a pending message due by `now` (a cheap look, taking nothing)."""

    def claim_due(self, tenant_id: UUID, now: datetime, limit: int) -> list[DueMessage]:
        """Due pending messages, each held from other senders for the claim timeout."""

    def delivered(self, message: DueMessage, acknowledgement: str, ack_status: str, now: datetime) -> None: ...

    def failed(self, message: DueMessage, error: str, now: datetime) -> None: ...

    def postpone(self, message: DueMessage, reason: str, until: datetime) -> None: ...


class Endpoints(Protocol):
    def get(self, tenant_id: UUID, registry_id: str) -> Endpoint | None: ...


class Transport(Protocol):
    def post(self, endpoint: Endpoint, message_id: str, compact: str) -> str:
        """POST the message; the peer's compact JWS acknowledgement, or PeerUnavailable."""


class AckVerifier(Protocol):
    def verify(self, tenant_id: UUID, compact: str) -> tuple[str, bytes]:
        """The pinned peer registry whose key signed `compact`, and the payload."""


@dataclass
class OutboundQueue:
    signatures: Signatures
    store: OutboundStore
    clock: Clock = SYSTEM_CLOCK

    def enqueue(
        self, session: Any, *, sender: HostedRegistry, peer: str, message_type: str, data: dict[str, Any], cause: UUID
    ) -> UUID:
        """Sign and record a message to `peer`; the same cause gives the same message id, recorded once."""
        event = CloudEvent(
            id=uuid5(NAMESPACE_URL, f"interregistry-outbound:{peer}:{message_type}:{cause}"),
            source=f"/registries/{sender.code}",
            type=message_type,
            subject=str(data["transfer_id"]),
            time=self.clock.now(),
            tenant_id=sender.tenant_id,
            data=data,
        )
        compact = self.signatures.sign(session, sender.tenant_id, sender.registry_id, event.to_json())
        self.store.add(session, sender.tenant_id, event, peer, compact)
        return event.id


@dataclass
class SendStats:
    delivered: int = 0
    failed: int = 0
    postponed: int = 0


@dataclass
class OutboundSender:
    tenants: Callable[[], list[HostedRegistry]]
    store: OutboundStore
    endpoints: Endpoints
    transport: Transport
    verifier: AckVerifier
    clock: Clock = SYSTEM_CLOCK
    batch: int = 20
    stats: SendStats = field(default_factory=SendStats)

    def send_due(self) -> int:
        """One pass over every served tenant; the number of messages attempted. Only the tenants with a message
        due are claimed from (an idle pass is one look over all of them)."""
        attempted = 0
        tenants = self.tenants()
        due = self.store.tenants_with_due([tenant.tenant_id for tenant in tenants], self.clock.now())
        for tenant in tenants:
            if tenant.tenant_id not in due:
                continue
            for message in self.store.claim_due(tenant.tenant_id, self.clock.now(), self.batch):
                self.send(message)
                attempted += 1
        return attempted

    def send(self, message: DueMessage) -> None:
        endpoint = self.endpoints.get(message.tenant_id, message.peer_registry_id)
        if endpoint is None:
            reason = f"no endpoint for {message.peer_registry_id}: set one with PUT .../peers/{{peer}}/endpoint"
            self.store.postpone(message, reason, self.clock.now() + NO_ENDPOINT_RECHECK)
            self.stats.postponed += 1
            return
        try:
            compact = self.transport.post(endpoint, str(message.id), message.message)
            status = self._check(message, compact)
        except (PeerUnavailable, BadAcknowledgement) as error:
            log.warning("message %s to %s: %s", message.id, message.peer_registry_id, error)
            self.store.failed(message, str(error)[:1000], self.clock.now())
            self.stats.failed += 1
            return
        self.store.delivered(message, compact, status, self.clock.now())
        self.stats.delivered += 1

    def _check(self, message: DueMessage, compact: str) -> str:
        try:
            signer, payload = self.verifier.verify(message.tenant_id, compact)
            ack = json.loads(payload)
        except (UnknownPeer, BadSignature, ValueError) as error:
            raise BadAcknowledgement(f"acknowledgement refused: {error}") from error
        if not isinstance(ack, dict):
            raise BadAcknowledgement("acknowledgement refused: the payload is not a CloudEvent")
        return check_acknowledgement(ack, str(message.id), message.peer_registry_id, signer)
