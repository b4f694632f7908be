"""Sync records and the connection in SQL, for one tenant, on sessions the caller provides."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any
from uuid import UUID

from sqlalchemy import Connection as SqlConnection
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from services.cadt.adapters.fernet_secrets import FernetSecrets, SecretUnreadable
from services.cadt.adapters.orm import connections, project_details, records
from services.cadt.domain.model import Connection, ConnectionState, Kind, Status, SyncRecord
from services.cadt.domain.picklists import Picklists
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database, read_each_tenant

SessionScope = Callable[[], AbstractContextManager[Session]]
log = logging.getLogger(__name__)


class SqlCadtStore:
    """Each call runs in `scope()`: the consumer passes its own transaction, the publisher a new one per call."""

    def __init__(
        self, tenant_id: UUID, scope: SessionScope, secrets: FernetSecrets, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.tenant_id = tenant_id
        self.scope = scope
        self.secrets = secrets
        self.clock = clock

    def _record_key(self, kind: Kind, local_id: str) -> Any:
        return and_(records.c.tenant_id == self.tenant_id, records.c.kind == kind.value, records.c.local_id == local_id)

    def get(self, kind: Kind, local_id: str) -> SyncRecord | None:
        with self.scope() as session:
            row = session.execute(select(records).where(self._record_key(kind, local_id))).mappings().first()
        return None if row is None else _record(row)

    def records(self, kind: Kind) -> list[SyncRecord]:
        query = select(records).where(records.c.tenant_id == self.tenant_id, records.c.kind == kind.value)
        with self.scope() as session:
            rows = session.execute(query.order_by(records.c.local_id)).mappings().all()
        return [_record(r) for r in rows]

    def save(self, record: SyncRecord) -> None:
        values = {
            "parent_id": record.parent_id, "data": record.data, "as_of": record.as_of, "cadt_id": record.cadt_id,
            "status": record.status.value, "reason": record.reason[:4000], "problems": record.problems,
            "attempts": record.attempts, "last_attempt_at": record.last_attempt_at, "published": record.published,
            "meta": record.meta, "updated_at": self.clock.now(),
        }  # fmt: skip
        with self.scope() as session:
            key = self._record_key(record.kind, record.local_id)
            if session.execute(update(records).where(key).values(**values)).rowcount == 0:  # type: ignore[attr-defined]
                session.execute(
                    insert(records).values(
                        tenant_id=self.tenant_id, kind=record.kind.value, local_id=record.local_id, **values
                    )
                )

    def forget_records(self) -> None:
        with self.scope() as session:
            session.execute(delete(records).where(records.c.tenant_id == self.tenant_id))

    def has_connection(self) -> bool:
        """Whether the tenant configured a connection, without reading (or decrypting) it."""
        with self.scope() as session:
            query = select(connections.c.tenant_id).where(connections.c.tenant_id == self.tenant_id)
            return session.scalar(query) is not None

    def connection(self) -> Connection | None:
        with self.scope() as session:
            row = (
                session.execute(select(connections).where(connections.c.tenant_id == self.tenant_id)).mappings().first()
            )
        if row is None:
            return None
        return Connection(
            base_url=row["base_url"], api_key=self._api_key(row["api_key"]), organization_id=row["organization_id"],
            data_model_version=row["data_model_version"], enabled=row["enabled"], options=dict(row["options"]),
            state=ConnectionState(row["state"]), state_detail=row["state_detail"], failures=row["failures"],
            next_attempt_at=row["next_attempt_at"], retries=row["retries"], retry_at=row["retry_at"],
        )  # fmt: skip

    def _api_key(self, stored: str) -> str:
        """An unreadable key reads as none: the node refuses it and the settings ask for it again."""
        try:
            return self.secrets.decrypt(stored)
        except SecretUnreadable as error:
            log.warning("cadt: tenant %s: %s", self.tenant_id, error)
            return ""

    def save_connection(self, connection: Connection) -> None:
        values = {
            "base_url": connection.base_url, "api_key": self.secrets.encrypt(connection.api_key),
            "organization_id": connection.organization_id, "data_model_version": connection.data_model_version,
            "enabled": connection.enabled, "options": connection.options, "state": connection.state.value,
            "state_detail": connection.state_detail, "failures": connection.failures,
            "next_attempt_at": connection.next_attempt_at, "retries": connection.retries,
            "retry_at": connection.retry_at, "updated_at": self.clock.now(),
        }  # fmt: skip
        with self.scope() as session:
            where = connections.c.tenant_id == self.tenant_id
            if session.execute(update(connections).where(where).values(**values)).rowcount == 0:  # type: ignore[attr-defined]
                session.execute(insert(connections).values(tenant_id=self.tenant_id, **values))

    def cached_picklists(self) -> Picklists | None:
        with self.scope() as session:
            value = session.scalar(select(connections.c.picklists).where(connections.c.tenant_id == self.tenant_id))
        return dict(value) if value else None

    def cache_picklists(self, picklists: Picklists) -> None:
        with self.scope() as session:
            session.execute(
                update(connections)
                .where(connections.c.tenant_id == self.tenant_id)
                .values(picklists=picklists, picklists_fetched_at=self.clock.now())
            )

    def details(self, project_id: str) -> dict[str, Any] | None:
        where = and_(project_details.c.tenant_id == self.tenant_id, project_details.c.project_id == project_id)
        with self.scope() as session:
            value = session.scalar(select(project_details.c.details).where(where))
        return dict(value) if value is not None else None

    def all_details(self) -> dict[str, dict[str, Any]]:
        query = select(project_details.c.project_id, project_details.c.details)
        with self.scope() as session:
            rows = session.execute(query.where(project_details.c.tenant_id == self.tenant_id)).all()
        return {row.project_id: dict(row.details) for row in rows}

    def save_details(self, project_id: str, details: dict[str, Any]) -> None:
        where = and_(project_details.c.tenant_id == self.tenant_id, project_details.c.project_id == project_id)
        values = {"details": details, "updated_at": self.clock.now()}
        with self.scope() as session:
            if session.execute(update(project_details).where(where).values(**values)).rowcount == 0:  # type: ignore[attr-defined]
                session.execute(
                    insert(project_details).values(tenant_id=self.tenant_id, project_id=project_id, **values)
                )

    def retry_soon(self) -> None:
        """New work from outside the event stream: the retry timer takes it on its next look."""
        with self.scope() as session:
            session.execute(
                update(connections).where(connections.c.tenant_id == self.tenant_id).values(retries=0, retry_at=None)
            )

    def retryable(self) -> int:
        """Records the retry timer still has to publish: pending (refused fewer times than the limit) or staged."""
        query = select(func.count()).where(
            records.c.tenant_id == self.tenant_id, records.c.status.in_([Status.PENDING, Status.STAGED])
        )
        with self.scope() as session:
            return int(session.scalar(query) or 0)

    def retry_refused(self) -> int:
        """Records refused before (invalid or failed) go back to pending, for new settings or picklists."""
        with self.scope() as session:
            result = session.execute(
                update(records)
                .where(records.c.tenant_id == self.tenant_id, records.c.status.in_([Status.INVALID, Status.FAILED]))
                .values(status=Status.PENDING.value, attempts=0, problems=[], reason="")
            )
        return int(result.rowcount)  # type: ignore[attr-defined]


def _record(row: Any) -> SyncRecord:
    return SyncRecord(
        kind=Kind(row["kind"]), local_id=row["local_id"], data=dict(row["data"]), parent_id=row["parent_id"],
        as_of=row["as_of"], cadt_id=row["cadt_id"], status=Status(row["status"]), reason=row["reason"],
        problems=list(row["problems"]), attempts=row["attempts"], last_attempt_at=row["last_attempt_at"],
        published=dict(row["published"]) if row["published"] is not None else None, meta=dict(row["meta"]),
    )  # fmt: skip


def with_connection(database: Database, tenant_ids: Iterable[UUID]) -> set[UUID]:
    """Those of the tenants that configured a CAD Trust connection: one read each, one transaction per database."""

    def has_one(connection: SqlConnection, tenant_id: UUID) -> bool:
        query = select(connections.c.tenant_id).where(connections.c.tenant_id == tenant_id)
        return connection.scalar(query) is not None

    return {tenant_id for tenant_id, has in read_each_tenant(database, tenant_ids, has_one).items() if has}
