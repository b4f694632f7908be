"""Once the node holds what the registry says, a pass writes nothing: the publisher converges on the real node."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from services.cadt.domain.model import Kind, Status
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


def test_a_project_is_published_only_while_the_node_holds_it_as_the_registry_says(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url)
    example.sync()
    (held,) = cadt_node.node.projects.values()
    held["projectName"] = "Dirty cookstoves"  # changed on the node behind the registry's back
    held["projectLocations"][0]["geographicIdentifier"] = "Accra"
    publisher = wiring.cadt_for(platform).publisher(example.tenant.id)
    publisher.publish(force=True)
    (held,) = cadt_node.node.projects.values()
    assert held["projectName"] == "Clean cookstoves"
    assert held["projectLocations"][0]["geographicIdentifier"] == "Ghana"
    store = wiring.cadt_for(platform).store(example.tenant.id)
    project = store.get(Kind.PROJECT, str(example.ids["project"]))
    assert project is not None
    assert project.status is Status.PUBLISHED
    writes = len(cadt_node.node.writes())
    publisher.publish(force=True)
    assert cadt_node.node.writes()[writes:] == []


def test_a_unit_the_node_no_longer_holds_is_no_longer_shown_published(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url)
    example.sync()
    lost = next(u for u in cadt_node.node.units.values() if u["vintageYear"] == 2024)
    del cadt_node.node.units[lost["warehouseUnitId"]]
    wiring.cadt_for(platform).publisher(example.tenant.id).publish(force=True)
    store = wiring.cadt_for(platform).store(example.tenant.id)
    (unit,) = [r for r in store.records(Kind.UNIT) if r.cadt_id == lost["warehouseUnitId"]]
    assert unit.status is not Status.PUBLISHED
    assert "does not exist" in unit.reason  # the node refuses the update of a unit it does not hold
    assert len(cadt_node.node.units) == 3  # no second copy is created
    example.connect(cadt_node.url, enabled=False)  # the timer of later tests on this database leaves it alone
