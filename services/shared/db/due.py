"""Which registries have something to do, in one statement per database: the looks consumers take over many
registries at once (a delivery due in a queue; a webhook subscription to fan events out to)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Connection, TextClause, text

from services.shared.db.database import Database, read_each_tenant, tenants_by_database

Queue = Literal["webhooks", "notifications", "interregistry"]

_DUE = text("select tenants_with_due(:queue, :due_by)")
_SUBSCRIBED = text("select tenants_with_webhook_subscriptions()")


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
    return _tenants_where(database, tenant_ids, _DUE, {"queue": queue, "due_by": now}, has_due)


def tenants_with_webhook_subscriptions(
    database: Database, tenant_ids: Iterable[UUID], has_one: Callable[[Connection, UUID], bool]
) -> set[UUID]:
    """Those of `tenant_ids` with an active webhook subscription: on PostgreSQL one statement per database
    (`tenants_with_webhook_subscriptions`, migration 0024); elsewhere `has_one` per registry."""
    return _tenants_where(database, tenant_ids, _SUBSCRIBED, {}, has_one)


def _tenants_where(
    database: Database,
    tenant_ids: Iterable[UUID],
    answering: TextClause,
    parameters: Mapping[str, Any],
    per_tenant: Callable[[Connection, UUID], bool],
) -> set[UUID]:
    found: set[UUID] = set()
    for target, tenants in tenants_by_database(database, tenant_ids):
        if target.is_postgres:
            with target.engine.connect() as connection, connection.begin():
                named = {row[0] for row in connection.execute(answering, dict(parameters))}
            found |= named.intersection(tenants)
        else:
            found |= {tenant for tenant, answer in read_each_tenant(target, tenants, per_tenant).items() if answer}
    return found
