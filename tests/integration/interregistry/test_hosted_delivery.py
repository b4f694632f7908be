"""An international transfer between two hosted registries travels as messages, and each side records
its half exactly once even when every message arrives twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gateway.bootstrap import Platform
from gateway.cli.events import build_relay, build_runtime
from services.events.service_layer.consumer import ConsumerRuntime
from services.events.service_layer.ports import InboundMessage, OutboundMessage, Publisher, Subscription
from services.events.service_layer.relay import OutboxRelay
from tests.integration.interregistry.two_registries import two_registries

REQUESTED = "interregistry.transfer.requested.v1"
ACCEPTED = "interregistry.transfer.accepted.v1"
REFUSED = "interregistry.transfer.refused.v1"


@dataclass
class Twice:
    """A publisher that sends every message twice, as a relay that crashed before marking rows sent would."""

    inner: Publisher

    def publish(self, messages: Sequence[OutboundMessage]) -> None:
        self.inner.publish([*messages, *messages])

    def close(self) -> None:
        self.inner.close()


@dataclass
class Redelivering:
    """A subscription that hands every message over twice, as after a rebalance before the commit."""

    inner: Subscription

    def poll(self, timeout_s: float, max_records: int) -> list[InboundMessage]:
        return [m for message in self.inner.poll(timeout_s, max_records) for m in (message, message)]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def pipeline(platform: Platform, *, twice: bool) -> tuple[OutboxRelay, ConsumerRuntime]:
    relay = build_relay(platform, "test-relay")
    relay.sleep = lambda _s: None
    runtime = build_runtime(platform, "interregistry")
    runtime.sleep = lambda _s: None
    if twice:
        relay.publisher = Twice(relay.publisher)
        runtime.subscription = Redelivering(runtime.subscription)  # type: ignore[assignment]
    return relay, runtime


def settle(relay: OutboxRelay, runtime: ConsumerRuntime, rounds: int = 6) -> None:
    for _ in range(rounds):  # request -> message to B -> answer to A -> completion: a few hops
        while relay.publish_pending():
            pass
        runtime.drain(idle_polls=1, timeout_s=0.01)


def test_the_acquiring_registry_records_the_units_and_the_transfer_completes(platform: Platform) -> None:
    pair = two_registries(platform)
    relay, runtime = pipeline(platform, twice=True)

    requested = pair.request_transfer(250)
    settle(relay, runtime)

    assert pair.b_holding is not None
    assert pair.held(pair.b_world, pair.b_holding) == 250
    assert pair.held(pair.a_world, pair.a_holding) == 750
    assert pair.status_of(requested.transaction_id) == "completed"
    assert pair.events_of(pair.b).count(REQUESTED) == 1
    assert pair.events_of(pair.b).count("ledger.acquisition.recorded.v1") == 1
    assert pair.events_of(pair.a).count(ACCEPTED) == 1
    assert pair.events_of(pair.a).count("ledger.transfer.international_completed.v1") == 1
    assert pair.journal_types(pair.b_world) == ["acquisition:completed"]
    assert pair.journal_types(pair.a_world)[-1] == "first_transfer:completed"
    assert runtime.stats.duplicates > 0
    assert runtime.stats.dead_lettered == 0


def test_a_refused_transfer_is_reversed_and_the_units_return(platform: Platform) -> None:
    pair = two_registries(platform, b_has_holding=False)
    relay, runtime = pipeline(platform, twice=True)

    requested = pair.request_transfer(250)
    settle(relay, runtime)

    assert pair.status_of(requested.transaction_id) == "terminated"
    assert pair.held(pair.a_world, pair.a_holding) == 1_000
    [refusal] = pair.payloads_of(pair.a, REFUSED)
    assert refusal["data"]["code"] == "no_acquisition_account"
    assert refusal["source"] == f"/registries/{pair.b.code}"
    assert pair.events_of(pair.a).count("ledger.transfer.international_reversed.v1") == 1
    assert "ledger.acquisition.recorded.v1" not in pair.events_of(pair.b)
    assert runtime.stats.dead_lettered == 0


def test_a_transfer_to_a_registry_not_hosted_stays_pending(platform: Platform) -> None:
    pair = two_registries(platform)
    relay, runtime = pipeline(platform, twice=False)
    pair.platform.catalogue.change_status(pair.b.code, "suspend")
    pair.platform.catalogue.change_status(pair.b.code, "archive")

    requested = pair.request_transfer(100)
    settle(relay, runtime)

    assert pair.status_of(requested.transaction_id) == "awaiting_acceptance"
    assert REQUESTED not in pair.events_of(pair.b)
    assert pair.held(pair.a_world, pair.a_holding) == 1_000
