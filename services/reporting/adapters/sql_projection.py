"""The projection store on SQLAlchemy Core, inside the consumer's tenant-bound transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from services.reporting.adapters import tables
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


def block_of(row: Any) -> Block:
    return Block(block_id=row.block_id, **{name: getattr(row, name) for name in tables.BLOCK_COLUMNS})


def block_values(block: Block) -> dict[str, Any]:
    return {name: getattr(block, name) for name in tables.BLOCK_COLUMNS}


class SqlProjectionStore:
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session = session
        self.tenant_id = tenant_id

    def _current(self) -> Any:
        return and_(VERSIONS.c.tenant_id == self.tenant_id, VERSIONS.c.valid_to.is_(None))

    def current_blocks_overlapping(self, block: Block) -> list[Block]:
        rows = self.session.execute(
            select(VERSIONS).where(
                self._current(),
                VERSIONS.c.cooperative_approach_id == block.cooperative_approach_id,
                VERSIONS.c.registry_id == block.registry_id,
                VERSIONS.c.serial_first <= block.serial_last,
                VERSIONS.c.serial_last >= block.serial_first,
            )
        ).all()
        return [block_of(row) for row in rows]

    def end_block(self, block_id: UUID, at: datetime) -> None:
        self.session.execute(
            update(VERSIONS).where(self._current(), VERSIONS.c.block_id == block_id).values(valid_to=at)
        )

    def record_block(self, block: Block, at: datetime) -> None:
        last = self.session.scalar(
            select(func.max(VERSIONS.c.version)).where(
                VERSIONS.c.tenant_id == self.tenant_id, VERSIONS.c.block_id == block.block_id
            )
        )
        self.end_block(block.block_id, at)
        self.session.execute(
            insert(VERSIONS).values(
                tenant_id=self.tenant_id,
                block_id=block.block_id,
                version=(last or 0) + 1,
                valid_from=at,
                valid_to=None,
                **block_values(block),
            )
        )

    def _action_key(self, number: str, block_id: UUID, action_type: str) -> Any:
        c = tables.actions.c
        return and_(
            c.tenant_id == self.tenant_id,
            c.transaction_number == number,
            c.block_id == block_id,
            c.action_type == action_type,
        )

    def has_action(self, transaction_number: str, block_id: UUID, action_type: str) -> bool:
        key = self._action_key(transaction_number, block_id, action_type)
        return bool(self.session.scalar(select(func.count()).select_from(tables.actions).where(key)))

    def remove_action(self, transaction_number: str, block_id: UUID, action_type: str) -> None:
        self.session.execute(delete(tables.actions).where(self._action_key(transaction_number, block_id, action_type)))

    def add_action(self, record: ActionRecord) -> None:
        block = block_values(record.block)
        block.pop("account_id")
        block.pop("state")
        self.session.execute(
            insert(tables.actions).values(
                tenant_id=self.tenant_id,
                transaction_number=record.transaction_number,
                block_id=record.block.block_id,
                action_type=record.action_type,
                action_subtype=record.action_subtype,
                executed_at=record.executed_at,
                year=record.year,
                reported=record.reported,
                quantity=record.block.quantity,
                transferring_party=record.transferring_party,
                acquiring_party=record.acquiring_party,
                oimp_purpose=record.oimp_purpose,
                using_party=record.using_party,
                ndc_year=record.ndc_year,
                beneficiary=record.beneficiary,
                retirement_reason=record.retirement_reason,
                **block,
            )
        )

    def put(self, kind: str, key: dict[str, Any], values: dict[str, Any]) -> None:
        table = PUT_TABLES[kind]
        where = and_(table.c.tenant_id == self.tenant_id, *(table.c[name] == value for name, value in key.items()))
        if self.session.scalar(select(func.count()).select_from(table).where(where)):
            self.session.execute(update(table).where(where).values(**values))
        else:
            self.session.execute(insert(table).values(tenant_id=self.tenant_id, **key, **values))

    def latest_sequence(self, below: int | None = None) -> int | None:
        kept = tables.events.c
        query = select(func.max(kept.sequence)).where(kept.tenant_id == self.tenant_id)
        latest = self.session.scalar(query if below is None else query.where(kept.sequence < below))
        return None if latest is None else int(latest)

    def keep_event(self, sequence: int, event_name: str, data: dict[str, Any]) -> None:
        values = {"tenant_id": self.tenant_id, "sequence": sequence, "event_name": event_name, "data": data}
        self.session.execute(insert(tables.events).values(**values))

    def kept_events(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Read a page at a time, each read finished before its events are applied on the same connection."""
        kept = tables.events.c
        query = select(kept.sequence, kept.event_name, kept.data).where(kept.tenant_id == self.tenant_id)
        page = self.session.execute(query.order_by(kept.sequence).limit(KEPT_PAGE)).all()
        while page:
            yield from ((row.event_name, row.data) for row in page)
            after = query.where(kept.sequence > page[-1].sequence)
            page = self.session.execute(after.order_by(kept.sequence).limit(KEPT_PAGE)).all()

    def clear(self) -> None:
        """Empty the tenant's projection; the kept events stay, to be applied again."""
        clear_projection(self.session, self.tenant_id)


def clear_projection(session: Session, tenant_id: UUID) -> None:
    for table in tables.PROJECTION:
        session.execute(delete(table).where(table.c.tenant_id == tenant_id))


def reset(session: Session, tenant_id: UUID) -> None:
    """Before a replay: the projection and its kept events, which the replay delivers again."""
    clear_projection(session, tenant_id)
    session.execute(delete(tables.events).where(tables.events.c.tenant_id == tenant_id))
