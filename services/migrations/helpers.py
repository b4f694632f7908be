"""What every migration needs to keep tenant isolation on PostgreSQL."""

from __future__ import annotations

from alembic import op

from services.shared.db.rls import platform_table_grants_sql, tenant_isolation_sql


def app_role() -> str:
    role: str = op.get_context().config.attributes.get("app_role", "registry_app")  # type: ignore[union-attr]
    return role


def is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def isolate_tenant_table(table: str, *, append_only: bool = False) -> None:
    if is_postgres():
        for statement in tenant_isolation_sql(table, app_role(), append_only=append_only):
            op.execute(statement)


def grant_platform_table(table: str, privileges: str = "SELECT, INSERT, UPDATE") -> None:
    if is_postgres():
        for statement in platform_table_grants_sql(table, app_role(), privileges):
            op.execute(statement)
