"""An identity map with change tracking: loaded objects are saved when their row form changed.

Each object is loaded once per unit of work (a second load returns the first instance, so handlers
never hold two copies of one row), remembered with the row it was loaded as, and at `flush` written
back only if its row differs: updates first (a split shrinks a block before its upper part is
inserted, so the exclusion constraint never sees an overlap), then inserts in the order of `add`.

Statements run on the session's connection as SQLAlchemy Core, not through `Session.execute`: these
tables are not ORM-mapped, so the session's per-query tenant hook has nothing to scope here and only
costs time. Every statement names the tenant itself, and row-level security still applies.
"""

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import (
    Connection,
    CursorResult,
    Executable,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    insert,
    select,
    update,
)

from services.ledger.adapters import bulk

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


def run(connection: Connection, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
    """Execute on the unit of work's connection (in its transaction), as Core: no ORM execution hooks."""
    return connection.execute(statement, parameters)


def insert_rows(connection: Connection, table: Table, tenant_id: UUID, rows: list[Row]) -> None:
    if bulk.supports(connection, table, rows):
        bulk.insert_many(connection, table, tenant_id, rows)
    else:
        statement = prepared((table.name, "insert"), lambda: insert(table))
        run(connection, statement, [{"tenant_id": tenant_id, **row} for row in rows])


class TableTracker(Generic[T]):
    def __init__(
        self,
        connection: Connection,
        tenant_id: UUID,
        table: Table,
        *,
        key: Callable[[T], Hashable],
        to_row: Callable[[T], Row],
        from_row: Callable[[Mapping[str, Any]], T],
        key_columns: tuple[str, ...] = ("id",),
    ) -> None:
        self.connection, self.tenant_id, self.table = connection, tenant_id, table
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
        rows = run(self.connection, statement, {"tenant_id": self.tenant_id, **parameters}).mappings()
        return [self.adopt(dict(row)) for row in rows]

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
        if changed and bulk.supports(self.connection, self.table, changed):
            bulk.update_many(self.connection, self.table, self.tenant_id, self.key_columns, changed)
        elif changed:
            run(self.connection, self._update_by_key(changed[0]), [self._keyed(row) for row in changed])
        if self.new:
            rows = [(obj, self.to_row(obj)) for obj in self.new]
            insert_rows(self.connection, self.table, self.tenant_id, [row for _, row in rows])
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
