"""The tree and the journal in SQL, on a tenant-bound session (row-level security scopes every read)."""

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy import bindparam, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.transparency.adapters.tables import heads, journal, nodes
from services.transparency.domain.leaves import JournalEntry
from services.transparency.domain.merkle import EMPTY_ROOT, Node

_SOME_NODES = select(nodes.c.level, nodes.c.position, nodes.c.hash).where(  # built once: a proof costs one query
    nodes.c.tenant_id == bindparam("tenant_id"),
    tuple_(nodes.c.level, nodes.c.position).in_(bindparam("keys", expanding=True)),
)


# An expanding IN is a new statement text for every count of nodes, parsed anew each time; arrays are not.
_SOME_NODES_PG = (
    "SELECT n.level, n.position, n.hash FROM transparency_nodes n"
    " JOIN unnest(%s::smallint[], %s::bigint[]) AS w(level, position)"
    " ON n.level = w.level AND n.position = w.position WHERE n.tenant_id = %s"
)
_HEAD_AND_NODES_PG = (
    "SELECT -1, h.size, h.root FROM transparency_heads h WHERE h.tenant_id = %s UNION ALL"
    " SELECT n.level, n.position, n.hash FROM transparency_nodes n"
    " JOIN unnest(%s::smallint[], %s::bigint[]) AS w(level, position)"
    " ON n.level = w.level AND n.position = w.position WHERE n.tenant_id = %s"
)
_HEAD = select(heads.c.size, heads.c.root).where(heads.c.tenant_id == bindparam("tenant_id"))
_LOCK_HEAD = _HEAD.with_for_update()


class SqlTreeStore:
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id

    def head(self, *, lock: bool = False) -> tuple[int, bytes]:
        if lock:
            self._create_head()
        values = {"tenant_id": self.tenant_id}
        row = self.session.connection().execute(_LOCK_HEAD if lock else _HEAD, values).first()
        return (0, EMPTY_ROOT) if row is None else (row.size, bytes.fromhex(row.root))

    def _create_head(self) -> None:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        values = {"tenant_id": self.tenant_id, "size": 0, "root": EMPTY_ROOT.hex()}
        self.session.execute(dialect.insert(heads).values(values).on_conflict_do_nothing())

    def nodes(self, wanted: set[Node]) -> dict[Node, bytes]:
        if not wanted:
            return {}
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":  # one statement text whatever the count: parsed once
            levels, positions = zip(*wanted, strict=True)
            arguments = (list(levels), list(positions), self.tenant_id)
            found = connection.exec_driver_sql(_SOME_NODES_PG, arguments)
        else:
            values = {"tenant_id": self.tenant_id, "keys": list(wanted)}
            found = connection.execute(_SOME_NODES, values)  # Core, not the ORM: a third of the CPU
        return {(level, position): bytes.fromhex(value) for level, position, value in found}

    def head_and_nodes(self, wanted: set[Node]) -> tuple[int, dict[Node, bytes]]:
        """The integrated size and the wanted stored hashes, in one round trip on PostgreSQL."""
        connection = self.session.connection()
        if connection.dialect.name != "postgresql" or not wanted:
            return self.head()[0], self.nodes(wanted)
        levels, positions = zip(*wanted, strict=True)
        rows = connection.exec_driver_sql(
            _HEAD_AND_NODES_PG, (self.tenant_id, list(levels), list(positions), self.tenant_id)
        )
        size, found = 0, {}
        for level, position, value in rows:
            if level < 0:
                size = position
            else:
                found[(level, position)] = bytes.fromhex(value)
        return size, found

    def all_nodes(self) -> dict[Node, bytes]:
        n = nodes.c
        statement = select(n.level, n.position, n.hash).where(n.tenant_id == self.tenant_id)
        return {(r.level, r.position): bytes.fromhex(r.hash) for r in self.session.execute(statement)}

    def add(self, new: Mapping[Node, bytes], size: int, root: bytes) -> None:
        rows = [
            {"tenant_id": self.tenant_id, "level": level, "position": position, "hash": value.hex()}
            for (level, position), value in new.items()
        ]
        if rows:
            self.session.execute(insert(nodes), rows)
        where = heads.c.tenant_id == self.tenant_id
        self.session.execute(update(heads).where(where).values(size=size, root=root.hex()))


class SqlJournalSource:
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id

    def entries(self, from_sequence: int, limit: int | None = None) -> list[JournalEntry]:
        j = journal.c
        statement = (
            select(journal)
            .where(j.tenant_id == self.tenant_id, j.sequence >= from_sequence)
            .order_by(j.sequence)
            .limit(limit)
        )
        return [
            JournalEntry(r.sequence, r.tenant_id, r.recorded_at, r.payload, r.previous_hash, r.record_hash)
            for r in self.session.execute(statement)
        ]
