"""The publisher lease on PostgreSQL: a session advisory lock keyed by the tenant, held on a connection of its
own for the length of a pass, so that it holds across processes (the `cadt` consumer and `registry cadt
backfill`). SQLite runs in one process; there the lease is the process lock (`service_layer/lease.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from sqlalchemy import Connection, Engine, text

NAMESPACE = b"carbon registry cadt publisher lease v1"


def lease_key(tenant_id: UUID) -> int:
    """A signed 64-bit advisory lock key of the tenant (in the namespace of this lease only)."""
    return int.from_bytes(hashlib.sha256(NAMESPACE + tenant_id.bytes).digest()[:8], "big", signed=True)


class AdvisoryLease:
    def __init__(self, engine: Engine, tenant_id: UUID) -> None:
        self.engine, self.key = engine, lease_key(tenant_id)

    @contextmanager
    def hold(self, wait: bool) -> Iterator[bool]:
        connection = self.engine.connect()
        try:
            if wait:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": self.key})
                held = True
            else:
                held = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar())
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    _unlock(connection, self.key)
        finally:
            connection.close()


def _unlock(connection: Connection, key: int) -> None:
    """A session lock outlives a rollback: unlock it, or drop the connection so that the lock goes with it."""
    try:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        connection.commit()
    except Exception:
        connection.invalidate()
        raise
