"""An identity map with change tracking: loaded objects are saved when their row form changed.

Each object is loaded once per unit of work (a second load returns the first instance, so handlers
never hold two copies of one row), remembered with the row it was loaded as, and at `flush` written
back only if its row differs: updates first (a split shrinks a block before its upper part is
inserted, so the exclusion constraint never sees an overlap), then inserts in the order of `add`.

Statements are SQLAlchemy Core, run by the unit of work's `SqlStatements` (queued and pipelined on
PostgreSQL), not through `Session.execute`: these tables are not ORM-mapped, so the session's per-query
tenant hook has nothing to scope here and only costs time. Every statement names the tenant itself, and
row-level security still applies.
"""

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import (
    Executable,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    insert,
    select,
    text,
    update,
)

from services.shared.db import bulk
from services.shared.db.statements import SqlStatements

T = TypeVar("T")
Row = dict[str, Any]

_STATEMENTS: dict[Hashable, Any] = {}
S = TypeVar("S", bound=Executable)


def prepared(key: Hashable, build: Callable[[], S]) -> S:
    """A statement built once per process and kept: SQLAlchemy caches its compiled form by the statement's
    cache key, which a kept statement computes once, where a new statement object per call recomputes it.
    Values are bound parameters (`bindparam`), passed at execution."""
    found: S | None = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = build()
    return found


def insert_rows(statements: SqlStatements, table: Table, tenant_id: UUID, rows: list[Row]) -> None:
    if bulk.supports(statements.connection, table, rows):
        statements.write_driver_sql(*bulk.insert_many(table, tenant_id, rows))
    else:
        statement = prepared((table.name, "insert"), lambda: insert(table))
        statements.write(statement, [{"tenant_id": tenant_id, **row} for row in rows])


def lock_or_create(statements: SqlStatements, table: Table, values: dict[str, Any], key: tuple[str, ...]) -> Row:
    """The row with `values`' key, created from `values` if missing, locked until commit: one round trip.

    `INSERT ... ON CONFLICT DO UPDATE` (setting the key to itself) locks the existing row like
    `SELECT ... FOR UPDATE` would, and under READ COMMITTED returns its latest committed version.
    """
    return statements.read(lock_or_create_statement(statements, table, values, key), values)[0]


def lock_or_create_statement(
    statements: SqlStatements, table: Table, values: dict[str, Any], key: tuple[str, ...]
) -> Executable:
    conflict = ["tenant_id", *key]
    last = conflict[-1]

    def build() -> Any:  # as text: SQLAlchemy cannot cache a compiled ON CONFLICT statement
        names, returned = list(values), ", ".join(table.c.keys())
        placeholders = ", ".join(f":{name}" for name in names)
        upsert = f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {last} = {table.name}.{last}"
        # The names come from the table's metadata; every value is a bound parameter.
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({placeholders}) {upsert} RETURNING {returned}"  # noqa: S608
        typed = [bindparam(name, type_=table.c[name].type) for name in names]
        return text(sql).bindparams(*typed).columns(*table.c)

    dialect = statements.connection.dialect.name
    statement: Executable = prepared((table.name, "lock_or_create", dialect, tuple(values)), build)
    return statement


class TableTracker(Generic[T]):
    def __init__(
        self,
        statements: SqlStatements,
        tenant_id: UUID,
        table: Table,
        *,
        key: Callable[[T], Hashable],
        to_row: Callable[[T], Row],
        from_row: Callable[[Mapping[str, Any]], T],
        key_columns: tuple[str, ...] = ("id",),
    ) -> None:
        self.statements, self.tenant_id, self.table = statements, tenant_id, table
        self.key, self.to_row, self.from_row, self.key_columns = key, to_row, from_row, key_columns
        self.loaded: dict[Hashable, tuple[T, Row]] = {}
        self.new: list[T] = []

    def select(self) -> Select[Any]:
        """Rows of this table, of the tenant bound as `tenant_id` at execution (`load` binds it; row-level
        security says the same on PostgreSQL)."""
        table = self.table
        return prepared(
            (table.name, "select"), lambda: select(table).where(table.c.tenant_id == bindparam("tenant_id"))
        )

    def query(self, name: Hashable, build: Callable[[Select[Any]], Select[Any]]) -> Select[Any]:
        """The kept statement `name` of this table: `build` refines `select()` with bound parameters."""
        return prepared((self.table.name, name), lambda: build(self.select()))

    def load(self, statement: Select[Any], **parameters: Any) -> list[T]:
        rows = self.statements.read(statement, {"tenant_id": self.tenant_id, **parameters})
        return [self.adopt(row) for row in rows]

    def load_one(self, statement: Select[Any], **parameters: Any) -> T | None:
        found = self.load(statement, **parameters)
        return found[0] if found else None

    def adopt(self, row: Mapping[str, Any]) -> T:
        key = row[self.key_columns[0]] if len(self.key_columns) == 1 else tuple(row[c] for c in self.key_columns)
        if key in self.loaded:
            return self.loaded[key][0]
        obj = self.from_row(row)
        self.loaded[key] = (obj, self.to_row(obj))
        return obj

    def add(self, obj: T) -> None:
        self.new.append(obj)

    def flush(self) -> None:
        # One statement per kind, executed for many rows: the cost of an action grows with the rows it
        # touches, not with a round trip per row.
        changed: list[Row] = []
        for key, (obj, saved) in list(self.loaded.items()):
            row = self.to_row(obj)
            if row != saved:
                changed.append(row)
                self.loaded[key] = (obj, row)
        if changed and bulk.supports(self.statements.connection, self.table, changed):
            update = bulk.update_many(self.table, self.tenant_id, self.key_columns, changed)
            self.statements.write_driver_sql(*update)
        elif changed:
            self.statements.write(self._update_by_key(changed[0]), [self._keyed(row) for row in changed])
        if self.new:
            rows = [(obj, self.to_row(obj)) for obj in self.new]
            insert_rows(self.statements, self.table, self.tenant_id, [row for _, row in rows])
            for obj, row in rows:
                self.loaded[self.key(obj)] = (obj, row)
        self.new.clear()

    def _update_by_key(self, sample: Row) -> Update:
        table = self.table

        def build() -> Update:
            keys = [table.c.tenant_id == bindparam("key_tenant_id")]
            keys += [table.c[c] == bindparam(f"key_{c}") for c in self.key_columns]
            return update(table).where(and_(*keys)).values({c: bindparam(c) for c in sample})

        return prepared((table.name, "update", self.key_columns, tuple(sample)), build)

    def _keyed(self, row: Row) -> Row:
        return {**row, "key_tenant_id": self.tenant_id, **{f"key_{c}": row[c] for c in self.key_columns}}

    def discard(self) -> None:
        self.loaded.clear()
        self.new.clear()
