"""The tree and the journal in SQL, on a tenant-bound session (row-level security scopes every read)."""

from collections import defaultdict
from collections.abc import Mapping
from uuid import UUID

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.transparency.adapters.tables import heads, journal, nodes
from services.transparency.domain.leaves import JournalEntry
from services.transparency.domain.merkle import EMPTY_ROOT, Node


class SqlTreeStore:
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id

    def head(self, *, lock: bool = False) -> tuple[int, bytes]:
        if lock:
            self._create_head()
        statement = select(heads.c.size, heads.c.root).where(heads.c.tenant_id == self.tenant_id)
        row = self.session.execute(statement.with_for_update() if lock else statement).first()
        return (0, EMPTY_ROOT) if row is None else (row.size, bytes.fromhex(row.root))

    def _create_head(self) -> None:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        values = {"tenant_id": self.tenant_id, "size": 0, "root": EMPTY_ROOT.hex()}
        self.session.execute(dialect.insert(heads).values(values).on_conflict_do_nothing())

    def nodes(self, wanted: set[Node]) -> dict[Node, bytes]:
        if not wanted:
            return {}
        by_level: dict[int, list[int]] = defaultdict(list)
        for level, position in wanted:
            by_level[level].append(position)
        n = nodes.c
        matches = [and_(n.level == level, n.position.in_(positions)) for level, positions in by_level.items()]
        statement = select(n.level, n.position, n.hash).where(n.tenant_id == self.tenant_id, or_(*matches))
        return {(r.level, r.position): bytes.fromhex(r.hash) for r in self.session.execute(statement)}

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
