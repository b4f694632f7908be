"""Published events carry their order: increasing within a transaction and from one transaction to the next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gateway.bootstrap import Platform
from gateway.cli.events import build_relay
from services.events.domain.envelope import CloudEvent, parse
from services.events.service_layer.ports import OutboundMessage
from tests.integration.cadt.scenario import issue, move, reference_data


@dataclass
class Kept:
    events: list[CloudEvent] = field(default_factory=list)

    def publish(self, messages: Sequence[OutboundMessage]) -> None:
        self.events += [parse(message.value) for message in messages]

    def close(self) -> None:
        return None


def test_every_event_is_published_with_a_sequence_in_the_order_it_was_recorded(platform: Platform) -> None:
    example = reference_data(platform)
    issue(example)
    move(example)  # 400 units moved (a split of the issued block), then 100 of them retired (another split)
    relay, kept = build_relay(platform), Kept()
    relay.publisher = kept
    while relay.publish_pending():
        pass

    mine = [e for e in kept.events if e.tenant_id == example.tenant.id]
    sequences = [e.sequence for e in mine]
    assert None not in sequences
    assert sequences == sorted(sequences) == sorted(set(sequences))  # type: ignore[type-var]
    by_transaction: dict[str, list[str]] = {}
    for e in mine:
        if "transaction_number" in e.data:
            by_transaction.setdefault(e.data["transaction_number"], []).append(e.name)
    moved = [
        names for names in by_transaction.values() if names[0] in ("ledger.units.transferred", "ledger.units.retired")
    ]
    assert moved == [
        ["ledger.units.transferred", "ledger.transaction.completed"],
        ["ledger.units.retired", "ledger.transaction.completed"],
    ]
