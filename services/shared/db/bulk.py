"""Many rows in one statement on PostgreSQL: one array per column, unnested by the server.

`executemany` runs one statement per row (psycopg pipelines them, but the server still plans and runs
each). `UPDATE ... FROM unnest(...)` and `INSERT ... SELECT ... FROM unnest(...)` are one statement
whatever the row count, and their text does not change with the count, so they are prepared once.
SQLite, tables with JSON columns and single rows keep plain (executemany) statements. Table and column
names come from the tables' metadata, never from input; every value is a bound parameter. The functions
here build a statement; the unit of work's `SqlStatements` sends it.

The arrays travel in PostgreSQL's binary format (psycopg's `%(name)b` placeholders, so the statements go
to the driver as written): in text format psycopg quotes every element and the server parses it back,
which for a thousand blocks cost more than the update itself.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import JSON, Column, Connection, Table, TypeDecorator
from sqlalchemy.dialects.postgresql.base import PGDialect

Row = dict[str, Any]
_PG = PGDialect()  # type: ignore[no-untyped-call]


def supports(connection: Connection, table: Table, rows: Sequence[Row]) -> bool:
    return len(rows) > 1 and connection.dialect.name == "postgresql" and _arrays_fit(table)


@cache
def _arrays_fit(table: Table) -> bool:
    return not any(isinstance(_impl(column), JSON) for column in table.c)


def _impl(column: Column[Any]) -> Any:
    kind = column.type
    return kind.impl if isinstance(kind, TypeDecorator) else kind


def _array(column: Column[Any], parameter: str) -> str:
    return f"CAST(%({parameter})b AS {_impl(column).compile(dialect=_PG)}[])"


def _columns(rows: Sequence[Row]) -> tuple[str, ...]:
    return tuple(name for name in rows[0] if name != "tenant_id")


def _arrays(table: Table, names: Sequence[str], rows: Sequence[Row]) -> dict[str, list[Any]]:
    """One list per column; values go through the column type's own check (an aware datetime, say)."""
    arrays = {}
    for n, name in enumerate(names):
        kind = table.c[name].type
        values = [row[name] for row in rows]
        if isinstance(kind, TypeDecorator):
            values = [kind.process_bind_param(value, _PG) for value in values]
        arrays[f"a{n}"] = values
    return arrays


@cache
def _update(table: Table, names: tuple[str, ...], keys: tuple[str, ...]) -> str:
    arrays = ", ".join(_array(table.c[name], f"a{n}") for n, name in enumerate(names))
    changes = ", ".join(f"{name} = v.{name}" for name in names if name not in keys)
    matches = " AND ".join(f"t.{key} = v.{key}" for key in keys)
    return (
        f"UPDATE {table.name} AS t SET {changes} FROM unnest({arrays}) AS v({', '.join(names)}) "  # noqa: S608
        f"WHERE t.tenant_id = %(tenant_id)s AND {matches}"
    )


@cache
def _insert(table: Table, names: tuple[str, ...]) -> str:
    arrays = ", ".join(_array(table.c[name], f"a{n}") for n, name in enumerate(names))
    return (
        f"INSERT INTO {table.name} (tenant_id, {', '.join(names)}) "  # noqa: S608
        f"SELECT CAST(%(tenant_id)s AS UUID), v.* FROM unnest({arrays}) AS v({', '.join(names)})"
    )


def update_many(table: Table, tenant_id: Any, keys: tuple[str, ...], rows: Sequence[Row]) -> tuple[str, Row]:
    """The statement (driver SQL, parameters) that writes `rows` (each with the same columns, `keys` among
    them) over the tenant's rows with their keys."""
    names = _columns(rows)
    return _update(table, names, keys), {"tenant_id": tenant_id, **_arrays(table, names, rows)}


def insert_many(table: Table, tenant_id: Any, rows: Sequence[Row]) -> tuple[str, Row]:
    """The statement (driver SQL, parameters) that inserts `rows` for the tenant."""
    names = _columns(rows)
    return _insert(table, names), {"tenant_id": tenant_id, **_arrays(table, names, rows)}
