"""Registry-to-registry delivery of international transfers, as a consumer of ledger and inter-registry events.

1. A's ledger requested a transfer: if B is hosted, send B the request (a message addressed to B's tenant).
2. B received a request: record the acquisition into B's chosen account, or refuse it; answer A.
3. A received the answer: complete or reverse the transfer.

When the other registry is not hosted here, the request (step 1) or the answer (step 2) is also queued
for the outbound sender, which pushes it over HTTP, signed, until the peer acknowledges it.

Each step runs in one transaction of one tenant, the one the event is addressed to; work for another
tenant leaves only as a message. The consumer runtime marks each event processed in that same
transaction, so a redelivered message has no second effect.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.events.domain.envelope import CloudEvent
from services.interregistry.domain.boundary import boundary_refusal
from services.interregistry.domain.messages import (
    LEDGER_TRANSFER_REQUESTED,
    TRANSFER_ACCEPTED,
    TRANSFER_REFUSED,
    TRANSFER_REQUESTED,
    Refusal,
    check_request,
    reply_data,
    reply_type,
)
from services.interregistry.service_layer.ports import Directory, HostedRegistry, Ledgers, Mailbox, Outbound

log = logging.getLogger(__name__)

HANDLED = (LEDGER_TRANSFER_REQUESTED, TRANSFER_REQUESTED, TRANSFER_ACCEPTED, TRANSFER_REFUSED)


@dataclass
class Delivery:
    directory: Directory
    ledgers: Ledgers
    mailbox: Mailbox
    outbound: Outbound

    def __call__(self, event: CloudEvent, session: Any) -> None:
        if event.type not in HANDLED:
            return  # another ledger event: nothing to deliver
        registry = self.directory.by_tenant(event.tenant_id)
        if registry is None:  # archived since, or never served: it takes part in nothing any more
            log.warning("%s %s: tenant %s is not served; skipped", event.type, event.id, event.tenant_id)
            return
        if event.type == LEDGER_TRANSFER_REQUESTED:
            self.forward(event, session, registry)
        elif event.type == TRANSFER_REQUESTED:
            self.answer(event, session, registry)
        else:
            self.settle(event, session, registry)

    def forward(self, event: CloudEvent, session: Any, sender: HostedRegistry) -> None:
        receiver = self.directory.by_registry_id(str(event.data["acquiring_registry_id"]))
        refused = boundary_refusal(sender.training, receiver is not None and receiver.training)
        if refused is not None:  # sent nowhere: the units come back at once
            log.info("transfer %s: %s", event.data["transfer_id"], refused.reason)
            self.ledgers.reverse(session, sender, UUID(str(event.data["transfer_id"])), refused.reason)
            return
        if receiver is None:
            peer = str(event.data["acquiring_registry_id"])
            log.info("transfer %s: registry %s is not hosted; queued for sending", event.data["transfer_id"], peer)
            self.outbound.enqueue(
                session, sender=sender, peer=peer, message_type=TRANSFER_REQUESTED, data=event.data, cause=event.id
            )
            return
        self.mailbox.send(
            session, sender=sender, to_tenant=receiver.tenant_id, message_type=TRANSFER_REQUESTED, data=event.data
        )

    def answer(self, event: CloudEvent, session: Any, receiver: HostedRegistry) -> None:
        request = event.data
        check_request(request)
        sender = self.directory.by_registry_id(str(request["transferring_registry_id"]))
        refused = boundary_refusal(sender is not None and sender.training, receiver.training)
        outcome = (
            Refusal("misrouted", f"this is registry {receiver.registry_id}, not {request['acquiring_registry_id']}")
            if request["acquiring_registry_id"] != receiver.registry_id
            else refused or self.ledgers.acquire(session, receiver, request)
        )
        # An answer to a registry that is not hosted is kept in the receiver's outbox and pushed over HTTP.
        to_tenant = sender.tenant_id if sender is not None else receiver.tenant_id
        answer_type, answer = reply_type(outcome), reply_data(request, outcome)
        self.mailbox.send(session, sender=receiver, to_tenant=to_tenant, message_type=answer_type, data=answer)
        if sender is None and not receiver.training:
            peer = str(request["transferring_registry_id"])
            self.outbound.enqueue(
                session, sender=receiver, peer=peer, message_type=answer_type, data=answer, cause=event.id
            )

    def settle(self, event: CloudEvent, session: Any, registry: HostedRegistry) -> None:
        if event.data["transferring_registry_id"] != registry.registry_id:
            return  # an answer kept for an external registry, not one for this tenant's ledger
        transfer_id = UUID(str(event.data["transfer_id"]))
        acquirer = self.directory.by_registry_id(str(event.data["acquiring_registry_id"]))
        refused = boundary_refusal(registry.training, acquirer is not None and acquirer.training)
        if refused is not None:  # an acceptance from across the boundary never completes a transfer
            self.ledgers.reverse(session, registry, transfer_id, refused.reason)
        elif event.type == TRANSFER_ACCEPTED:
            self.ledgers.complete(session, registry, transfer_id)
        else:
            reason = f"{event.data['acquiring_registry_id']} refused: {event.data['reason']}"
            self.ledgers.reverse(session, registry, transfer_id, reason)
