"""Read-only questions about a tenant's ledger: holdings now and in the past, a unit's history, statements."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.ledger.domain import catalogue
from services.ledger.domain.accounts import Account
from services.ledger.domain.blocks import UnitState
from services.ledger.domain.checks.accounts import require_account
from services.ledger.domain.errors import failed
from services.ledger.domain.events import BlockSnapshot
from services.ledger.domain.identifiers import AccountNumber, ItmoId
from services.ledger.domain.transactions import Transaction, TransactionType
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork


@dataclass(frozen=True)
class HoldingLine:
    cooperative_approach_id: str
    vintage: int
    quantity: int
    state: UnitState | None = None


@dataclass(frozen=True)
class Holdings:
    """What an account holds, by cooperative approach and vintage (and state, for today's holdings)."""

    account_id: UUID
    as_of: datetime | None
    lines: tuple[HoldingLine, ...]

    @property
    def total(self) -> int:
        return sum(line.quantity for line in self.lines)


def account_by_number(uow: AbstractLedgerUnitOfWork, number: str) -> Account:
    """The account a typed account number names; its format and check digits are checked first."""
    AccountNumber.parse(number)
    with uow:
        found = uow.accounts.by_number(number)
    if found is None:
        raise failed(catalogue.ACCOUNT_EXISTS, f"There is no account {number}.", "account_number")
    return found


def holdings(uow: AbstractLedgerUnitOfWork, account_id: UUID, as_of: datetime | None = None) -> Holdings:
    """Today's holdings from the blocks, or past holdings replayed from completed transactions."""
    with uow:
        require_account(uow.accounts.get_many([account_id]).get(account_id), account_id, "account_id")
        if as_of is None:
            totals = Counter[tuple[str, int, UnitState | None]]()
            for block in uow.blocks.held_by(account_id):
                totals[(block.attributes.cooperative_approach_id, block.attributes.vintage, block.state)] += (
                    block.quantity
                )
        else:
            totals = Counter()
            for transaction in uow.transactions.history(account_id, until=as_of):
                for (approach_id, vintage), delta in _deltas(transaction, account_id).items():
                    totals[(approach_id, vintage, None)] += delta
    lines = tuple(HoldingLine(a, v, q, s) for (a, v, s), q in sorted(totals.items(), key=str) if q)
    return Holdings(account_id, as_of, lines)


@dataclass(frozen=True)
class HistoryEntry:
    transaction_id: UUID
    transaction_number: str
    transaction_type: TransactionType
    executed_at: datetime | None
    from_account_id: UUID | None
    to_account_id: UUID
    state: UnitState
    first_transferred: bool


@dataclass(frozen=True)
class UnitHistory:
    itmo_id: str
    current: BlockSnapshot | None
    entries: tuple[HistoryEntry, ...]


def unit_history(uow: AbstractLedgerUnitOfWork, itmo_id: str) -> UnitHistory:
    """Every completed action on one unit, oldest first, and the block that holds it today."""
    unit = ItmoId.parse(itmo_id)
    approach_id, registry_id, serial = unit.cooperative_approach_id, unit.registry_id, unit.serial
    with uow:
        block = uow.blocks.containing(approach_id, registry_id, serial)
        entries = tuple(
            HistoryEntry(
                t.id, t.number, t.type, t.executed_at, c.from_account_id, c.to_account_id, c.state, c.first_transferred
            )
            for t in uow.transactions.touching(approach_id, registry_id, serial)
            for c in t.changes
            if c.contains(approach_id, registry_id, serial)
        )
    current = block.snapshot() if block is not None and str(block.itmo_id(serial)) == str(unit) else None
    return UnitHistory(str(unit), current, entries)


@dataclass(frozen=True)
class StatementLine:
    transaction_number: str
    transaction_type: TransactionType
    executed_at: datetime | None
    units_in: int
    units_out: int
    balance: int


@dataclass(frozen=True)
class Statement:
    account_id: UUID
    start: datetime
    end: datetime
    opening_balance: int
    lines: tuple[StatementLine, ...]

    @property
    def closing_balance(self) -> int:
        return self.lines[-1].balance if self.lines else self.opening_balance


def statement(uow: AbstractLedgerUnitOfWork, account_id: UUID, start: datetime, end: datetime) -> Statement:
    """Units in and out of an account between `start` (excluded) and `end` (included), with balances."""
    with uow:
        require_account(uow.accounts.get_many([account_id]).get(account_id), account_id, "account_id")
        history = uow.transactions.history(account_id, until=end)
    opening, lines = 0, list[StatementLine]()
    for transaction in history:
        units_in, units_out = _in_and_out(transaction, account_id)
        if transaction.executed_at is not None and transaction.executed_at <= start:
            opening += units_in - units_out
            continue
        balance = (lines[-1].balance if lines else opening) + units_in - units_out
        lines.append(
            StatementLine(transaction.number, transaction.type, transaction.executed_at, units_in, units_out, balance)
        )
    return Statement(account_id, start, end, opening, tuple(lines))


def _in_and_out(transaction: Transaction, account_id: UUID) -> tuple[int, int]:
    moved = [c for c in transaction.changes if c.from_account_id != c.to_account_id]
    units_in = sum(c.quantity for c in moved if c.to_account_id == account_id)
    units_out = sum(c.quantity for c in moved if c.from_account_id == account_id)
    return units_in, units_out


def _deltas(transaction: Transaction, account_id: UUID) -> Counter[tuple[str, int]]:
    deltas = Counter[tuple[str, int]]()
    for change in transaction.changes:
        if change.from_account_id == change.to_account_id:
            continue
        key = (change.cooperative_approach_id, change.vintage)
        if change.to_account_id == account_id:
            deltas[key] += change.quantity
        if change.from_account_id == account_id:
            deltas[key] -= change.quantity
    return deltas
