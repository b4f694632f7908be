"""The ledger benchmark runs end to end at tiny sizes and cleans up after itself. No timing is asserted:
benchmarks report figures (bench/README.md), tests do not."""

from dataclasses import astuple

import pytest
from sqlalchemy import text

from bench import ledger as bench
from tests.conftest import DatabaseUrls, engine_for

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("benchmarks")]


def bench_databases(server: DatabaseUrls) -> set[str]:
    with engine_for(server.owner) as engine, engine.connect() as connection:
        found = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'registry_bench_%'"))
        return set(found.scalars())


def test_the_benchmark_measures_every_figure_and_drops_its_database(postgres_server: DatabaseUrls) -> None:
    before = bench_databases(postgres_server)

    figures = bench.run(postgres_server.app, postgres_server.owner, postgres_server.app_role, bench.TINY)

    assert all(value > 0 for value in astuple(figures) if isinstance(value, float))
    assert len(figures.service_rounds) == len(figures.baseline_rounds) == bench.TINY.throughput_rounds
    report = bench.render(figures, bench.TINY, "PostgreSQL")
    assert [line[:3] for line in report.splitlines()[3:]] == ["(a)", "   ", "   ", "(c)", "(d)"]
    assert "rounds (1, median above)" in report
    assert ">= 0.25" in report
    assert "<= 3.00" in report
    assert bench_databases(postgres_server) <= before
