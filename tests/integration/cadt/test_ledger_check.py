"""The ledger's current blocks, read through the reporting context, as `registry cadt diff` holds the node against."""

from __future__ import annotations

from gateway.bootstrap import Platform
from gateway.cli.events import build_runtime
from services.cadt.service_layer.ledger_check import ledger_differences
from services.reporting.adapters.sql_reports import SqlReportSource
from tests.integration.cadt.scenario import worked_example


def test_every_current_block_of_the_registry_is_read_and_missing_ones_are_named(
    postgres_platform: Platform,
) -> None:
    example = worked_example(postgres_platform)
    example.relay()
    build_runtime(postgres_platform, "reporting").drain(idle_polls=1, timeout_s=0.05)
    blocks = SqlReportSource(postgres_platform.database, example.tenant.id).current_blocks()
    assert sorted((b["serial_first"], b["serial_last"], b["state"]) for b in blocks) == [
        (1, 600, "active"), (601, 900, "active"), (901, 1000, "retired"), (1001, 1500, "active"),
    ]  # fmt: skip
    missing = ledger_differences(blocks, [], example.tenant.registry_id)
    assert [d.registry for d in missing] == ["in the ledger, not on CAD Trust"] * 4
