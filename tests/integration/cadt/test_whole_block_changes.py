"""A change of a whole block (no split) reaches CAD Trust: the later event of a block is applied after the earlier."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from gateway.cli.events import build_relay, build_runtime
from services.cadt.service_layer.publisher import PublishPolicy
from tests.cadt_standin.fixtures import RunningStandIn
from tests.integration.cadt.scenario import Example, issue, reference_data, retire_held, transfer_first_issuance
from tests.integration.interregistry.two_registries import two_registries


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


def units_on_node(node_units: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    facts = ((u["unitBlockStart"], u["unitBlockEnd"], u["unitStatus"], u["unitOwner"]) for u in node_units.values())
    return sorted(facts)


def itmo(example: Example, serial: int, vintage: int = 2023) -> str:
    party = example.tenant.party
    return f"CA0001-{party}01-{party}-{serial}-{vintage}"


def test_retiring_a_whole_block_reaches_cad_trust(platform: Platform, cadt_node: RunningStandIn) -> None:
    example = reference_data(platform)
    example.connect(cadt_node.url)
    issue(example)
    transfer_first_issuance(example, 400)
    example.sync()
    retire_held(example, 400)
    example.sync()

    assert units_on_node(cadt_node.node.units) == [
        (itmo(example, 1), itmo(example, 600), "Held", "issuance account"),
        (itmo(example, 1001, 2024), itmo(example, 1500, 2024), "Held", "issuance account"),
        (itmo(example, 601), itmo(example, 1000), "Retired", "Acme Airlines"),
    ]


def test_a_refused_international_transfer_ends_held_on_cad_trust(platform: Platform, cadt_node: RunningStandIn) -> None:
    pair = two_registries(platform, b_has_holding=False)
    example = Example(platform, pair.a)
    example.connect(cadt_node.url)
    relay = build_relay(platform, "test-relay")
    interregistry, cadt = build_runtime(platform, "interregistry"), build_runtime(platform, "cadt")

    requested = pair.request_transfer(1_000)
    for _ in range(4):  # request, message to B, refusal to A, reversal: a hop each
        while relay.publish_pending():
            pass
        interregistry.drain(idle_polls=1, timeout_s=0.01)
        cadt.drain(idle_polls=1, timeout_s=0.01)

    assert pair.status_of(requested.transaction_id) == "terminated"
    owner = f"Government of {pair.a.party}"
    assert [(u["unitCount"], u["unitStatus"], u["unitOwner"]) for u in cadt_node.node.units.values()] == [
        (1_000, "Held", owner)
    ]
