"""The transactional outbox: events written in the same transaction as the state change."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from opentelemetry import propagate
from sqlalchemy import RowMapping, Select, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from uuid6 import uuid7

from services.events.adapters.orm import leases, outbox
from services.events.adapters.topics import context_of, event_topic
from services.events.domain.envelope import CloudEvent, stamped
from services.events.service_layer.ports import OutboundMessage
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.shared.db.reachability import Unreachable, read_each, shown

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewEvent:
    """What a caller knows of an event it adds; the writer makes the envelope."""

    event_type: str
    data: Mapping[str, object]
    subject: str
    journal_seq: int | None = None
    time: datetime | None = None


_INSERT_EVENT = insert(outbox)


class OutboxWriter:
    """Adds events to the outbox inside the caller's transaction; commits nothing itself."""

    insert_rows = _INSERT_EVENT  # the statement `rows` are for, for a caller that batches its own writes

    def __init__(self, topic_prefix: str, source_base: str = "/registries", clock: Clock = SYSTEM_CLOCK) -> None:
        self.topic_prefix = topic_prefix
        self.source_base = source_base
        self.clock = clock

    def add(
        self,
        session: Session,
        *,
        tenant_id: UUID,
        registry: str,
        event_type: str,
        data: Mapping[str, object],
        subject: str,
        journal_seq: int | None = None,
        time: datetime | None = None,
    ) -> CloudEvent:
        new = NewEvent(event_type, data, subject, journal_seq, time)
        return self.add_all(session, tenant_id=tenant_id, registry=registry, events=[new])[0]

    def add_all(
        self, session: Session, *, tenant_id: UUID, registry: str, events: Sequence[NewEvent]
    ) -> list[CloudEvent]:
        """Add a transaction's events in one statement, each with the trace context of the current span."""
        envelopes, rows = self.rows(tenant_id=tenant_id, registry=registry, events=events)
        if rows:
            session.connection().execute(_INSERT_EVENT, rows)
        return envelopes

    def rows(
        self, *, tenant_id: UUID, registry: str, events: Sequence[NewEvent]
    ) -> tuple[list[CloudEvent], list[dict[str, object]]]:
        """The envelopes of `events` and their outbox rows, to insert with `insert_rows`."""
        if not events:
            return [], []
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        now = self.clock.now()
        envelopes = [
            CloudEvent(
                id=uuid7(),
                source=f"{self.source_base}/{registry}",
                type=new.event_type,
                subject=new.subject,
                time=new.time or now,
                tenant_id=tenant_id,
                data=dict(new.data),
                journal_seq=new.journal_seq,
                traceparent=carrier.get("traceparent"),
            )
            for new in events
        ]
        rows = [
            {
                "event_id": event.id,
                "tenant_id": tenant_id,
                "topic": event_topic(self.topic_prefix, context_of(event.type)),
                "event_type": event.type,
                "message_key": str(tenant_id),
                "payload": event.to_json(),
                "headers": carrier,
                "created_at": now,
            }
            for event in envelopes
        ]
        return envelopes, rows

    def add_received(self, session: Session, event: CloudEvent) -> bool:
        """Add an event that arrived from outside, keeping its id; False (and nothing added) if it is known.

        One statement that inserts unless the id is there: on PostgreSQL, a concurrent request adding the
        same event waits for the first to commit (then adds nothing) or roll back (then adds it)."""
        dialect = session.get_bind().dialect.name
        add = postgresql.insert(outbox) if dialect == "postgresql" else sqlite.insert(outbox)
        statement = add.values(
            event_id=event.id,
            tenant_id=event.tenant_id,
            topic=event_topic(self.topic_prefix, context_of(event.type)),
            event_type=event.type,
            message_key=str(event.tenant_id),
            payload=event.to_json(),
            headers={},
            created_at=self.clock.now(),
        )
        added = statement.on_conflict_do_nothing(index_elements=[outbox.c.event_id]).returning(outbox.c.id)
        return session.execute(added).first() is not None


@dataclass
class _Batch:
    session: Session | None  # None: nothing was claimed
    ids: list[int]
    messages: Sequence[OutboundMessage] = field(default_factory=list)
    published: bool = False
    clock: Clock = SYSTEM_CLOCK

    def mark_published(self) -> None:
        if self.ids and self.session is not None:
            self.session.execute(update(outbox).where(outbox.c.id.in_(self.ids)).values(published_at=self.clock.now()))
        self.published = True


def pending_query(limit: int) -> Select[tuple[Any, ...]]:
    """The first `limit` unpublished rows. Ordered by (published_at, id), the index's order, so that
    PostgreSQL reads them through it rather than through every published row kept before them."""
    return select(outbox).where(outbox.c.published_at.is_(None)).order_by(*_PENDING_ORDER).limit(limit)


def oldest_pending_query() -> Select[tuple[datetime]]:
    """When the first unpublished row was written (the lowest id), read through the same index."""
    return select(outbox.c.created_at).where(outbox.c.published_at.is_(None)).order_by(*_PENDING_ORDER).limit(1)


_PENDING_ORDER = (outbox.c.published_at, outbox.c.id)  # published_at is NULL throughout: the order is the id's


class SqlAlchemyOutboxStore:
    def __init__(self, database: Database, clock: Clock = SYSTEM_CLOCK) -> None:
        self.database = database
        self.clock = clock
        self._busy: set[str] = set()  # databases whose last claim found rows

    @contextmanager
    def claim(self, limit: int) -> Iterator[_Batch]:
        """A batch from the first database with unpublished rows: the shared one, then each dedicated one.

        A database whose last claim found nothing is first asked whether it has any, in one autocommit read
        through the pending index: an idle relay polls with that alone, without a transaction or a locking
        read, and a busy one claims at once. A database that cannot be reached is passed over, so that one
        registry's outage stops no other."""
        for database in self.database.databases():
            claimed = False
            try:
                if database.url not in self._busy and not _has_pending(database):
                    continue
                with _claim(database, limit, self.clock) as batch:
                    if batch.messages:
                        self._busy.add(database.url)
                        claimed = True
                        yield batch
                        return
                    self._busy.discard(database.url)
            except Unreachable as error:
                if claimed:
                    raise
                self._busy.discard(database.url)
                log.warning("relay: database %s unreachable, passed over: %s", shown(database), error.orig)
        yield _Batch(None, [], clock=self.clock)

    def purge_published(self, older_than: datetime) -> int:
        purged = 0
        for database in self.database.databases():
            with database.transaction(None) as session:
                result = session.execute(delete(outbox).where(outbox.c.published_at < older_than))
                purged += int(result.rowcount)  # type: ignore[attr-defined]
        return purged

    def pending_count(self) -> int:
        return sum(self.pending_by_tenant().values())

    def oldest_pending_created_at(self) -> datetime | None:
        """When the first unpublished event was written, in the shared database or a reachable dedicated one."""
        found = read_each(self.database.databases(), _oldest_pending, "outbox age")
        oldest = [c if c.tzinfo else c.replace(tzinfo=UTC) for c in found if c is not None]  # SQLite keeps no zone
        return min(oldest, default=None)

    def pending_by_tenant(self) -> dict[UUID, int]:
        """Unpublished events per tenant, over every database that can be reached."""
        pending: dict[UUID, int] = {}
        for rows in read_each(self.database.databases(), _pending_by_tenant, "outbox backlog"):
            for tenant_id, count in rows:
                pending[tenant_id] = pending.get(tenant_id, 0) + int(count)
        return pending


def _oldest_pending(database: Database) -> datetime | None:
    with database.session(None) as session:
        created: datetime | None = session.scalar(oldest_pending_query())
    return created


def _pending_by_tenant(database: Database) -> list[Any]:
    with database.session(None) as session:
        query = select(outbox.c.tenant_id, func.count()).where(outbox.c.published_at.is_(None))
        return list(session.execute(query.group_by(outbox.c.tenant_id)).all())


def _has_pending(database: Database) -> bool:
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return connection.scalar(oldest_pending_query()) is not None


@contextmanager
def _claim(database: Database, limit: int, clock: Clock) -> Iterator[_Batch]:
    with database.transaction(None) as session:
        query = pending_query(limit)
        if database.is_postgres:
            query = query.with_for_update(skip_locked=True)
        rows = session.execute(query).mappings().all()
        yield _Batch(session, [r["id"] for r in rows], [_message(r) for r in rows], clock=clock)


def _message(row: RowMapping) -> OutboundMessage:
    headers = dict(row["headers"])
    return OutboundMessage(
        topic=row["topic"],
        key=row["message_key"].encode(),
        value=stamped(bytes(row["payload"]), row["id"]),
        headers=tuple((k, str(v).encode()) for k, v in sorted(headers.items())),
    )


class SqlAlchemyLease:
    """Leader election by a renewable lease row: whoever holds an unexpired lease is the leader."""

    def __init__(
        self, database: Database, name: str, ttl: timedelta = timedelta(seconds=10), clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.database = database
        self.name = name
        self.ttl = ttl
        self.clock = clock

    def acquire_or_renew(self, holder: str) -> bool:
        try:
            return self._acquire_or_renew(holder)
        except IntegrityError:  # another relay inserted the lease first
            return False

    def _acquire_or_renew(self, holder: str) -> bool:
        now = self.clock.now()
        with self.database.transaction(None) as session:
            taken = session.execute(
                update(leases)
                .where(leases.c.name == self.name)
                .where((leases.c.holder == holder) | (leases.c.expires_at < now))
                .values(holder=holder, expires_at=now + self.ttl)
            ).rowcount  # type: ignore[attr-defined]
            if taken:
                return True
            exists = session.scalar(select(func.count()).where(leases.c.name == self.name))
            if exists:
                return False
            session.execute(insert(leases).values(name=self.name, holder=holder, expires_at=now + self.ttl))
            return True

    def release(self, holder: str) -> None:
        with self.database.transaction(None) as session:
            session.execute(delete(leases).where(leases.c.name == self.name, leases.c.holder == holder))
