"""The reporting consumer applies a poll's events of one tenant with a few set-based statements, not a few per event."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event as sqlalchemy_event

from gateway.bootstrap import Platform
from gateway.cli.events import build_runtime
from services.events.service_layer.consumer import ConsumerRuntime
from tests.conftest import DatabaseUrls, fresh_postgres_database, sqlite_urls
from tests.factories.events import publish_pending_events
from tests.integration.reporting.scenario import build
from tests.integration.reporting.test_worked_example import projection_rows

STATEMENTS_PER_TRANSACTION = 14  # four reads of what the events touch, then one write per table and kind (ten)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseUrls]:
    """A database of the test's own: the statements counted are this test's alone."""
    if request.param == "sqlite":
        yield sqlite_urls(tmp_path)
    else:
        yield from fresh_postgres_database(request.getfixturevalue("postgres_server"))


def drain(runtime: ConsumerRuntime, per_poll: int) -> None:
    while runtime.run_once(timeout_s=0.01, max_records=per_poll):
        pass


def test_a_polls_events_of_a_tenant_cost_a_bounded_number_of_statements(platform: Platform) -> None:
    host, buyer, _facts = build(platform)
    publish_pending_events(platform)
    drain(build_runtime(platform, "reporting"), per_poll=1)
    one_at_a_time = {r.tenant.code: projection_rows(platform, r) for r in (host, buyer)}
    runtime = build_runtime(platform, "reporting")
    runtime.replay()
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    sqlalchemy_event.listen(platform.database.engine, "before_cursor_execute", record)
    try:
        drain(runtime, per_poll=1000)
    finally:
        sqlalchemy_event.remove(platform.database.engine, "before_cursor_execute", record)

    transactions = sum(1 for s in sent if s.startswith("INSERT INTO processed_events"))
    assert not [s for s in sent if "FROM processed_events" in s], "the marks are checked as they are written"
    projection = [s for s in sent if "reporting_" in s]
    assert runtime.stats.applied >= 5 * transactions, "the example must have many events per tenant transaction"
    assert len(projection) <= STATEMENTS_PER_TRANSACTION * transactions
    assert {r.tenant.code: projection_rows(platform, r) for r in (host, buyer)} == one_at_a_time
