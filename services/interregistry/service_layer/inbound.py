"""Messages from registries that are not hosted here, received over HTTP, signed with pinned keys.

A verified transfer request, or an acquiring registry's answer (accepted / refused) to a transfer this
registry requested, becomes the same message a hosted registry would have sent, addressed to the
receiving tenant and handled by the same consumer (which completes or reverses the transfer). The
acknowledgement says the message was received (or had been before); the decision follows as its own
message. Anything that does not verify or does not fit changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from services.events.domain.envelope import CloudEvent
from services.interregistry.domain.messages import (
    ANSWER_TYPES,
    MESSAGE_ACKNOWLEDGED,
    TRANSFER_REQUESTED,
    InvalidMessage,
    check_answer,
    check_request,
)
from services.interregistry.service_layer.ports import HostedRegistry
from services.shared.clock import SYSTEM_CLOCK, Clock


class UnknownPeer(PermissionError):
    """The message names a key this tenant has not pinned."""


class BadSignature(PermissionError):
    """The message is not a JWS, or its signature does not verify with the pinned key."""


class Misrouted(ValueError):
    """The message is signed by one registry but speaks for another, or is for another registry."""


class UnknownTransfer(LookupError):
    """The answer names no international transfer of this registry."""


class NotCounterparty(PermissionError):
    """The answer comes from a registry the transfer was not sent to."""


class TransferSettled(ValueError):
    """The transfer is no longer awaiting an answer, or another answer to it was received already."""


@dataclass(frozen=True)
class PendingTransfer:
    number: str
    acquiring_registry_id: str
    awaiting_acceptance: bool


class Transfers(Protocol):
    """This registry's international transfers, read in the receiving tenant's transaction."""

    def find(self, session: Any, tenant_id: UUID, transfer_id: UUID) -> PendingTransfer | None: ...

    def answered(self, session: Any, tenant_id: UUID, transfer_id: UUID, besides: UUID) -> bool:
        """Whether an answer other than the message `besides` was received for the transfer."""


class Signatures(Protocol):
    def sign(self, session: Any, tenant_id: UUID, registry_id: str, payload: bytes) -> str: ...

    def verify(self, session: Any, tenant_id: UUID, compact: str) -> tuple[str, bytes]: ...


class Enqueue(Protocol):
    def add_received(self, session: Any, event: CloudEvent) -> bool:
        """Add `event` to the outbox keeping its id; False when it was there already."""


@dataclass(frozen=True)
class Receipt:
    message_id: UUID
    duplicate: bool
    acknowledgement: str  # compact JWS, signed with the receiving tenant's key


@dataclass
class Inbound:
    signatures: Signatures
    enqueue: Enqueue
    transfers: Transfers
    clock: Clock = SYSTEM_CLOCK

    def receive(self, session: Any, receiver: HostedRegistry, compact: str) -> Receipt:
        peer, payload = self.signatures.verify(session, receiver.tenant_id, compact)
        message = _read(payload)
        data = message["data"]
        if message["type"] == TRANSFER_REQUESTED:
            check_request(data)
            _check_route(peer, data["transferring_registry_id"], data["acquiring_registry_id"], receiver)
        elif message["type"] in ANSWER_TYPES:
            check_answer(message["type"], data)
            _check_route(peer, data["acquiring_registry_id"], data["transferring_registry_id"], receiver)
        else:
            accepted = ", ".join((TRANSFER_REQUESTED, *ANSWER_TYPES))
            raise InvalidMessage(f"this interface takes {accepted}, not {message['type']!r}")
        # One id per peer message, so a resent message is recognised and never applied twice.
        event_id = uuid5(NAMESPACE_URL, f"interregistry:{peer}:{message['id']}")
        event = CloudEvent(
            id=event_id,
            source=f"/peers/{peer}",
            type=message["type"],
            subject=str(data["transfer_id"]),
            time=self.clock.now(),
            tenant_id=receiver.tenant_id,
            data=data,
        )
        new = self.enqueue.add_received(session, event)
        if new and message["type"] in ANSWER_TYPES:
            # Checked after the duplicate test so a resent answer is acknowledged even once it has settled
            # the transfer; a refusal raises, and the caller's transaction drops the row just added.
            self._check_answerable(session, receiver, peer, event)
        return Receipt(event_id, not new, self._acknowledge(session, receiver, message, event_id, new))

    def _check_answerable(self, session: Any, receiver: HostedRegistry, peer: str, event: CloudEvent) -> None:
        transfer_id = UUID(str(event.data["transfer_id"]))
        transfer = self.transfers.find(session, receiver.tenant_id, transfer_id)
        if transfer is None:
            raise UnknownTransfer(f"registry {receiver.registry_id} has no international transfer {transfer_id}")
        if transfer.acquiring_registry_id != peer:
            raise NotCounterparty(
                f"transfer {transfer.number} was sent to {transfer.acquiring_registry_id}, not to {peer}"
            )
        if not transfer.awaiting_acceptance or self.transfers.answered(
            session, receiver.tenant_id, transfer_id, besides=event.id
        ):
            raise TransferSettled(f"transfer {transfer.number} was answered already; this answer changes nothing")

    def _acknowledge(
        self, session: Any, receiver: HostedRegistry, message: dict[str, Any], event_id: UUID, new: bool
    ) -> str:
        acknowledgement = CloudEvent(
            id=uuid5(NAMESPACE_URL, f"ack:{event_id}"),
            source=f"/registries/{receiver.code}",
            type=MESSAGE_ACKNOWLEDGED,
            subject=str(message["id"]),
            time=self.clock.now(),
            tenant_id=receiver.tenant_id,
            data={
                "message_id": str(message["id"]),
                "transfer_id": str(message["data"]["transfer_id"]),
                "status": "received" if new else "duplicate",
            },
        )
        return self.signatures.sign(session, receiver.tenant_id, receiver.registry_id, acknowledgement.to_json())


def _check_route(peer: str, sent_by: object, sent_to: object, receiver: HostedRegistry) -> None:
    """The registry that signed must be the one the message speaks for, and this registry its addressee."""
    if sent_by != peer:
        raise Misrouted(f"signed by {peer} but sent for {sent_by}")
    if sent_to != receiver.registry_id:
        raise Misrouted(f"for registry {sent_to}, but this is {receiver.registry_id}")


def _read(payload: bytes) -> dict[str, Any]:
    try:
        message = json.loads(payload)
    except ValueError as error:
        raise InvalidMessage(f"the signed payload is not JSON: {error}") from error
    if not isinstance(message, dict) or not {"id", "type", "data"} <= message.keys():
        raise InvalidMessage("the signed payload must be a CloudEvent with id, type and data")
    if message.get("specversion") != "1.0" or not isinstance(message["data"], dict):
        raise InvalidMessage("the signed payload must be a CloudEvents 1.0 structured record with object data")
    return message
