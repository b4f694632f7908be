"""Once the node holds what the registry says, a pass writes nothing: the publisher converges on the real node."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gateway.cadt import wiring
from gateway.platform import Platform
from services.cadt.service_layer.publisher import PublishPolicy
from tests.cadt_standin.fixtures import RunningStandIn
from tests.integration.cadt.scenario import worked_example


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


def test_a_field_the_registry_does_not_give_is_cleared_on_the_node_and_then_nothing_is_sent(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url)
    example.sync()
    held = next(u for u in cadt_node.node.units.values() if u["unitStatus"] == "Held")
    held["unitStatusReason"] = "Transfer to CHE requested"  # left by an earlier state of the unit
    publisher = wiring.cadt_for(platform).publisher(example.tenant.id)
    publisher.publish(force=True)
    assert cadt_node.node.units[held["warehouseUnitId"]]["unitStatusReason"] is None
    writes = len(cadt_node.node.writes())
    publisher.publish(force=True)
    publisher.publish(force=True)
    assert cadt_node.node.writes()[writes:] == []
