"""The HTTP pipeline benchmark runs end to end at a tiny size: the gateway, the relay and every consumer as
separate processes on the database bus (Kafka's mode differs only in the environment), pgbench beside them;
it stops what it started and drops its databases. No timing is asserted: benchmarks report figures
(bench/README.md), tests do not."""

import os
import re

import pytest
from sqlalchemy import text

from bench import http as bench
from bench.http_report import Report
from bench.ledger import scratch_database
from tests.conftest import DatabaseUrls, engine_for

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("benchmarks")]


def bench_databases(server: DatabaseUrls) -> set[str]:
    with engine_for(server.owner) as engine, engine.connect() as connection:
        found = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'registry_bench_%'"))
        return set(found.scalars())


def test_the_http_benchmark_reports_every_figure_with_its_target_and_cleans_up(
    postgres_server: DatabaseUrls, capsys: pytest.CaptureFixture[str]
) -> None:
    before = bench_databases(postgres_server)
    report = Report()

    with scratch_database(postgres_server.app, postgres_server.owner, postgres_server.app_role) as (app, owner):
        settings = bench.bench_settings(app, owner, postgres_server.app_role, "")  # the database bus
        bench.run(settings, owner, bench.TINY, "database", report)

    started = [int(pid) for pid in re.findall(r"\b\d+\b", capsys.readouterr().out.split("pids: ", 1)[1].split("\n")[0])]
    rendered = report.render()
    assert [clients for _workers, clients in report.loads] == list(bench.TINY.clients)
    assert all(m.transfers > 0 and m.failures == 0 for m in report.loads.values())
    assert set(report.scenarios) == {
        "one registry", "3 registries", "hot account", "quiet registry alone", "history of 300",
        "quiet during a flood", "the flood (noisy registry)",
    }  # fmt: skip
    assert sorted(report.references) == list(bench.TINY.clients)
    assert report.scenarios["the flood (noisy registry)"][0] == max(bench.TINY.clients)  # not the hot lanes too
    for figure in ("p99 ms at half the peak", "many registries / one registry", "hot account / spread load",
                   "hot account: failed requests", "quiet registry p99 during the flood / alone",
                   "after 300 transfers of history / empty ledger"):  # fmt: skip
        assert re.search(rf"{re.escape(figure)}.*  (met|NOT MET)$", rendered, re.MULTILINE), figure
    assert started
    assert not [pid for pid in started if os.path.exists(f"/proc/{pid}")]
    assert bench_databases(postgres_server) <= before
