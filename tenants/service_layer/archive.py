"""Export a tenant's whole data as JSON Lines, and import such an archive into another database.

Line 1 is a header with the tenant record; every later line is one row of one tenant-owned table,
tables in dependency order, rows in primary-key order, so two exports of the same data are identical.

An export reads every table in one read-only snapshot and streams rows to the file; an import writes the
tenant and all its rows in one transaction, runs the caller's checks (the journal's hash chain) and
commits only if they pass, so a failed import leaves nothing behind.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any
from uuid import UUID

from sqlalchemy import Column, Connection, Date, DateTime, Enum, LargeBinary, Table, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator, TypeEngine, Uuid

from services.shared.db.database import Database, tenant_tables
from tenants.adapters.orm import tenants as tenants_table
from tenants.domain.errors import DuplicateTenant, InvalidTenant
from tenants.domain.model import Tenant, TenantStatus

FORMAT = "carbon-registry-tenant-export"
VERSION = 2
BATCH = 500
Progress = Callable[[str, int], None]
Check = Callable[[Session, UUID], None]
"""Runs inside the import's transaction once every row is in; raises InvalidTenant to refuse the import."""


def export_tenant(database: Database, tenant: Tenant, out: IO[str], progress: Progress | None = None) -> int:
    """Write the archive to `out`; returns how many rows it holds."""
    lines = -2  # the header and the end line are not rows
    for line in export_lines(database, tenant, progress):
        out.write(line)
        lines += 1
    return lines


def export_lines(database: Database, tenant: Tenant, progress: Progress | None = None) -> Iterator[str]:
    """The archive line by line, every table read in one snapshot, for writers that stream it. The last
    line counts the rows, so an import can tell a complete archive from one cut short."""
    with database.snapshot(tenant.id) as connection:
        header = {"format": FORMAT, "version": VERSION, "tenant": _header_tenant(database, connection, tenant)}
        yield json.dumps(header, sort_keys=True) + "\n"
        written = 0
        for table in tenant_tables():
            count = 0
            for line in _table_lines(connection, table, tenant.id):
                yield line
                count += 1
            written += count
            if progress:
                progress(table.name, count)
        yield json.dumps({"end": {"rows": written}}) + "\n"


def _table_lines(connection: Connection, table: Table, tenant_id: UUID) -> Iterator[str]:
    query = select(table).where(table.c.tenant_id == tenant_id).order_by(*table.primary_key.columns)
    for row in connection.execution_options(yield_per=BATCH).execute(query).mappings():
        yield json.dumps({"table": table.name, "row": _encode_row(table, dict(row))}, sort_keys=True) + "\n"


def _header_tenant(database: Database, connection: Connection, tenant: Tenant) -> dict[str, Any]:
    """The catalogue row, read in the snapshot when the catalogue is in the same database. Its database URL
    is left out: it may carry a password, and where the data goes is the importer's choice."""
    if database.for_tenant(tenant.id) is database:
        row = dict(connection.execute(select(tenants_table).where(tenants_table.c.id == tenant.id)).mappings().one())
    else:
        with database.session(None) as session:
            row = dict(session.execute(select(tenants_table).where(tenants_table.c.id == tenant.id)).mappings().one())
    return _encode_row(tenants_table, row | {"database_url": None})


def import_tenant(
    database: Database,
    lines: Iterable[str],
    *,
    into: Database | None = None,
    checks: Sequence[Check] = (),
    progress: Progress | None = None,
) -> UUID:
    """Restore an archive as a new tenant of this catalogue, its data here or in the dedicated database
    `into` (see tenants.service_layer.dedicated.open_dedicated)."""
    stream = iter(lines)
    tenant_row = read_header(next(stream, ""))
    refuse_existing(database, tenant_row)
    target = into or database
    if target is not database:
        refuse_existing(target, tenant_row)
    restore(target, tenant_row, stream, checks, progress)
    if target is not database:
        with database.transaction(None) as session:
            session.execute(insert(tenants_table).values(tenant_row | {"database_url": target.url}))
        database.remember_route(tenant_row["id"], target.url)
    tenant_id: UUID = tenant_row["id"]
    return tenant_id


def restore(
    target: Database,
    tenant_row: dict[str, Any],
    stream: Iterator[str],
    checks: Sequence[Check] = (),
    progress: Progress | None = None,
) -> None:
    """One transaction on `target`: the tenant row (provisioning), every archived row, the checks, and the
    tenant's archived status last. Any failure rolls all of it back."""
    tenant_id: UUID = tenant_row["id"]
    provisioning = tenant_row | {"status": TenantStatus.PROVISIONING, "database_url": None}
    try:
        with target.transaction(tenant_id) as session:
            session.execute(insert(tenants_table).values(**provisioning))
            for name, count in _insert_rows(session, stream, tenant_id):
                if progress:
                    progress(name, count)
            for check in checks:
                check(session, tenant_id)
            status = {"status": tenant_row["status"], "status_changed_at": tenant_row["status_changed_at"]}
            session.execute(update(tenants_table).where(tenants_table.c.id == tenant_id).values(**status))
    except (IntegrityError, DataError) as error:
        raise InvalidTenant(
            f"the archive does not restore ({type(error.orig).__name__}: {str(error.orig).splitlines()[0]}): "
            "it is not one complete export; take a new one"
        ) from None


def _insert_rows(session: Session, stream: Iterator[str], tenant_id: UUID) -> Iterator[tuple[str, int]]:
    """Insert in batches of at most BATCH rows of one table; yields each table's row count when it ends."""
    tables = {t.name: t for t in tenant_tables()}
    current: Table | None = None
    batch: list[dict[str, Any]] = []
    count = total = 0
    ended = False
    for number, line in enumerate(stream, start=2):
        record = _record(number, line, ended)
        if "end" in record:
            _check_end(number, record, total)
            ended = True
            continue
        table, row = _row(number, record, tables, tenant_id)
        if current is not None and (table is not current or len(batch) >= BATCH):
            session.execute(insert(current), batch)
            batch = []
            if table is not current:
                yield current.name, count
                count = 0
        current = table
        batch.append(row)
        count += 1
        total += 1
    if not ended:
        raise InvalidTenant(
            "the archive ends before its end line: it was cut short; copy it again or take a new export"
        )
    if current is not None:
        session.execute(insert(current), batch)
        yield current.name, count


def _record(number: int, line: str, ended: bool) -> dict[str, Any]:
    if ended:
        raise InvalidTenant(f"line {number} follows the end line: the file is not one export")
    try:
        record = json.loads(line)
    except ValueError as error:
        raise InvalidTenant(f"line {number} is not JSON ({error}): the file is damaged; take a new export") from None
    if not isinstance(record, dict):
        raise InvalidTenant(f"line {number} is not a row of a tenant table: the file is damaged; take a new export")
    return record


def _check_end(number: int, record: dict[str, Any], total: int) -> None:
    end = record["end"]
    if not isinstance(end, dict) or end.get("rows") != total:
        raise InvalidTenant(
            f"line {number}: the end line counts {end.get('rows') if isinstance(end, dict) else end!r} rows, "
            f"the archive holds {total}: it is not one complete export"
        )


def _row(
    number: int, record: dict[str, Any], tables: dict[str, Table], tenant_id: UUID
) -> tuple[Table, dict[str, Any]]:
    try:
        table = tables[record["table"]]
        row = _decode_row(table, record["row"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InvalidTenant(
            f"line {number} is not a row of a tenant table ({type(error).__name__}: {error}): "
            "the file is damaged or from another version; take a new export"
        ) from None
    if row.get("tenant_id") != tenant_id:
        raise InvalidTenant(f"line {number}: the row belongs to another tenant: the file is not one export")
    return table, row


def read_header(line: str) -> dict[str, Any]:
    try:
        header: dict[str, Any] = json.loads(line)
    except json.JSONDecodeError:
        header = {}
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise InvalidTenant(
            f"not a tenant export of this version (line 1 must name format {FORMAT} version {VERSION}): "
            "export the registry again with this version's 'registry tenants export'"
        )
    try:
        return _decode_row(tenants_table, header["tenant"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InvalidTenant(f"line 1: the tenant record is damaged ({error}); take a new export") from None


def refuse_existing(database: Database, tenant_row: dict[str, Any]) -> None:
    with database.session(None) as session:
        clash = session.execute(
            select(tenants_table.c.code).where(
                (tenants_table.c.id == tenant_row["id"])
                | (tenants_table.c.code == tenant_row["code"])
                | (tenants_table.c.registry_id == tenant_row["registry_id"])
            )
        ).first()
    if clash is not None:
        raise DuplicateTenant(
            f"tenant {clash.code!r} already exists in {_where(database)}: import into an empty database"
        )


def _where(database: Database) -> str:
    return f"database {database.engine.url.render_as_string(hide_password=True)}"


def _encode_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {name: _encode(value) for name, value in row.items() if name in table.c}


def _encode(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _decode_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise TypeError("a row must be a JSON object")
    unknown = set(row) - set(table.c.keys())
    if unknown:
        raise KeyError(f"{table.name} has no column {sorted(unknown)[0]}")
    return {name: _decode(table.c[name], value) for name, value in row.items()}


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = _base_type(column.type)
    if isinstance(kind, Uuid):
        return UUID(value)
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value, validate=True)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    return value


def _base_type(kind: TypeEngine[Any]) -> TypeEngine[Any]:
    """The storage type under a TypeDecorator (the project's UtcDateTime wraps DateTime)."""
    while isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return kind
