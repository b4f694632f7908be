"""On PostgreSQL the relay's claim and the readiness probe find the unpublished outbox rows through the
(published_at, id) index: a week of published rows kept for retention lies before them in id order, and a
scan by id would read all of it on every poll (the relay polls 20 times a second)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Select, create_engine, text

from services.events.adapters.outbox import oldest_pending_query, pending_query
from tests.conftest import DatabaseUrls, fresh_postgres_database

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def published_history(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    """A database whose outbox holds 50,000 published rows, then 50 unpublished ones, with statistics."""
    for urls in fresh_postgres_database(postgres_server):
        engine = create_engine(urls.owner)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "insert into outbox (event_id, tenant_id, topic, event_type, message_key, payload, headers,"
                    " created_at, published_at)"
                    " select gen_random_uuid(), gen_random_uuid(), 'registry.ledger.events', 'x.v1', 'k', '\\x00',"
                    " '{}', now(), case when n > 50000 then null else now() end from generate_series(1, 50050) n"
                )
            )
            connection.execute(text("analyze outbox"))
        engine.dispose()
        yield urls


def plan(urls: DatabaseUrls, query: Select[tuple[object, ...]]) -> str:
    engine = create_engine(urls.owner)
    try:
        with engine.connect() as connection:
            compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
            return "\n".join(row[0] for row in connection.execute(text(f"explain analyze {compiled}")))
    finally:
        engine.dispose()


@pytest.mark.parametrize("query", [pending_query(500), oldest_pending_query()], ids=["relay-claim", "oldest"])
def test_unpublished_rows_are_found_through_the_index_without_reading_the_published_ones(
    published_history: DatabaseUrls, query: Select[tuple[object, ...]]
) -> None:
    found = plan(published_history, query)
    assert "ix_outbox_published_at_id" in found, found
    assert "Rows Removed by Filter" not in found, found
