"""The consumers' periodic duties, with nothing due: one look over every registry, not a transaction for each."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event as sqlalchemy_event

from gateway.bootstrap import Platform
from gateway.cli.events import build_relay, build_runtime
from tests.conftest import DatabaseUrls, fresh_postgres_database, new_tenant_command, sqlite_urls

REGISTRIES = 6


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseUrls]:
    """A database of the test's own: the duties walk every registry of it."""
    if request.param == "sqlite":
        yield sqlite_urls(tmp_path)
    else:
        yield from fresh_postgres_database(request.getfixturevalue("postgres_server"))


@contextmanager
def transactions(platform: Platform) -> Iterator[list[object]]:
    """Every transaction begun on the platform's database while the block runs."""
    begun: list[object] = []

    def record(connection: object) -> None:
        begun.append(connection)

    engine = platform.database.engine
    sqlalchemy_event.listen(engine, "begin", record)
    try:
        yield begun
    finally:
        sqlalchemy_event.remove(engine, "begin", record)


@pytest.mark.parametrize("name", ["cadt", "interregistry", "notifications"])
def test_an_idle_tick_looks_at_every_registry_in_one_transaction(platform: Platform, name: str) -> None:
    for _ in range(REGISTRIES):
        platform.catalogue.create(new_tenant_command())
    duty = build_runtime(platform, name).consumer.periodic
    assert duty is not None

    with transactions(platform) as begun:
        duty.run()

    assert len(begun) <= 2  # the catalogue's list of registries, then one look at all of them


def test_an_idle_relay_poll_is_one_read_without_a_transaction(platform: Platform) -> None:
    relay = build_relay(platform, "idle-test")
    while relay.publish_pending():
        pass
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    sqlalchemy_event.listen(platform.database.engine, "before_cursor_execute", record)
    try:
        assert relay.publish_pending() == 0
    finally:
        sqlalchemy_event.remove(platform.database.engine, "before_cursor_execute", record)

    assert len(sent) == 1  # neither the binding of a session nor a claim
    assert "FOR UPDATE" not in sent[0]
