"""The repository interfaces of the ledger. Every method is scoped to the unit of work's tenant.

Lock order, which every handler follows and every adapter keeps, so two transactions never wait on
each other in a circle:

1. the transaction row (lifecycle handlers only: approve, reject, cancel, execute, complete, reverse);
2. accounts, in ascending id order (`get_many`), then the controls a handler changes (`controls.get(...,
   for_update=True)`: an account's before its organization's);
3. authorizations that the action changes (`get(..., for_update=True)`), then reference records it
   changes (an issuance);
4. unit blocks, in ascending (serial_first, id) order (`for_update`, `reserved_by`, `overlapping`);
5. counters; 6. the journal head (`head` or `last`), always last.

Reads without a lock (`get` of an authorization, reference look-ups, `held_by`, `containing`, the
transaction history) may happen at any point.
"""

import abc
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from services.ledger.domain.accounts import Account
from services.ledger.domain.aggregate import Aggregate
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import UnitBlock, UnitFilter
from services.ledger.domain.counters import Counter
from services.ledger.domain.guard import RecentMovement
from services.ledger.domain.journal import GENESIS_HASH, JournalRecord
from services.ledger.domain.protection import Controls, HeldAccount
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.domain.transactions import Transaction
from services.ledger.service_layer.results import StoredResult

A = TypeVar("A", bound=Aggregate)


class TrackingRepository(Generic[A]):
    """Remembers the aggregates it handed out, so the unit of work can collect their events."""

    def __init__(self) -> None:
        self.seen: list[Aggregate] = []

    def _track(self, aggregate: A | None) -> A | None:
        if aggregate is not None:
            self.seen.append(aggregate)
        return aggregate


class AccountRepository(TrackingRepository[Account], abc.ABC):
    def add(self, account: Account) -> None:
        self._add(account)
        self._track(account)

    def get(self, account_id: UUID) -> Account | None:
        """The account, locked for update (its status changes)."""
        return self._track(self._get(account_id))

    def get_many(self, account_ids: Iterable[UUID]) -> dict[UUID, Account]:
        """The accounts that exist among `account_ids`, share-locked in ascending id order."""
        found = self._get_many(sorted(set(account_ids)))
        for account in found.values():
            self._track(account)
        return found

    @abc.abstractmethod
    def by_number(self, number: str) -> Account | None:
        """Read the account with this account number."""

    @abc.abstractmethod
    def _add(self, account: Account) -> None: ...

    @abc.abstractmethod
    def _get(self, account_id: UUID) -> Account | None: ...

    @abc.abstractmethod
    def _get_many(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]: ...


class BlockRepository(abc.ABC):
    """Unit blocks. Changes to blocks handed out are saved at commit; blocks are never deleted.

    The adapter must refuse two live blocks of one serial space (cooperative approach, registry)
    that overlap: on PostgreSQL an exclusion constraint over (tenant, space, serial range).
    """

    @abc.abstractmethod
    def add(self, block: UnitBlock) -> None: ...

    @abc.abstractmethod
    def for_update(self, account_id: UUID, unit_filter: UnitFilter) -> list[UnitBlock]:
        """Active and pending blocks the account holds that match the filter, locked, in block order."""

    @abc.abstractmethod
    def reserved_by(self, transaction_id: UUID) -> list[UnitBlock]:
        """Blocks the transaction reserved, locked, in block order."""

    @abc.abstractmethod
    def overlapping(
        self, cooperative_approach_id: str, registry_id: str, serial_first: int, serial_last: int
    ) -> list[UnitBlock]:
        """Blocks of any state in the serial space whose range meets the given one, locked, in block order."""

    @abc.abstractmethod
    def held_by(self, account_id: UUID) -> list[UnitBlock]:
        """Read every block the account holds, whatever its state, in block order."""

    @abc.abstractmethod
    def containing(self, cooperative_approach_id: str, registry_id: str, serial: int) -> UnitBlock | None:
        """Read the block that holds this serial today."""


class AuthorizationRepository(TrackingRepository[Authorization], abc.ABC):
    def add(self, authorization: Authorization) -> None:
        self._add(authorization)
        self._track(authorization)

    def get(self, authorization_id: UUID, for_update: bool = False) -> Authorization | None:
        """The authorization; locked only when the handler changes it (units counted against it)."""
        return self._track(self._get(authorization_id, for_update))

    @abc.abstractmethod
    def _add(self, authorization: Authorization) -> None: ...

    @abc.abstractmethod
    def _get(self, authorization_id: UUID, for_update: bool) -> Authorization | None: ...


class TransactionRepository(TrackingRepository[Transaction], abc.ABC):
    def add(self, transaction: Transaction) -> None:
        self._add(transaction)
        self._track(transaction)

    def get(self, transaction_id: UUID) -> Transaction | None:
        """The transaction, locked for update."""
        return self._track(self._get(transaction_id))

    def due(self, now: datetime) -> list[Transaction]:
        """Delayed transactions whose time has come, locked (skipping locked ones), oldest first."""
        due = self._due(now)
        for transaction in due:
            self._track(transaction)
        return due

    @abc.abstractmethod
    def by_incoming_transfer(self, incoming_transfer_id: UUID) -> Transaction | None:
        """Read the acquisition of this incoming transfer. The adapter keeps it unique per tenant."""

    @abc.abstractmethod
    def history(self, account_id: UUID, until: datetime | None = None) -> list[Transaction]:
        """Read completed transactions that moved units in or out of the account, executed by `until`,
        in order of execution (then number)."""

    @abc.abstractmethod
    def touching(self, cooperative_approach_id: str, registry_id: str, serial: int) -> list[Transaction]:
        """Read completed transactions that changed the unit with this serial, in order of execution."""

    @abc.abstractmethod
    def _add(self, transaction: Transaction) -> None: ...

    @abc.abstractmethod
    def _get(self, transaction_id: UUID) -> Transaction | None: ...

    @abc.abstractmethod
    def _due(self, now: datetime) -> list[Transaction]: ...


class CounterRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, name: str) -> Counter:
        """The tenant's counter, locked; a counter not seen before starts at 1."""

    def take_one(self, name: str) -> int:
        """The counter's next value, taken; the counter stays locked until commit."""
        return self.get(name).take()


class JournalRepository(abc.ABC):
    """Append-only. The adapter must never update or delete a record, and must serialize appends per
    tenant (lock the chain head in `last`) and refuse a sequence that is not the last one plus one."""

    @abc.abstractmethod
    def last(self) -> JournalRecord | None:
        """The newest record, with the chain head locked until commit."""

    def head(self) -> tuple[int, str]:
        """The newest record's sequence and hash (0 and the genesis hash for an empty chain), with the
        chain head locked until commit. Adapters that keep the head apart answer without reading a record."""
        last = self.last()
        return (0, GENESIS_HASH) if last is None else (last.sequence, last.record_hash)

    @abc.abstractmethod
    def append(self, record: JournalRecord) -> None: ...

    @abc.abstractmethod
    def records(self, from_sequence: int = 1) -> list[JournalRecord]:
        """Read the records from `from_sequence` on, in sequence order."""


class ReferenceDataRepository(TrackingRepository[Aggregate], abc.ABC):
    """Cooperative approaches, projects, issuances and authorized entities.

    An issuance is locked when read (units issued against it are counted); the others are plain reads.
    """

    def add(self, record: CooperativeApproach | Project | Issuance | AuthorizedEntity) -> None:
        self._add(record)
        self._track(record)

    def approach(self, approach_id: str) -> CooperativeApproach | None:
        found = self._approach(approach_id)
        self._track(found)
        return found

    def project(self, project_id: UUID) -> Project | None:
        found = self._project(project_id)
        self._track(found)
        return found

    def issuance(self, issuance_id: UUID) -> Issuance | None:
        found = self._issuance(issuance_id)
        self._track(found)
        return found

    def entity(self, entity_id: UUID) -> AuthorizedEntity | None:
        found = self._entity(entity_id)
        self._track(found)
        return found

    @abc.abstractmethod
    def entities_of(self, organization_id: UUID) -> list[AuthorizedEntity]:
        """Read the authorized-entity records of an organization, under every cooperative approach."""

    @abc.abstractmethod
    def _add(self, record: CooperativeApproach | Project | Issuance | AuthorizedEntity) -> None: ...

    @abc.abstractmethod
    def _approach(self, approach_id: str) -> CooperativeApproach | None: ...

    @abc.abstractmethod
    def _project(self, project_id: UUID) -> Project | None: ...

    @abc.abstractmethod
    def _issuance(self, issuance_id: UUID) -> Issuance | None: ...

    @abc.abstractmethod
    def _entity(self, entity_id: UUID) -> AuthorizedEntity | None: ...


class IdempotencyRepository(abc.ABC):
    """Results of requests sent with an idempotency key, unique per tenant.

    A request claims its key before it acts, and the unit of work holds the claim until it commits
    (with the result `add` stores) or rolls back (freeing the key). A concurrent claim of the same key
    waits for that end, then finds the stored result, or the key free again: one request acts, the
    others answer what it answered.
    """

    @abc.abstractmethod
    def get(self, key: str) -> StoredResult | None: ...

    @abc.abstractmethod
    def claim(self, key: str, fingerprint: str) -> StoredResult | None:
        """The result stored under `key`, or None when the key was free and is now this unit of work's."""

    @abc.abstractmethod
    def add(self, stored: StoredResult) -> None:
        """Store the result of the request that claimed `stored.key` in this unit of work."""


class ControlRepository(TrackingRepository[Controls], abc.ABC):
    """The account-protection controls of holding accounts and organizations, and what their checks read."""

    def add(self, controls: Controls) -> None:
        self._add(controls)
        self._track(controls)

    def get(self, subject_id: UUID, for_update: bool = False) -> Controls | None:
        """The controls of an account or organization; locked when the handler changes them."""
        return self._track(self._get(subject_id, for_update))

    @abc.abstractmethod
    def recent_transfers(self, account_id: UUID, since: datetime) -> list[RecentMovement]:
        """Read the transfers out of the account proposed after `since` that did not end rejected, cancelled
        or terminated (pending ones count)."""

    @abc.abstractmethod
    def accounts_of(self, organization_id: UUID) -> list[HeldAccount]:
        """Read the holding accounts the organization holds, in number order."""

    @abc.abstractmethod
    def _add(self, controls: Controls) -> None: ...

    @abc.abstractmethod
    def _get(self, subject_id: UUID, for_update: bool) -> Controls | None: ...
