"""Processed-event marks, written in the same transaction as a consumer's effect."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.events.adapters.orm import outbox, processed_events
from services.events.domain.envelope import CloudEvent
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.shared.db.reachability import read_each


class SqlAlchemyInbox:
    def __init__(self, database: Database, clock: Clock = SYSTEM_CLOCK) -> None:
        self.database = database
        self.clock = clock

    @contextmanager
    def unprocessed(self, consumer: str, event: CloudEvent) -> Iterator[Session | None]:
        """The tenant's transaction with the event's processed mark written, or None if it was there already.

        The mark is inserted before the effect, in one statement that leaves out a mark already there: a
        concurrent duplicate waits for the first transaction's outcome and then finds the mark."""
        with self.unprocessed_batch(consumer, event.tenant_id, [event]) as (session, new):
            yield session if new else None

    @contextmanager
    def unprocessed_batch(
        self, consumer: str, tenant_id: UUID, events: Sequence[CloudEvent]
    ) -> Iterator[tuple[Session, list[CloudEvent]]]:
        """One transaction of `tenant_id` for several of its events: its session and the events new to `consumer`.

        Their processed marks are inserted (one statement, which leaves out the marks already there and answers
        the ones it wrote) before the caller applies them, in the same transaction: a duplicate, earlier or
        concurrent, has no second effect (a concurrent one waits for the first transaction's outcome)."""
        unique = list({event.id: event for event in events}.values())  # the same event twice is applied once
        dialect = postgresql if self.database.for_tenant(tenant_id).is_postgres else sqlite
        statement = dialect.insert(processed_events).on_conflict_do_nothing().returning(processed_events.c.event_id)
        now = self.clock.now()
        rows = [{"consumer": consumer, "event_id": e.id, "tenant_id": tenant_id, "processed_at": now} for e in unique]
        with self.database.transaction(tenant_id) as session:
            added = set(session.scalars(statement, rows))
            yield session, [event for event in unique if event.id in added]

    def mark_skipped(self, consumer: str, events: Sequence[CloudEvent]) -> int:
        """Processed marks for events that have no effect on `consumer`, so that its lag counts them as done;
        answers how many of `events` were marked already (redeliveries, or the same event twice).

        One statement per database, in autocommit: no tenant transaction, no read. A mark already there
        (a redelivery) is left as it is."""
        by_database: dict[int, tuple[Database, dict[UUID, CloudEvent]]] = {}
        for event in events:
            target = self.database.for_tenant(event.tenant_id)
            by_database.setdefault(id(target), (target, {}))[1][event.id] = event
        now = self.clock.now()
        added = 0
        for target, unique in by_database.values():
            dialect = postgresql if target.is_postgres else sqlite
            statement = dialect.insert(processed_events).on_conflict_do_nothing().returning(processed_events.c.event_id)
            rows = [
                {"consumer": consumer, "event_id": e.id, "tenant_id": e.tenant_id, "processed_at": now}
                for e in unique.values()
            ]
            with target.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                added += len(connection.execute(statement, rows).all())
        return len(events) - added

    def forget(self, consumer: str) -> None:
        for database in self.database.databases():
            with database.transaction(None) as session:
                session.execute(delete(processed_events).where(processed_events.c.consumer == consumer))

    def processed_count(self, consumer: str) -> int:
        query = select(func.count()).where(processed_events.c.consumer == consumer)

        def count(database: Database) -> int:
            with database.session(None) as session:
                return int(session.scalar(query) or 0)

        return sum(read_each(self.database.databases(), count, f"{consumer} processed count"))

    def lag_by_tenant(self, consumer: str, topics: Sequence[str] | None = None) -> dict[UUID, int]:
        """Published events of each tenant that `consumer` has not applied yet (within outbox retention).

        Give `topics` to count only the events the consumer reads. A tenant's outbox rows and processed
        marks live in the same database (its dedicated one, if any), so each database is counted alone."""
        done = exists().where(processed_events.c.consumer == consumer, processed_events.c.event_id == outbox.c.event_id)
        query = select(outbox.c.tenant_id, func.count()).where(outbox.c.published_at.is_not(None), ~done)
        if topics is not None:
            query = query.where(outbox.c.topic.in_(list(topics)))

        def lag_in(database: Database) -> list[Any]:
            with database.session(None) as session:
                return list(session.execute(query.group_by(outbox.c.tenant_id)).all())

        lag: dict[UUID, int] = {}
        for rows in read_each(self.database.databases(), lag_in, f"{consumer} lag"):
            for tenant_id, count in rows:
                lag[tenant_id] = lag.get(tenant_id, 0) + int(count)
        return lag
