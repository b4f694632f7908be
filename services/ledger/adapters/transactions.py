"""SQL repository of transactions. Their block changes live in a table of their own, so the history of an
account and the trail of a unit are indexed queries."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, or_, select

from services.ledger.adapters import tables
from services.ledger.domain.blocks import BlockSplit, UnitState
from services.ledger.domain.transactions import (
    ActionDetails,
    BlockChange,
    StatusChange,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from services.ledger.service_layer import ports
from services.shared.db.codec import decode, encode
from services.shared.db.statements import SqlStatements
from services.shared.db.tracking import Row, TableTracker, insert_rows

_PLAIN = (
    "id",
    "number",
    "initiator_id",
    "proposed_at",
    "quantity",
    "source_account_id",
    "destination_account_id",
    "approver_id",
    "execute_after",
    "executed_at",
    "reason",
    "journal_sequence",
)
_CHANGE = (
    "block_id",
    "cooperative_approach_id",
    "registry_id",
    "first_transferring_party",
    "serial_first",
    "serial_last",
    "vintage",
    "from_account_id",
    "to_account_id",
    "first_transferred",
)


# A transaction written ahead of its number (see `record_transaction`) is stored under this prefix and its
# id until the number, taken in the same database transaction, replaces it: the column is unique.
_UNNUMBERED = "~"


def transaction_row(t: Transaction) -> Row:
    return {
        **{name: getattr(t, name) for name in _PLAIN},
        "number": t.number or f"{_UNNUMBERED}{t.id.hex}",
        "type": t.type.value,
        "status": t.status.value,
        "incoming_transfer_id": t.details.incoming_transfer_id,
        "details": encode(t.details),
        "splits": encode(t.splits),
        "history": encode(t.history),
    }


def transaction_from(r: Mapping[str, Any]) -> Transaction:
    return Transaction(
        **{name: r[name] for name in _PLAIN if name != "number"},
        number="" if r["number"].startswith(_UNNUMBERED) else r["number"],
        type=TransactionType(r["type"]),
        status=TransactionStatus(r["status"]),
        details=decode(ActionDetails, r["details"]),
        splits=[decode(BlockSplit, s) for s in r["splits"]],
        history=[decode(StatusChange, h) for h in r["history"]],
        changes=list(r["changes"]),
    )


def change_row(change: BlockChange) -> Row:
    return {**{name: getattr(change, name) for name in _CHANGE}, "state": change.state.value}


def change_from(r: Mapping[str, Any]) -> BlockChange:
    return BlockChange(**{name: r[name] for name in _CHANGE}, state=UnitState(r["state"]))


class SqlTransactionRepository(ports.TransactionRepository):
    def __init__(self, statements: SqlStatements, tenant_id: UUID, flush: Callable[[], None]) -> None:
        super().__init__()
        self.statements, self.tenant_id, self.flush = statements, tenant_id, flush
        self.rows = TableTracker(
            statements,
            tenant_id,
            tables.transactions,
            key=lambda t: t.id,
            to_row=transaction_row,
            from_row=transaction_from,
        )
        self.saved_changes: dict[UUID, int] = {}

    def flush_changes(self) -> None:
        self.rows.flush()
        rows = []
        for transaction, _ in self.rows.loaded.values():
            saved = self.saved_changes.get(transaction.id, 0)
            rows += [
                {
                    "transaction_id": transaction.id,
                    "position": position,
                    **change_row(change),
                }
                for position, change in enumerate(transaction.changes[saved:], start=saved)
            ]
            self.saved_changes[transaction.id] = len(transaction.changes)
        if rows:
            insert_rows(self.statements, tables.block_changes, self.tenant_id, rows)

    def discard(self) -> None:
        self.rows.discard()
        self.saved_changes.clear()

    def _load(self, statement: Select[Any]) -> list[Transaction]:
        self.flush()
        found = list(self.statements.execute(statement, {"tenant_id": self.tenant_id}).mappings())
        unknown = [row["id"] for row in found if row["id"] not in self.rows.loaded]
        changes: dict[UUID, list[BlockChange]] = {i: [] for i in unknown}
        if unknown:
            c = tables.block_changes.c
            query = select(tables.block_changes).where(c.tenant_id == self.tenant_id, c.transaction_id.in_(unknown))
            for row in self.statements.execute(query.order_by(c.transaction_id, c.position)).mappings():
                changes[row["transaction_id"]].append(change_from(dict(row)))
        for transaction_id, loaded in changes.items():
            self.saved_changes[transaction_id] = len(loaded)
        return [self.rows.adopt({**row, "changes": changes.get(row["id"], [])}) for row in found]

    def _completed(self, *criteria: Any) -> list[Transaction]:
        t, c = tables.transactions.c, tables.block_changes.c
        moved = select(c.transaction_id).where(c.tenant_id == self.tenant_id, *criteria)
        statement = self.rows.select().where(t.status == TransactionStatus.COMPLETED.value, t.id.in_(moved))
        return self._load(statement.order_by(t.executed_at, t.number))

    def by_incoming_transfer(self, incoming_transfer_id: UUID) -> Transaction | None:
        t = tables.transactions.c
        found = self._load(
            self.rows.select().where(
                t.type == TransactionType.ACQUISITION.value, t.incoming_transfer_id == incoming_transfer_id
            )
        )
        return found[0] if found else None

    def history(self, account_id: UUID, until: datetime | None = None) -> list[Transaction]:
        c = tables.block_changes.c
        found = self._completed(or_(c.from_account_id == account_id, c.to_account_id == account_id))
        return [t for t in found if until is None or (t.executed_at is not None and t.executed_at <= until)]

    def touching(self, cooperative_approach_id: str, registry_id: str, serial: int) -> list[Transaction]:
        c = tables.block_changes.c
        return self._completed(
            c.cooperative_approach_id == cooperative_approach_id,
            c.registry_id == registry_id,
            c.serial_first <= serial,
            c.serial_last >= serial,
        )

    def _add(self, transaction: Transaction) -> None:
        self.rows.add(transaction)

    def _get(self, transaction_id: UUID) -> Transaction | None:
        statement = self.rows.select().where(tables.transactions.c.id == transaction_id).with_for_update()
        found = self._load(statement)
        return found[0] if found else None

    def _due(self, now: datetime) -> list[Transaction]:
        t = tables.transactions.c
        statement = (
            self.rows.select()
            .where(
                t.status == TransactionStatus.DELAYED.value,
                t.execute_after.is_not(None),
                t.execute_after <= now,
            )
            .order_by(t.execute_after, t.number)
        )
        return self._load(statement.with_for_update(skip_locked=True))
