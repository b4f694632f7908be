"""PostgreSQL row-level security for tenant-owned tables, used by migrations (run as the owner role)."""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TENANT_SETTING = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def identifier(name: str) -> str:
    """DDL cannot take bind parameters, so names are checked against a strict pattern instead."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} is not a plain SQL identifier (lower-case letters, digits, underscore)")
    return name


def tenant_isolation_sql(table: str, app_role: str, *, append_only: bool = False) -> list[str]:
    table, role = identifier(table), identifier(app_role)
    privileges = "SELECT, INSERT" if append_only else "SELECT, INSERT, UPDATE, DELETE"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING (tenant_id = {TENANT_SETTING}) "
        f"WITH CHECK (tenant_id = {TENANT_SETTING})",
        f"GRANT {privileges} ON {table} TO {role}",
    ]


def platform_table_grants_sql(table: str, app_role: str, privileges: str = "SELECT, INSERT, UPDATE") -> list[str]:
    return [f"GRANT {privileges} ON {identifier(table)} TO {identifier(app_role)}"]
