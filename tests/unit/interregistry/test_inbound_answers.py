"""Which answers from an external acquiring registry the inbound interface takes, with fakes for storage."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events.domain.envelope import CloudEvent
from services.interregistry.domain.messages import InvalidMessage, check_answer
from services.interregistry.service_layer.inbound import (
    Inbound,
    Misrouted,
    NotCounterparty,
    PendingTransfer,
    TransferSettled,
    UnknownTransfer,
)
from services.interregistry.service_layer.ports import HostedRegistry

A = HostedRegistry(uuid4(), "aaa", "AAA", "AAA01")
TRANSFER = uuid4()


@dataclass
class FakeSignatures:
    peer: str = "BBB01"

    def sign(self, session: Any, tenant_id: UUID, registry_id: str, payload: bytes) -> str:
        return payload.decode()

    def verify(self, session: Any, tenant_id: UUID, compact: str) -> tuple[str, bytes]:
        return self.peer, compact.encode()


@dataclass
class FakeOutbox:
    events: dict[UUID, CloudEvent] = field(default_factory=dict)

    def add_received(self, session: Any, event: CloudEvent) -> bool:
        return self.events.setdefault(event.id, event) is event


@dataclass
class FakeTransfers:
    known: dict[UUID, PendingTransfer] = field(default_factory=dict)
    answered_already: bool = False

    def find(self, session: Any, tenant_id: UUID, transfer_id: UUID) -> PendingTransfer | None:
        return self.known.get(transfer_id)

    def answered(self, session: Any, tenant_id: UUID, transfer_id: UUID, besides: UUID) -> bool:
        return self.answered_already


def inbound(transfer: PendingTransfer | None = None, **transfers: Any) -> Inbound:
    known = {TRANSFER: transfer or PendingTransfer("T-1", "BBB01", awaiting_acceptance=True)}
    return Inbound(FakeSignatures(), FakeOutbox(), FakeTransfers(known, **transfers))


def answer(kind: str = "accepted", message_id: str = "m-1", **data: Any) -> str:
    body = {"transfer_id": str(TRANSFER), "transaction_number": "T-1"}
    body |= {"transferring_registry_id": "AAA01", "acquiring_registry_id": "BBB01"}
    if kind == "refused":
        body |= {"code": "closed", "reason": "the account is closed"}
    message = {"specversion": "1.0", "id": message_id, "type": f"interregistry.transfer.{kind}.v1"}
    return json.dumps(message | {"data": body | data})


@pytest.mark.parametrize("kind", ["accepted", "refused"])
def test_an_answer_is_queued_once_as_the_message_a_hosted_registry_would_send(kind: str) -> None:
    receiver = inbound()

    first = receiver.receive(None, A, answer(kind))
    again = receiver.receive(None, A, answer(kind))

    assert (first.duplicate, again.duplicate, first.message_id) == (False, True, again.message_id)
    [event] = receiver.enqueue.events.values()  # type: ignore[attr-defined]
    assert (event.type, event.tenant_id) == (f"interregistry.transfer.{kind}.v1", A.tenant_id)


def test_a_resent_answer_is_acknowledged_as_duplicate_even_after_it_settled_the_transfer() -> None:
    receiver = inbound()
    receiver.receive(None, A, answer())
    receiver.transfers = FakeTransfers({TRANSFER: PendingTransfer("T-1", "BBB01", awaiting_acceptance=False)})

    assert receiver.receive(None, A, answer()).duplicate


@pytest.mark.parametrize(
    ("receiver", "message", "error"),
    [
        (inbound(), answer(transfer_id=str(uuid4())), UnknownTransfer),
        (inbound(PendingTransfer("T-1", "CCC01", awaiting_acceptance=True)), answer(), NotCounterparty),
        (inbound(PendingTransfer("T-1", "BBB01", awaiting_acceptance=False)), answer(), TransferSettled),
        (inbound(answered_already=True), answer(), TransferSettled),
        (inbound(), answer(acquiring_registry_id="CCC01"), Misrouted),
        (inbound(), answer(transferring_registry_id="ZZZ01"), Misrouted),
        (inbound(), answer("refused", reason=""), InvalidMessage),
        (inbound(), answer("acknowledged"), InvalidMessage),
    ],
)
def test_an_answer_that_does_not_fit_the_transfer_is_refused(
    receiver: Inbound, message: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        receiver.receive(None, A, message)


def test_an_answer_must_name_its_transfer_by_uuid() -> None:
    data = json.loads(answer())["data"] | {"transfer_id": "T-1"}

    with pytest.raises(InvalidMessage, match="not a UUID"):
        check_answer("interregistry.transfer.accepted.v1", data)
