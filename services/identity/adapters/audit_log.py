"""The audit log's writer: one Core INSERT per entry, in a transaction of its own, without an ORM session.

Every mutating request writes an entry after its answer is decided. Through a session that cost a session's
bookkeeping, a flush and three round trips (the tenant binding, the INSERT, the COMMIT); here, on PostgreSQL,
the three travel in one psycopg pipeline (`services/shared/db/statements.py`), and the entry is committed
before the request's answer leaves, as before.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Table, insert

from services.identity.adapters import orm
from services.identity.domain.audit import AuditEntry, PlatformAuditEntry
from services.shared.db.database import Database, TenantScope
from services.shared.db.statements import statements_on
from services.shared.db.tracking import prepared


class SqlAuditLog:
    def __init__(self, database: Database, tenant_id: UUID | None) -> None:
        self.database = database
        self.tenant_id = tenant_id

    def append(self, entry: AuditEntry) -> None:
        if self.tenant_id is None:
            raise ValueError("a registry's audit entry needs the registry")
        self._insert(orm.audit_events, {"tenant_id": self.tenant_id, **_row(entry)})

    def append_platform(self, entry: PlatformAuditEntry) -> None:
        self._insert(orm.platform_audit_events, _row(entry))

    def _insert(self, table: Table, row: dict[str, Any]) -> None:
        connection, scope = self._connect()
        try:
            statements = statements_on(connection)
            if scope is not None:
                statements.write_driver_sql(*scope)
            statements.write(prepared((table.name, "append"), lambda: insert(table)), row)
            statements.commit()
            connection.commit()
        finally:
            connection.close()

    def _connect(self) -> tuple[Connection, TenantScope | None]:
        if self.tenant_id is not None:
            return self.database.connect(self.tenant_id)
        connection = self.database.engine.connect()
        connection.begin()
        return connection, None


def _row(entry: AuditEntry | PlatformAuditEntry) -> dict[str, Any]:
    return {field.name: getattr(entry, field.name) for field in fields(entry)}
