"""Dedicated tenant databases (the data-residency tier): checked before use, and anchored.

A dedicated database is migrated like the shared one (`registry db upgrade` with its URL) and holds a copy
of the tenant's catalogue row, which its tenant tables' foreign keys need; the shared catalogue stays the
only authority on status and settings, and its `database_url` routes every tenant session.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.exc import ArgumentError, DBAPIError

from services.shared.db.database import Database
from tenants.adapters.orm import tenants as tenants_table
from tenants.domain.errors import InvalidTenant
from tenants.domain.model import Tenant
from tenants.service_layer.archive import refuse_existing


def open_dedicated(database: Database, url: str) -> Database:
    """The dedicated database at `url`, checked: same backend as the shared one, reachable, migrated."""
    try:
        target = database.dedicated(url)
    except ArgumentError:
        raise InvalidTenant(f"--database-url {url!r} is not a database URL, e.g. postgresql+psycopg://...") from None
    if target is database:
        raise InvalidTenant("--database-url names the shared database: give the dedicated database's URL")
    if target.is_postgres != database.is_postgres:
        raise InvalidTenant("--database-url must use the same backend as DATABASE_URL (PostgreSQL with PostgreSQL)")
    try:
        with target.engine.connect() as connection:
            migrated = inspect(connection).has_table(tenants_table.name)
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise InvalidTenant(f"cannot connect to --database-url ({reason}): check the URL and that it is up") from None
    if not migrated:
        raise InvalidTenant(
            "the dedicated database has no tables yet: run 'registry db upgrade' with DATABASE_OWNER_URL "
            "set to its owner URL first"
        )
    return target


def anchor(target: Database, tenant: Tenant) -> None:
    """The catalogue row's copy in a new tenant's dedicated database."""
    row: dict[str, Any] = {c.name: getattr(tenant, c.name) for c in tenants_table.c} | {"database_url": None}
    refuse_existing(target, row)
    with target.transaction(None) as session:
        session.execute(insert(tenants_table).values(**row))
