"""Messages handed over out of order and twice: each transfer is settled as the in-order run settles it."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.bootstrap import Platform
from services.events.service_layer.ports import InboundMessage, Subscription
from tests.integration.interregistry.test_hosted_delivery import pipeline, settle
from tests.integration.interregistry.two_registries import two_registries


@dataclass
class NewestFirstTwice:
    """A subscription that hands over its first poll newest first, and every message twice."""

    inner: Subscription
    reversed_once: bool = False

    def poll(self, timeout_s: float, max_records: int) -> list[InboundMessage]:
        polled = self.inner.poll(timeout_s, max_records)
        if polled and not self.reversed_once:
            polled, self.reversed_once = polled[::-1], True
        return [*polled, *polled]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_transfers_delivered_newest_first_and_twice_are_acquired_in_the_order_they_were_requested(
    platform: Platform,
) -> None:
    pair = two_registries(platform)
    relay, runtime = pipeline(platform, twice=False)
    runtime.subscription = NewestFirstTwice(runtime.subscription)  # type: ignore[assignment]

    requests = [pair.request_transfer(quantity) for quantity in (100, 150, 200)]
    settle(relay, runtime)

    assert [pair.status_of(r.transaction_id) for r in requests] == ["completed"] * 3
    assert pair.b_holding is not None
    assert pair.held(pair.b_world, pair.b_holding) == 450
    acquisitions = pair.payloads_of(pair.b, "ledger.acquisition.recorded.v1")
    acquired = {a["data"]["incoming_transfer_id"]: a["data"]["transaction_number"] for a in acquisitions}
    requests_sent = pair.payloads_of(pair.a, "ledger.transfer.international_requested.v1")
    requested = {r["data"]["transfer_id"]: r["data"]["transaction_number"] for r in requests_sent}
    in_request_order = [acquired[transfer] for transfer, _ in sorted(requested.items(), key=lambda kv: kv[1])]
    party = pair.b.party
    assert in_request_order == [f"{party}-T-00000001", f"{party}-T-00000002", f"{party}-T-00000003"]
    assert runtime.stats.duplicates > 0
    # The consumer group may find other tests' events before these (one PostgreSQL database per session).
    assert [error for error in runtime.stats.errors if pair.a.party in error or party in error] == []
