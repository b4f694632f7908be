"""The event benchmark runs end to end at a tiny size, in its separate processes, and drops its database.
No timing is asserted: benchmarks report figures (bench/README.md), tests do not."""

import os

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from uuid6 import uuid7

from bench import events as bench
from bench.ledger import scratch_database
from gateway.settings import KafkaSettings, Settings
from tests.conftest import DatabaseUrls, engine_for

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.xdist_group("benchmarks")]


def bench_databases(server: DatabaseUrls) -> set[str]:
    with engine_for(server.owner) as engine, engine.connect() as connection:
        found = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'registry_bench_%'"))
        return set(found.scalars())


def test_the_event_benchmark_reports_every_figure_and_drops_its_database(
    postgres_server: DatabaseUrls, capsys: pytest.CaptureFixture[str]
) -> None:
    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not servers:
        pytest.fail("KAFKA_BOOTSTRAP_SERVERS is not set: run the README's test command (make test)")
    kafka = KafkaSettings(bootstrap_servers=servers, topic_prefix=f"b{uuid7().hex[-10:]}")

    with scratch_database(postgres_server.app, postgres_server.owner, postgres_server.app_role) as (app, owner):
        settings = Settings(
            database_url=app, database_owner_url=owner, database_app_role=postgres_server.app_role, kafka=kafka
        )
        bench.run(settings.checked(), 6, sample_every=2, backlog=50, raw_records=200)
        scratch = make_url(app).database

    report = capsys.readouterr().out
    assert "by 4 threads in 2 processes" in report
    assert "ratio relay/raw = " in report
    assert "commit-to-effect over " in report
    assert "over 1 s: " in report
    assert "lag trend: outbox pending: slope" in report
    assert scratch not in bench_databases(postgres_server)
