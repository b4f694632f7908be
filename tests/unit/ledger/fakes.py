"""An in-memory ledger unit of work that behaves like a database: per tenant, all or nothing.

Entering the unit of work takes a private copy of the tenant's committed state; `commit()` makes the
copy the committed state and appends the events to the tenant's outbox; anything else discards it.
The SQL adapter must pass the same contract suite.
"""

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from services.ledger.domain.accounts import HOLDING_TYPES, Account
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import UnitBlock, UnitFilter, block_order
from services.ledger.domain.counters import Counter
from services.ledger.domain.guard import TRANSFER_TYPES, RecentMovement
from services.ledger.domain.journal import JournalRecord
from services.ledger.domain.protection import Controls, HeldAccount
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.domain.transactions import Transaction, TransactionStatus, TransactionType
from services.ledger.service_layer import ports
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import StoredResult
from services.shared.ids import new_id
from services.shared.messages import Event

Record = CooperativeApproach | Project | Issuance | AuthorizedEntity


@dataclass
class TenantState:
    accounts: dict[UUID, Account] = field(default_factory=dict)
    blocks: dict[UUID, UnitBlock] = field(default_factory=dict)
    authorizations: dict[UUID, Authorization] = field(default_factory=dict)
    transactions: dict[UUID, Transaction] = field(default_factory=dict)
    counters: dict[str, Counter] = field(default_factory=dict)
    journal: list[JournalRecord] = field(default_factory=list)
    records: dict[object, Record] = field(default_factory=dict)
    idempotency: dict[str, StoredResult] = field(default_factory=dict)
    outbox: list[Event] = field(default_factory=list)
    controls: dict[UUID, Controls] = field(default_factory=dict)

    def working_copy(self) -> "TenantState":
        """A private copy to change. What never changes again is shared: journal records, stored results,
        events, finished transactions and used, cancelled or retired blocks (the domain refuses to touch them)."""
        return TenantState(
            accounts=copy.deepcopy(self.accounts),
            blocks={i: b if b.is_terminal else copy.deepcopy(b) for i, b in self.blocks.items()},
            authorizations=copy.deepcopy(self.authorizations),
            transactions={i: t if t.is_final else copy.deepcopy(t) for i, t in self.transactions.items()},
            counters=copy.deepcopy(self.counters),
            journal=list(self.journal),
            records=copy.deepcopy(self.records),
            idempotency=dict(self.idempotency),
            outbox=list(self.outbox),
            controls=copy.deepcopy(self.controls),
        )


class FakeLedgerStore:
    """The committed state of every tenant."""

    def __init__(self) -> None:
        self.tenants: dict[UUID, TenantState] = {}

    def state(self, tenant_id: UUID) -> TenantState:
        return self.tenants.setdefault(tenant_id, TenantState())


class FakeAccountRepository(ports.AccountRepository):
    def __init__(self, state: TenantState) -> None:
        super().__init__()
        self.state = state

    def by_number(self, number: str) -> Account | None:
        return next((a for a in self.state.accounts.values() if str(a.number) == number), None)

    def _add(self, account: Account) -> None:
        self.state.accounts[account.id] = account

    def _get(self, account_id: UUID) -> Account | None:
        return self.state.accounts.get(account_id)

    def _get_many(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]:
        return {i: self.state.accounts[i] for i in account_ids if i in self.state.accounts}


class FakeBlockRepository(ports.BlockRepository):
    def __init__(self, state: TenantState) -> None:
        self.state = state

    def add(self, block: UnitBlock) -> None:
        self.state.blocks[block.id] = block

    def _ordered(self, keep: Callable[[UnitBlock], bool]) -> list[UnitBlock]:
        return sorted((b for b in self.state.blocks.values() if keep(b)), key=block_order)

    def for_update(self, account_id: UUID, unit_filter: UnitFilter) -> list[UnitBlock]:
        return self._ordered(lambda b: b.account_id == account_id and not b.is_terminal and unit_filter.matches(b))

    def reserved_by(self, transaction_id: UUID) -> list[UnitBlock]:
        return self._ordered(lambda b: b.reserved_by == transaction_id)

    def overlapping(
        self, cooperative_approach_id: str, registry_id: str, serial_first: int, serial_last: int
    ) -> list[UnitBlock]:
        return self._ordered(
            lambda b: (
                b.space == (cooperative_approach_id, registry_id)
                and b.serial_first <= serial_last
                and serial_first <= b.serial_last
            )
        )

    def held_by(self, account_id: UUID) -> list[UnitBlock]:
        return self._ordered(lambda b: b.account_id == account_id)

    def containing(self, cooperative_approach_id: str, registry_id: str, serial: int) -> UnitBlock | None:
        found = self.overlapping(cooperative_approach_id, registry_id, serial, serial)
        return found[0] if found else None


class FakeAuthorizationRepository(ports.AuthorizationRepository):
    def __init__(self, state: TenantState) -> None:
        super().__init__()
        self.state = state

    def _add(self, authorization: Authorization) -> None:
        self.state.authorizations[authorization.id] = authorization

    def _get(self, authorization_id: UUID, for_update: bool) -> Authorization | None:
        return self.state.authorizations.get(authorization_id)


class FakeTransactionRepository(ports.TransactionRepository):
    def __init__(self, state: TenantState) -> None:
        super().__init__()
        self.state = state

    def by_incoming_transfer(self, incoming_transfer_id: UUID) -> Transaction | None:
        return next(
            (
                t
                for t in self.state.transactions.values()
                if t.type is TransactionType.ACQUISITION and t.details.incoming_transfer_id == incoming_transfer_id
            ),
            None,
        )

    def history(self, account_id: UUID, until: datetime | None = None) -> list[Transaction]:
        return self._completed(
            lambda t: (
                (until is None or _executed(t) <= until)
                and any(account_id in (c.from_account_id, c.to_account_id) for c in t.changes)
            )
        )

    def touching(self, cooperative_approach_id: str, registry_id: str, serial: int) -> list[Transaction]:
        return self._completed(
            lambda t: any(c.contains(cooperative_approach_id, registry_id, serial) for c in t.changes)
        )

    def _completed(self, keep: Callable[[Transaction], bool]) -> list[Transaction]:
        done = [t for t in self.state.transactions.values() if t.status is TransactionStatus.COMPLETED and keep(t)]
        return sorted(done, key=lambda t: (_executed(t), t.number))

    def _add(self, transaction: Transaction) -> None:
        self.state.transactions[transaction.id] = transaction

    def _get(self, transaction_id: UUID) -> Transaction | None:
        return self.state.transactions.get(transaction_id)

    def _due(self, now: datetime) -> list[Transaction]:
        due = [
            t
            for t in self.state.transactions.values()
            if t.status is TransactionStatus.DELAYED and t.execute_after is not None and t.execute_after <= now
        ]
        return sorted(due, key=lambda t: (t.execute_after, t.number))


def _executed(transaction: Transaction) -> datetime:
    if transaction.executed_at is None:
        raise ValueError("only completed transactions have an execution time")
    return transaction.executed_at


class FakeCounterRepository(ports.CounterRepository):
    def __init__(self, state: TenantState) -> None:
        self.state = state

    def get(self, name: str) -> Counter:
        return self.state.counters.setdefault(name, Counter(name))


class FakeJournalRepository(ports.JournalRepository):
    def __init__(self, state: TenantState) -> None:
        self.state = state

    def last(self) -> JournalRecord | None:
        return self.state.journal[-1] if self.state.journal else None

    def append(self, record: JournalRecord) -> None:
        if record.sequence != len(self.state.journal) + 1:
            raise ValueError(f"journal sequence {record.sequence} is not next")
        self.state.journal.append(record)

    def records(self, from_sequence: int = 1) -> list[JournalRecord]:
        return self.state.journal[from_sequence - 1 :]


class FakeReferenceDataRepository(ports.ReferenceDataRepository):
    def __init__(self, state: TenantState) -> None:
        super().__init__()
        self.state = state

    def entities_of(self, organization_id: UUID) -> list[AuthorizedEntity]:
        return [
            r
            for r in self.state.records.values()
            if isinstance(r, AuthorizedEntity) and r.organization_id == organization_id
        ]

    def _add(self, record: Record) -> None:
        self.state.records[(type(record).__name__, record.id)] = record

    def _find(self, kind: type[Record], key: object) -> Record | None:
        return self.state.records.get((kind.__name__, key))

    def _approach(self, approach_id: str) -> CooperativeApproach | None:
        found = self._find(CooperativeApproach, approach_id)
        return found if isinstance(found, CooperativeApproach) else None

    def _project(self, project_id: UUID) -> Project | None:
        found = self._find(Project, project_id)
        return found if isinstance(found, Project) else None

    def _issuance(self, issuance_id: UUID) -> Issuance | None:
        found = self._find(Issuance, issuance_id)
        return found if isinstance(found, Issuance) else None

    def _entity(self, entity_id: UUID) -> AuthorizedEntity | None:
        found = self._find(AuthorizedEntity, entity_id)
        return found if isinstance(found, AuthorizedEntity) else None


class FakeIdempotencyRepository(ports.IdempotencyRepository):
    def __init__(self, state: TenantState) -> None:
        self.state = state

    def get(self, key: str) -> StoredResult | None:
        return self.state.idempotency.get(key)

    def claim(self, key: str, fingerprint: str) -> StoredResult | None:
        return self.get(key)  # one unit of work at a time: nothing to wait for

    def add(self, stored: StoredResult) -> None:
        if stored.key in self.state.idempotency:
            raise ValueError(f"idempotency key {stored.key!r} is taken")
        self.state.idempotency[stored.key] = stored


class FakeControlRepository(ports.ControlRepository):
    def __init__(self, state: TenantState) -> None:
        super().__init__()
        self.state = state

    def recent_transfers(self, account_id: UUID, since: datetime) -> list[RecentMovement]:
        withdrawn = {TransactionStatus.REJECTED, TransactionStatus.CANCELLED, TransactionStatus.TERMINATED}
        return [
            RecentMovement(t.proposed_at, t.quantity)
            for t in self.state.transactions.values()
            if t.source_account_id == account_id
            and t.proposed_at > since
            and t.type in TRANSFER_TYPES
            and t.status not in withdrawn
        ]

    def accounts_of(self, organization_id: UUID) -> list[HeldAccount]:
        held = [a for a in self.state.accounts.values() if a.holder_id == organization_id and a.type in HOLDING_TYPES]
        return [HeldAccount(a.id, str(a.number)) for a in sorted(held, key=lambda a: str(a.number))]

    def _add(self, controls: Controls) -> None:
        self.state.controls[controls.subject_id] = controls

    def _get(self, subject_id: UUID, for_update: bool) -> Controls | None:
        return self.state.controls.get(subject_id)


class FakeLedgerUnitOfWork(AbstractLedgerUnitOfWork):
    """Use it only inside `with`: outside, its repositories see an empty ledger."""

    def __init__(self, tenant_id: UUID | None = None, store: FakeLedgerStore | None = None) -> None:
        self.tenant_id = tenant_id or new_id()
        self.store = store or FakeLedgerStore()
        self.commits = 0
        self._open(TenantState())

    @property
    def committed(self) -> TenantState:
        return self.store.state(self.tenant_id)

    def __enter__(self) -> "FakeLedgerUnitOfWork":
        self._open(self.committed.working_copy())
        return self

    def _open(self, working: TenantState) -> None:
        self.working = working
        self.accounts = FakeAccountRepository(working)
        self.blocks = FakeBlockRepository(working)
        self.authorizations = FakeAuthorizationRepository(working)
        self.transactions = FakeTransactionRepository(working)
        self.counters = FakeCounterRepository(working)
        self.journal = FakeJournalRepository(working)
        self.reference = FakeReferenceDataRepository(working)
        self.idempotency = FakeIdempotencyRepository(working)
        self.controls = FakeControlRepository(working)

    def _commit(self, events: Sequence[Event]) -> None:
        self.working.outbox.extend(events)
        self.store.tenants[self.tenant_id] = self.working
        self.commits += 1

    def rollback(self) -> None:
        self._open(TenantState())
