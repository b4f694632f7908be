"""The worked example end to end: ledger commands, outbox relay, the `reporting` consumer, the AEF."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, update

from gateway.bootstrap import Platform
from gateway.bootstrap import reporting as context
from gateway.cli.events import build_runtime
from services.reporting.adapters import exports, tables
from services.reporting.domain import aef
from tests.integration.reporting import expected
from tests.integration.reporting.scenario import Registry, build, project


@pytest.fixture
def example(platform: Platform) -> tuple[Registry, Registry, dict[str, Any]]:
    host, buyer, facts = build(platform)
    project(platform)
    return host, buyer, facts


def aef_of(platform: Platform, registry: Registry, year: int, reason: str | None = None) -> dict[str, Any]:
    submission_id = context.request_aef(platform, registry.tenant, year, reason, "test")
    context.build_aef(platform, registry.tenant, submission_id)
    store = context.store(platform, registry.tenant)
    found = store.get(submission_id)
    assert found is not None
    return {**found, "tables": {name: list(rows) for name, rows in store.tables(submission_id).items()}}


def projection_rows(platform: Platform, registry: Registry) -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    with platform.database.session(registry.tenant.id) as session:
        for table in tables.PROJECTION:
            found = session.execute(select(table).where(table.c.tenant_id == registry.tenant.id)).all()
            rows[table.name] = sorted((tuple(row) for row in found), key=repr)
    return rows


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_aef_tables_match_the_hand_written_ones_cell_by_cell(
    platform: Platform, example: tuple[Registry, Registry, dict[str, Any]], year: int
) -> None:
    host, buyer, facts = example
    h, b = host.tenant.party, buyer.tenant.party
    wanted = {
        host.tenant.id: expected.host_tables(h, b, year),
        buyer.tenant.id: expected.buyer_tables(h, b, facts["third"], year),
    }
    for registry in (host, buyer):
        submission = aef_of(platform, registry, year)
        assert submission["findings"] == []
        assert submission["passed"] is True
        assert submission["tables"][aef.SUBMISSION] == [
            [
                registry.tenant.party,
                "1.0",
                year,
                submission["requested_at"].date().isoformat(),
                None,
                None,
                2021,
                2030,
                None,
            ]
        ]
        for table, rows in wanted[registry.tenant.id].items():
            got = submission["tables"][table]
            assert len(got) == len(rows), table
            for number, (got_row, want_row) in enumerate(zip(got, rows, strict=True), start=1):
                for column, got_cell, want_cell in zip(aef.COLUMNS[table], got_row, want_row, strict=True):
                    assert got_cell == want_cell, f"{registry.tenant.party} {table} row {number} {column}"


def test_a_domestic_transfer_is_not_reported_as_an_action(
    platform: Platform, example: tuple[Registry, Registry, dict[str, Any]]
) -> None:
    host, _buyer, _facts = example
    with platform.database.session(host.tenant.id) as session:
        numbers = set(session.scalars(select(tables.actions.c.transaction_number)).all())
    assert f"{host.tenant.party}-T-00000005" not in numbers  # the party-to-entity holding transfer
    assert f"{host.tenant.party}-T-00000002" not in numbers  # issuance account to Party holding


def test_replay_rebuilds_exactly_the_tables_the_incremental_run_wrote(
    platform: Platform, example: tuple[Registry, Registry, dict[str, Any]]
) -> None:
    host, buyer, _facts = example
    before = {r.tenant.code: projection_rows(platform, r) for r in (host, buyer)}
    assert before[host.tenant.code]["reporting_actions"], "the example must have projected something"
    runtime = build_runtime(platform, "reporting")
    runtime.replay()
    assert projection_rows(platform, host)["reporting_actions"] == [], "reset clears the projection first"
    runtime.drain()
    assert {r.tenant.code: projection_rows(platform, r) for r in (host, buyer)} == before


def test_reconciliation_agrees_then_finds_a_planted_difference(
    platform: Platform, example: tuple[Registry, Registry, dict[str, Any]]
) -> None:
    host, _buyer, _facts = example
    assert context.reconcile_tenant(platform, host.tenant).differences == []
    versions = tables.block_versions
    with platform.database.transaction(host.tenant.id) as session:
        block_id = session.scalars(
            select(versions.c.block_id).where(versions.c.valid_to.is_(None), versions.c.serial_first == 401)
        ).one()
        session.execute(
            update(versions)
            .where(versions.c.block_id == block_id, versions.c.valid_to.is_(None))
            .values(serial_last=versions.c.serial_last - 1)
        )
        session.execute(update(tables.journal).where(tables.journal.c.sequence == 3).values(transaction_number="X"))
    report = context.reconcile_tenant(platform, host.tenant)
    assert [d.key for d in report.totals] == ["party_holding 2023"]
    assert (report.totals[0].ledger, report.totals[0].projection) == (490, 489)
    assert [d.key for d in report.blocks] == [str(block_id)]
    assert [(d.key, d.projection) for d in report.journal] == [("#3", "X")]
    assert report.to_dict()["phases"] == {
        "totals": "totals inconsistent",
        "blocks": "unit blocks inconsistent",
        "journal": "journal inconsistent",
    }


def test_the_xlsx_opens_with_the_template_sheets_headers_and_row_counts(
    platform: Platform, example: tuple[Registry, Registry, dict[str, Any]]
) -> None:
    host, _buyer, _facts = example
    submission = aef_of(platform, host, 2025)
    out = io.BytesIO()
    exports.write_xlsx(submission["tables"], submission["findings"], out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    assert book.sheetnames == [*aef.SHEETS, exports.STATUS_SHEET]
    counts = {aef.SUBMISSION: 1, aef.AUTHORIZATIONS: 0, aef.ACTIONS: 7, aef.HOLDINGS: 2, aef.ENTITIES: 0}
    for name, count in counts.items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == aef.COLUMNS[name]
        assert len(rows) - 1 == count, name
    assert next(book[exports.STATUS_SHEET].iter_rows(values_only=True)) == ("Status", "PASSED")


def test_a_correction_is_a_new_version_and_every_version_is_kept(
    platform: Platform, example: tuple[Registry, Registry, dict[str, Any]]
) -> None:
    host, _buyer, _facts = example
    first = aef_of(platform, host, 2024)
    second = aef_of(platform, host, 2024, reason="A block was reported twice")
    assert (first["version"], second["version"]) == ("1.0", "1.1")
    assert second["tables"][aef.SUBMISSION][0][1] == "1.1"
    assert [s["version"] for s in context.store(platform, host.tenant).list(2024)] == ["1.0", "1.1"]
