"""An identity map with change tracking: loaded objects are saved when their row form changed.

Each object is loaded once per unit of work (a second load returns the first instance, so handlers
never hold two copies of one row), remembered with the row it was loaded as, and at `flush` written
back only if its row differs: updates first (a split shrinks a block before its upper part is
inserted, so the exclusion constraint never sees an overlap), then inserts in the order of `add`.
"""

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import Select, Table, and_, bindparam, insert, select, update
from sqlalchemy.orm import Session

T = TypeVar("T")
Row = dict[str, Any]


class TableTracker(Generic[T]):
    def __init__(
        self,
        session: Session,
        tenant_id: UUID,
        table: Table,
        *,
        key: Callable[[T], Hashable],
        to_row: Callable[[T], Row],
        from_row: Callable[[Mapping[str, Any]], T],
        key_columns: tuple[str, ...] = ("id",),
    ) -> None:
        self.session, self.tenant_id, self.table = session, tenant_id, table
        self.key, self.to_row, self.from_row, self.key_columns = key, to_row, from_row, key_columns
        self.loaded: dict[Hashable, tuple[T, Row]] = {}
        self.new: list[T] = []

    def select(self) -> Select[Any]:
        """Rows of this table, of this tenant only (row-level security says the same on PostgreSQL)."""
        return select(self.table).where(self.table.c.tenant_id == self.tenant_id)

    def load(self, statement: Select[Any]) -> list[T]:
        return [self.adopt(dict(row)) for row in self.session.execute(statement).mappings()]

    def load_one(self, statement: Select[Any]) -> T | None:
        found = self.load(statement)
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
        if changed:
            self.session.execute(self._update_by_key(changed[0]), [self._keyed(row) for row in changed])
        if self.new:
            rows = [(obj, self.to_row(obj)) for obj in self.new]
            self.session.execute(insert(self.table), [{"tenant_id": self.tenant_id, **row} for _, row in rows])
            for obj, row in rows:
                self.loaded[self.key(obj)] = (obj, row)
        self.new.clear()

    def _update_by_key(self, sample: Row) -> Any:
        table = self.table
        keys = [table.c.tenant_id == bindparam("key_tenant_id")]
        keys += [table.c[c] == bindparam(f"key_{c}") for c in self.key_columns]
        return update(table).where(and_(*keys)).values({c: bindparam(c) for c in sample})

    def _keyed(self, row: Row) -> Row:
        return {**row, "key_tenant_id": self.tenant_id, **{f"key_{c}": row[c] for c in self.key_columns}}

    def discard(self) -> None:
        self.loaded.clear()
        self.new.clear()
