"""Moving a registry from the shared database into a dedicated one: `registry tenants move`."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence

from sqlalchemy import update

from services.shared.db.database import ROUTE_TTL, Database
from tenants.adapters.orm import tenants as tenants_table
from tenants.domain.errors import InvalidTenant
from tenants.domain.model import Tenant, TenantStatus
from tenants.service_layer.archive import Check, Progress, export_tenant, read_header, refuse_existing, restore
from tenants.service_layer.catalogue import TenantCatalogue
from tenants.service_layer.dedicated import open_dedicated


def move_tenant(
    catalogue: TenantCatalogue,
    code: str,
    database_url: str,
    *,
    checks: Sequence[Check] = (),
    progress: Progress | None = None,
    settle: float = ROUTE_TTL,
) -> Tenant:
    """Copy a registry into its dedicated database and route it there. An active registry is suspended for
    the move (writes refused) and resumed afterwards; `settle` seconds pass after suspending, so requests
    under way finish, and after re-routing, so every process's cached route has expired. The rows left in
    the former database are no longer read or written by the platform."""
    tenant = catalogue.get(code)
    database = catalogue.database
    target = open_dedicated(database, database_url)
    if database.for_tenant(tenant.id) is target:
        raise InvalidTenant(f"tenant {code!r} already lives in that database")
    was_active = tenant.status is TenantStatus.ACTIVE
    if was_active:
        catalogue.change_status(code, "suspend")
        time.sleep(settle)
    try:
        _copy(database, catalogue.get(code), target, checks, progress)
        _route(database, tenant, database_url)
        catalogue.forget(code)
        time.sleep(settle)
    finally:
        if was_active:
            catalogue.change_status(code, "resume")
    return catalogue.get(code)


def _copy(
    database: Database, tenant: Tenant, target: Database, checks: Sequence[Check], progress: Progress | None
) -> None:
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        export_tenant(database, tenant, spool)
        spool.seek(0)
        tenant_row = read_header(spool.readline())
        refuse_existing(target, tenant_row)
        restore(target, tenant_row, spool, checks, progress)


def _route(database: Database, tenant: Tenant, database_url: str) -> None:
    with database.transaction(None) as session:
        session.execute(update(tenants_table).where(tenants_table.c.id == tenant.id).values(database_url=database_url))
    database.remember_route(tenant.id, database_url)
