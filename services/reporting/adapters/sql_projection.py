"""The projection store on SQLAlchemy Core, inside the consumer's tenant-bound transaction.

One store serves one poll's events of one tenant. It reads what the events touch once (`preload`) and
keeps every write in memory until `flush`, which sends them in a few set-based statements: one multi-row
insert per table, one update ending the block versions the events closed, one upsert per reference
table. Its reads answer from those pending writes first, so the projection logic sees each write at
once, as it did when every write was its own statement.

After `clear` (a rebuild on a late event) the store knows the projection is empty, and answers every
read from memory: the rebuild reads nothing but the kept events.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, and_, bindparam, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.reporting.adapters import tables
from services.reporting.domain.blocks import overlaps
from services.reporting.domain.records import ActionRecord, Block

PUT_TABLES: dict[str, Table] = {
    "account": tables.accounts,
    "authorization": tables.authorizations,
    "entity": tables.entities,
    "approach": tables.approaches,
    "journal": tables.journal,
}
VERSIONS = tables.block_versions
KEPT_PAGE = 500
READ_CHUNK = 100  # blocks per read of the current versions they overlap
FLUSH_AT = 5_000  # pending rows that make a long rebuild write what it has so far

ActionKey = tuple[str, UUID, str]
_UNREAD = object()


def block_of(row: Any) -> Block:
    return Block(block_id=row.block_id, **{name: getattr(row, name) for name in tables.BLOCK_COLUMNS})


def block_values(block: Block) -> dict[str, Any]:
    return {name: getattr(block, name) for name in tables.BLOCK_COLUMNS}


class SqlProjectionStore:
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session = session
        self.tenant_id = tenant_id
        self._forget()

    def _forget(self) -> None:
        """Drop what this store read and its pending writes (callers write the kept events first)."""
        self._latest: Any = _UNREAD
        self._kept: list[dict[str, Any]] = []
        self._complete = False  # every current block of the tenant is in `_current` (the projection was cleared)
        self._read: set[tuple[str, str, int, int]] = set()  # blocks whose overlapping current versions were read
        self._current: dict[UUID, tuple[int, Block]] = {}  # block id -> its current version, as known here
        self._last_version: dict[UUID, int] = {}
        self._closed: dict[UUID, datetime] = {}  # blocks whose stored current version ends, and when
        self._new_versions: dict[tuple[UUID, int], dict[str, Any]] = {}
        self._actions: dict[ActionKey, ActionRecord | None] = {}  # None: removed
        self._removed_actions: set[ActionKey] = set()
        self._puts: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}

    # Blocks

    def preload(self, blocks: Iterable[Block]) -> None:
        """Read, in a few statements, the current versions these blocks overlap and their last versions."""
        blocks = list(blocks)
        self._read_overlapping(blocks)
        unknown = list({b.block_id for b in blocks} - self._last_version.keys())
        if self._complete or not unknown:
            return
        for start in range(0, len(unknown), READ_CHUNK):
            ids = unknown[start : start + READ_CHUNK]
            rows = self.session.execute(
                select(VERSIONS.c.block_id, func.max(VERSIONS.c.version))
                .where(VERSIONS.c.tenant_id == self.tenant_id, VERSIONS.c.block_id.in_(ids))
                .group_by(VERSIONS.c.block_id)
            ).all()
            self._last_version.update({block_id: int(version) for block_id, version in rows})
            self._last_version.update({block_id: 0 for block_id in ids if block_id not in self._last_version})

    def current_blocks_overlapping(self, block: Block) -> list[Block]:
        self._read_overlapping([block])
        return [current for _, current in self._current.values() if overlaps(current, block)]

    def end_block(self, block_id: UUID, at: datetime) -> None:
        known = self._current.pop(block_id, None)
        if known is not None and (block_id, known[0]) in self._new_versions:
            self._new_versions[(block_id, known[0])]["valid_to"] = at
        elif (known is not None or not self._complete) and block_id not in self._closed:
            self._closed[block_id] = at  # the stored current version (if there is one: it may not have been read)

    def record_block(self, block: Block, at: datetime) -> None:
        version = self._version_after(block.block_id)
        self.end_block(block.block_id, at)
        self._new_versions[(block.block_id, version)] = {
            "tenant_id": self.tenant_id,
            "block_id": block.block_id,
            "version": version,
            "valid_from": at,
            "valid_to": None,
            **block_values(block),
        }
        self._current[block.block_id] = (version, block)
        self._last_version[block.block_id] = version
        self._flush_if_long()

    def _version_after(self, block_id: UUID) -> int:
        if block_id not in self._last_version and not self._complete:
            last = self.session.scalar(
                select(func.max(VERSIONS.c.version)).where(
                    VERSIONS.c.tenant_id == self.tenant_id, VERSIONS.c.block_id == block_id
                )
            )
            self._last_version[block_id] = int(last or 0)
        return self._last_version.get(block_id, 0) + 1

    def _read_overlapping(self, blocks: list[Block]) -> None:
        wanted = {_span(b): b for b in blocks} if not self._complete else {}
        unread = [b for span, b in wanted.items() if span not in self._read]
        for start in range(0, len(unread), READ_CHUNK):
            chunk = unread[start : start + READ_CHUNK]
            rows = self.session.execute(
                select(VERSIONS).where(
                    VERSIONS.c.tenant_id == self.tenant_id,
                    VERSIONS.c.valid_to.is_(None),
                    or_(*(_overlapping(b) for b in chunk)),
                )
            ).all()
            for row in rows:
                self._learn(row)
            self._read.update(_span(b) for b in chunk)

    def _learn(self, row: Any) -> None:
        """A stored current version, unless what this store wrote since supersedes it."""
        if row.block_id in self._closed or row.block_id in self._current:
            return
        self._current[row.block_id] = (row.version, block_of(row))
        self._last_version[row.block_id] = max(row.version, self._last_version.get(row.block_id, 0))

    # Actions

    def has_action(self, transaction_number: str, block_id: UUID, action_type: str) -> bool:
        key = (transaction_number, block_id, action_type)
        if key in self._actions:
            return self._actions[key] is not None
        if self._complete:
            return False
        where = self._action_key(*key)
        return bool(self.session.scalar(select(func.count()).select_from(tables.actions).where(where)))

    def remove_action(self, transaction_number: str, block_id: UUID, action_type: str) -> None:
        key = (transaction_number, block_id, action_type)
        self._actions[key] = None
        if not self._complete:
            self._removed_actions.add(key)

    def add_action(self, record: ActionRecord) -> None:
        self._actions[(record.transaction_number, record.block.block_id, record.action_type)] = record
        self._flush_if_long()

    def _action_key(self, number: str, block_id: UUID, action_type: str) -> Any:
        c = tables.actions.c
        return and_(
            c.tenant_id == self.tenant_id,
            c.transaction_number == number,
            c.block_id == block_id,
            c.action_type == action_type,
        )

    # Reference tables, kept events

    def put(self, kind: str, key: dict[str, Any], values: dict[str, Any]) -> None:
        self._puts.setdefault(kind, {})[tuple(key.values())] = {"tenant_id": self.tenant_id, **key, **values}

    def latest_sequence(self, below: int | None = None) -> int | None:
        if below is not None:
            self.flush()
            return self._stored_latest(below)
        if self._latest is _UNREAD:
            self._latest = self._stored_latest(None)
        pending = [row["sequence"] for row in self._kept]
        known = [self._latest] if self._latest is not None else []
        return max(known + pending, default=None)

    def _stored_latest(self, below: int | None) -> int | None:
        kept = tables.events.c
        query = select(func.max(kept.sequence)).where(kept.tenant_id == self.tenant_id)
        latest = self.session.scalar(query if below is None else query.where(kept.sequence < below))
        return None if latest is None else int(latest)

    def keep_event(self, sequence: int, event_name: str, data: dict[str, Any]) -> None:
        self._kept.append({"tenant_id": self.tenant_id, "sequence": sequence, "event_name": event_name, "data": data})

    def kept_events(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Read a page at a time, each read finished before its events are applied on the same connection."""
        self._write_kept()
        kept = tables.events.c
        query = select(kept.sequence, kept.event_name, kept.data).where(kept.tenant_id == self.tenant_id)
        page = self.session.execute(query.order_by(kept.sequence).limit(KEPT_PAGE)).all()
        while page:
            yield from ((row.event_name, row.data) for row in page)
            after = query.where(kept.sequence > page[-1].sequence)
            page = self.session.execute(after.order_by(kept.sequence).limit(KEPT_PAGE)).all()

    def clear(self) -> None:
        """Empty the tenant's projection; the kept events stay, to be applied again."""
        self._write_kept()
        self._forget()
        clear_projection(self.session, self.tenant_id)
        self._complete = True

    # Writing

    def flush(self) -> None:
        """Send every pending write: a few statements, whatever the number of events."""
        self._write_kept()
        if self._closed:
            self.session.execute(
                update(VERSIONS)
                .where(
                    VERSIONS.c.tenant_id == self.tenant_id,
                    VERSIONS.c.block_id == bindparam("closed_block"),
                    VERSIONS.c.valid_to.is_(None),
                )
                .values(valid_to=bindparam("closed_at")),
                [{"closed_block": block_id, "closed_at": at} for block_id, at in self._closed.items()],
            )
            self._closed = {}
        if self._new_versions:
            self.session.execute(insert(VERSIONS), list(self._new_versions.values()))
            self._new_versions = {}
        self._write_actions()
        for kind, rows in self._puts.items():
            self._upsert(PUT_TABLES[kind], list(rows.values()))
        self._puts = {}

    def _flush_if_long(self) -> None:
        if len(self._new_versions) + len(self._actions) >= FLUSH_AT:
            self.flush()

    def _write_kept(self) -> None:
        if self._kept:
            if self._latest is not _UNREAD:
                self._latest = self.latest_sequence()
            self.session.execute(insert(tables.events), self._kept)
            self._kept = []

    def _write_actions(self) -> None:
        c = tables.actions.c
        if self._removed_actions:
            columns = tuple_(c.transaction_number, c.block_id, c.action_type)
            self.session.execute(
                delete(tables.actions).where(c.tenant_id == self.tenant_id, columns.in_(list(self._removed_actions)))
            )
            self._removed_actions = set()
        added = [_action_row(self.tenant_id, record) for record in self._actions.values() if record is not None]
        if added:
            self.session.execute(insert(tables.actions), added)
        self._actions = {}

    def _upsert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(table).values(rows)
        keys = [column.name for column in table.primary_key.columns]
        changed = {name: statement.excluded[name] for name in rows[0] if name not in keys}
        self.session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))


def _span(block: Block) -> tuple[str, str, int, int]:
    return (block.cooperative_approach_id, block.registry_id, block.serial_first, block.serial_last)


def _overlapping(block: Block) -> Any:
    return and_(
        VERSIONS.c.cooperative_approach_id == block.cooperative_approach_id,
        VERSIONS.c.registry_id == block.registry_id,
        VERSIONS.c.serial_first <= block.serial_last,
        VERSIONS.c.serial_last >= block.serial_first,
    )


def _action_row(tenant_id: UUID, record: ActionRecord) -> dict[str, Any]:
    block = block_values(record.block)
    block.pop("account_id")
    block.pop("state")
    return {
        "tenant_id": tenant_id,
        "transaction_number": record.transaction_number,
        "block_id": record.block.block_id,
        "action_type": record.action_type,
        "action_subtype": record.action_subtype,
        "executed_at": record.executed_at,
        "year": record.year,
        "reported": record.reported,
        "quantity": record.block.quantity,
        "transferring_party": record.transferring_party,
        "acquiring_party": record.acquiring_party,
        "oimp_purpose": record.oimp_purpose,
        "using_party": record.using_party,
        "ndc_year": record.ndc_year,
        "beneficiary": record.beneficiary,
        "retirement_reason": record.retirement_reason,
        **block,
    }


def clear_projection(session: Session, tenant_id: UUID) -> None:
    for table in tables.PROJECTION:
        session.execute(delete(table).where(table.c.tenant_id == tenant_id))


def reset(session: Session, tenant_id: UUID) -> None:
    """Before a replay: the projection and its kept events, which the replay delivers again."""
    clear_projection(session, tenant_id)
    session.execute(delete(tables.events).where(tables.events.c.tenant_id == tenant_id))
