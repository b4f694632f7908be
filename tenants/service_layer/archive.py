"""Export a tenant's whole data as JSON Lines, and import such an archive into another database.

Line 1 is a header with the tenant record; every later line is one row of one tenant-owned table,
tables in dependency order, rows in primary-key order, so two exports of the same data are identical.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any
from uuid import UUID

from sqlalchemy import Column, Date, DateTime, LargeBinary, Table, select
from sqlalchemy.types import Uuid

from tenants.adapters.database import Database, tenant_tables
from tenants.adapters.orm import tenants as tenants_table
from tenants.domain.errors import DuplicateTenant, InvalidTenant
from tenants.domain.model import Tenant

FORMAT = "carbon-registry-tenant-export"
VERSION = 1
Progress = Callable[[str, int], None]


def export_tenant(database: Database, tenant: Tenant, out: IO[str], progress: Progress | None = None) -> int:
    header = {"format": FORMAT, "version": VERSION, "tenant": _encode_row(tenants_table, _tenant_row(database, tenant))}
    out.write(json.dumps(header, sort_keys=True) + "\n")
    written = 0
    with database.transaction(tenant.id) as session:
        for table in tenant_tables():
            count = 0
            query = select(table).where(table.c.tenant_id == tenant.id).order_by(*table.primary_key.columns)
            for row in session.execute(query).mappings():
                out.write(
                    json.dumps({"table": table.name, "row": _encode_row(table, dict(row))}, sort_keys=True) + "\n"
                )
                count += 1
            written += count
            if progress:
                progress(table.name, count)
    return written


def import_tenant(database: Database, lines: Iterable[str], progress: Progress | None = None) -> UUID:
    stream = iter(lines)
    header = _read_header(next(stream, ""))
    tenant_row = _decode_row(tenants_table, header["tenant"])
    tables = {t.name: t for t in tenant_tables()}
    with database.transaction(None) as session:
        clash = session.execute(
            select(tenants_table.c.code).where(
                (tenants_table.c.id == tenant_row["id"])
                | (tenants_table.c.code == tenant_row["code"])
                | (tenants_table.c.registry_id == tenant_row["registry_id"])
            )
        ).first()
        if clash is not None:
            raise DuplicateTenant(
                f"tenant {clash.code!r} already exists here: archive and remove it, or import elsewhere"
            )
        session.execute(tenants_table.insert().values(**tenant_row))
    with database.transaction(tenant_row["id"]) as session:
        for name, rows in _grouped(stream, tables):
            table = tables[name]
            decoded = [_decode_row(table, row) for row in rows]
            if any(r["tenant_id"] != tenant_row["id"] for r in decoded):
                raise InvalidTenant(f"archive row of {name} belongs to another tenant: the file is not one export")
            session.execute(table.insert(), decoded)
            if progress:
                progress(name, len(decoded))
    tenant_id: UUID = tenant_row["id"]
    return tenant_id


def _tenant_row(database: Database, tenant: Tenant) -> dict[str, Any]:
    with database.session(None) as session:
        row = session.execute(select(tenants_table).where(tenants_table.c.id == tenant.id)).mappings().one()
    return dict(row)


def _read_header(line: str) -> dict[str, Any]:
    try:
        header: dict[str, Any] = json.loads(line)
    except json.JSONDecodeError:
        header = {}
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise InvalidTenant(f"not a tenant export (expected format {FORMAT} version {VERSION} on line 1)")
    return header


def _grouped(stream: Iterator[str], tables: dict[str, Table]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    current: str | None = None
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(stream, start=2):
        record = json.loads(line)
        name = record.get("table")
        if name not in tables:
            raise InvalidTenant(f"line {number}: unknown table {name!r}; the archive is from another version")
        if name != current and rows:
            yield current or "", rows
            rows = []
        current = name
        rows.append(record["row"])
    if rows and current:
        yield current, rows


def _encode_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {name: _encode(value) for name, value in row.items() if name in table.c}


def _encode(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decode_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {name: _decode(table.c[name], value) for name, value in row.items()}


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, Uuid):
        return UUID(value)
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value
