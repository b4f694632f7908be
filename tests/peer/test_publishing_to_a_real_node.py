"""The platform's publisher against a real CAD Trust node: every step's records compared with the ledger.

Skipped unless CADT_PEER_URL and CADT_PEER_API_KEY are set (see docs/cadt.md, *The peer suite*).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest

from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from gateway.cli.events import build_runtime
from services.cadt.domain.model import Kind, Status
from services.reporting.adapters.sql_reports import SqlReportSource
from tests.integration.cadt.scenario import Example, issue, reference_data
from tests.peer import steps
from tests.peer.compare import Comparison, against_ledger, compare, own_units
from tests.peer.node import PeerNode, poll
from tests.peer.traffic import recorded

SETTLE_S = float(os.environ.get("CADT_PEER_SETTLE_S", "120"))  # per step; the node lands commits every 10 s
OUTSTANDING = (Status.PENDING, Status.STAGED)
STEPS: list[tuple[str, Callable[[Example], None]]] = [
    ("issuance", issue),
    ("partial and whole transfers", steps.transfers),
    ("partial and whole retirements", steps.retirements),
    ("authorization", steps.authorization),
    ("authorization label change", steps.authorization_changed),
    ("international transfer requested", steps.international_transfer_requested),
    ("international transfer refused", steps.international_transfer_refused),
]


def outstanding(example: Example) -> list[str]:
    store = wiring.cadt_for(example.platform).store(example.tenant.id)
    return [
        f"{r.kind} {r.local_id} {r.status.value}: {r.reason or '-'}"
        for kind in (Kind.PROJECT, Kind.ISSUANCE, Kind.UNIT)
        for r in store.records(kind)
        if r.status in OUTSTANDING
    ]


def settle(example: Example, peer: PeerNode) -> list[str]:
    """Publish until the registry has nothing outstanding and the node has landed it, or SETTLE_S passes."""
    example.sync()
    publisher = wiring.cadt_for(example.platform).publisher(example.tenant.id)

    def done() -> bool:
        if not peer.settled():
            return False
        if not outstanding(example):
            return True
        publisher.publish(force=True)
        return False

    poll(done, SETTLE_S, interval_s=2.0)
    return outstanding(example)


def compared(example: Example, peer: PeerNode) -> Comparison:
    store = wiring.cadt_for(example.platform).store(example.tenant.id)
    connection = store.connection()
    assert connection is not None
    units = peer.units()
    result = compare(store, connection, peer.projects(), units)
    build_runtime(example.platform, "reporting").drain(idle_polls=1, timeout_s=0.05)
    blocks = SqlReportSource(example.platform.database, example.tenant.id).current_blocks()
    against_ledger(result, blocks, own_units(connection, units), example.tenant.registry_id)
    return result


def test_every_record_on_the_node_matches_the_ledger_after_each_step(
    postgres_platform: Platform, peer: PeerNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = reference_data(postgres_platform)
    example.connect(peer.url, peer.api_key)
    report: dict[str, dict[str, Any]] = {}
    for name, step in STEPS:
        step(example)
        with recorded(monkeypatch) as exchanges:
            left = settle(example, peer)
        result = compared(example, peer)
        report[name] = {
            "matched": result.matched,
            "differences": result.differences,
            "outstanding": left,
            "exchanges": exchanges,
        }
    if os.environ.get("CADT_PEER_REPORT"):
        with open(os.environ["CADT_PEER_REPORT"], "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2)
    failures = {
        name: r["differences"] + r["outstanding"] for name, r in report.items() if r["differences"] or r["outstanding"]
    }
    assert failures == {}, json.dumps(failures, indent=2)
