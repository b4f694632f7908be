"""Messages from registries that are not hosted here, received over HTTP, signed with pinned keys.

A verified transfer request becomes the same `interregistry.transfer.requested.v1` message a hosted
registry would have sent, addressed to the receiving tenant and handled by the same consumer. The
acknowledgement says the message was received (or had been before); the decision follows as its own
message. Anything that does not verify or does not fit changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from services.events.domain.envelope import CloudEvent
from services.interregistry.domain.messages import (
    MESSAGE_ACKNOWLEDGED,
    TRANSFER_REQUESTED,
    InvalidMessage,
    check_request,
)
from services.interregistry.service_layer.ports import HostedRegistry


class UnknownPeer(PermissionError):
    """The message names a key this tenant has not pinned."""


class BadSignature(PermissionError):
    """The message is not a JWS, or its signature does not verify with the pinned key."""


class Misrouted(ValueError):
    """The message is signed by one registry but speaks for another, or is for another registry."""


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

    def receive(self, session: Any, receiver: HostedRegistry, compact: str) -> Receipt:
        peer, payload = self.signatures.verify(session, receiver.tenant_id, compact)
        message = _read(payload)
        if message["type"] != TRANSFER_REQUESTED:
            raise InvalidMessage(f"this interface takes {TRANSFER_REQUESTED}, not {message['type']!r}")
        data = message["data"]
        check_request(data)
        if data["transferring_registry_id"] != peer:
            raise Misrouted(f"signed by {peer} but sent for {data['transferring_registry_id']}")
        if data["acquiring_registry_id"] != receiver.registry_id:
            raise Misrouted(f"for registry {data['acquiring_registry_id']}, but this is {receiver.registry_id}")
        # One id per peer message, so a resent message is recognised and never applied twice.
        event_id = uuid5(NAMESPACE_URL, f"interregistry:{peer}:{message['id']}")
        event = CloudEvent(
            id=event_id,
            source=f"/peers/{peer}",
            type=TRANSFER_REQUESTED,
            subject=str(data["transfer_id"]),
            time=datetime.now(UTC),
            tenant_id=receiver.tenant_id,
            data=data,
        )
        new = self.enqueue.add_received(session, event)
        acknowledgement = CloudEvent(
            id=uuid5(NAMESPACE_URL, f"ack:{event_id}"),
            source=f"/registries/{receiver.code}",
            type=MESSAGE_ACKNOWLEDGED,
            subject=str(message["id"]),
            time=datetime.now(UTC),
            tenant_id=receiver.tenant_id,
            data={
                "message_id": str(message["id"]),
                "transfer_id": str(data["transfer_id"]),
                "status": "received" if new else "duplicate",
            },
        )
        signed = self.signatures.sign(session, receiver.tenant_id, receiver.registry_id, acknowledgement.to_json())
        return Receipt(event_id, not new, signed)


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
