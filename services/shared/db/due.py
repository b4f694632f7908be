"""Which registries have work due in a delivery queue: the look the webhooks, notifications and inter-registry
consumers take every few seconds over every registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Literal
from uuid import UUID

from sqlalchemy import Connection, text

from services.shared.db.database import Database, read_each_tenant, tenants_by_database

Queue = Literal["webhooks", "notifications", "interregistry"]

_DUE = text("select tenants_with_due(:queue, :due_by)")


def tenants_with_due(
    database: Database,
    queue: Queue,
    tenant_ids: Iterable[UUID],
    now: datetime,
    has_due: Callable[[Connection, UUID], bool],
) -> set[UUID]:
    """Those of `tenant_ids` with a row of `queue` due by `now`. On PostgreSQL one statement per database
    (`tenants_with_due`, migration 0023, which answers registry ids and nothing else past row-level
    security), however many registries it holds; elsewhere `has_due` per registry, in one transaction."""
    found: set[UUID] = set()
    for target, tenants in tenants_by_database(database, tenant_ids):
        if target.is_postgres:
            with target.engine.connect() as connection, connection.begin():
                due = {row[0] for row in connection.execute(_DUE, {"queue": queue, "due_by": now})}
            found |= due.intersection(tenants)
        else:
            found |= {tenant for tenant, any_due in read_each_tenant(target, tenants, has_due).items() if any_due}
    return found
