"""Processed-event marks, written in the same transaction as a consumer's effect."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, func, insert, select
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
        with self.database.transaction(event.tenant_id) as session:
            seen = session.scalar(
                select(func.count()).where(
                    processed_events.c.consumer == consumer, processed_events.c.event_id == event.id
                )
            )
            if seen:
                yield None
                return
            # Inserted before the effect: a concurrent duplicate fails on the primary key and rolls back.
            session.execute(
                insert(processed_events).values(
                    consumer=consumer, event_id=event.id, tenant_id=event.tenant_id, processed_at=self.clock.now()
                )
            )
            yield session

    @contextmanager
    def unprocessed_batch(
        self, consumer: str, tenant_id: UUID, events: Sequence[CloudEvent]
    ) -> Iterator[tuple[Session, list[CloudEvent]]]:
        """One transaction of `tenant_id` for several of its events: its session and the events new to `consumer`.

        Their processed marks are inserted (one statement) before the caller applies them, in the same
        transaction: a duplicate, earlier or concurrent, has no second effect."""
        with self.database.transaction(tenant_id) as session:
            ids = [event.id for event in events]
            seen = set(
                session.scalars(
                    select(processed_events.c.event_id).where(
                        processed_events.c.consumer == consumer, processed_events.c.event_id.in_(ids)
                    )
                )
            )
            new = []
            for event in events:
                if event.id not in seen:
                    seen.add(event.id)  # the same event twice in one batch is applied once
                    new.append(event)
            if new:
                now = self.clock.now()
                session.execute(
                    insert(processed_events),
                    [
                        {"consumer": consumer, "event_id": e.id, "tenant_id": tenant_id, "processed_at": now}
                        for e in new
                    ],
                )
            yield session, new

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
