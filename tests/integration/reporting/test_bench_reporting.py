"""The reporting benchmark runs end to end at a tiny size and cleans up after itself. No timing is asserted:
benchmarks report figures (bench/README.md), tests do not."""

import pytest
from sqlalchemy import text

from bench import reporting as bench
from tests.conftest import DatabaseUrls, engine_for

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("benchmarks")]


def bench_databases(server: DatabaseUrls) -> set[str]:
    with engine_for(server.owner) as engine, engine.connect() as connection:
        found = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'registry_bench_%'"))
        return set(found.scalars())


def test_the_benchmark_builds_a_passing_aef_at_two_sizes_and_drops_its_database(
    postgres_server: DatabaseUrls,
) -> None:
    before = bench_databases(postgres_server)

    figures = bench.run(postgres_server.app, postgres_server.owner, postgres_server.app_role, 40, trace=True)

    assert [(f.actions, f.blocks) for f in figures] == [(4, 1), (40, 4)]
    assert all(f.passed for f in figures), "the loaded rows must pass the pre-submission checks"
    assert all(f.scan_s > 0 and f.build_s > 0 and f.export_s > 0 for f in figures)
    assert all(f.traced_peak_mb is not None and f.traced_peak_mb > 0 for f in figures)
    report = bench.render(figures, "PostgreSQL")
    assert "target <= 3.00" in report
    assert [line.split()[0] for line in report.splitlines()[3:5]] == ["4", "40"]
    assert bench_databases(postgres_server) <= before


def test_the_command_refuses_to_run_without_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///nothing.db")
    assert bench.main(["--actions", "10"]) == 2
