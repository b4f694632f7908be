"""Actions: their objects loaded in lock order, checked, then run or held as the tenant's policy says."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Protocol, TypeVar
from uuid import UUID

from services.ledger.domain import catalogue, guard, movement_checks, movements
from services.ledger.domain.accounts import Account
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import UnitBlock, select_units
from services.ledger.domain.checks.accounts import require_account
from services.ledger.domain.checks.authorizations import require_authorization
from services.ledger.domain.checks.reference import require, require_approach
from services.ledger.domain.checks.units import check_quantity_available
from services.ledger.domain.counters import UNIT_SERIALS
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.first_transfers import international_transfer_type
from services.ledger.domain.issuing import Issuing, issue, verify_issuance
from services.ledger.domain.movements import Movement, terms_of
from services.ledger.domain.protection import ROLLING_DAY, OnLimit
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import (
    INTERNATIONAL_TYPES,
    ActionDetails,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from services.ledger.service_layer.handlers.common import finish, reason, result_of
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import TransactionResult, UnitRange

K = TypeVar("K", UUID, str)
_UNAPPROVED = frozenset({TransactionStatus.CHECKED, TransactionStatus.AWAITING_RELEASE})


class Action(Protocol):
    @property
    def transaction(self) -> Transaction: ...

    def verify(self, registry: RegistrySettings, now: datetime) -> None: ...

    def execute(self, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, now: datetime) -> None: ...

    def announce(self, registry: RegistrySettings, now: datetime) -> None: ...

    def release(self) -> None: ...

    def units(self) -> list[UnitRange]: ...

    def over_limit(self, registry: RegistrySettings, now: datetime) -> CheckFailed | None: ...

    def wait(self, registry: RegistrySettings, now: datetime) -> guard.Wait | None: ...

    def hold_for_release(self, over: CheckFailed, now: datetime) -> None: ...


@dataclass
class MovementAction:
    movement: Movement

    @property
    def transaction(self) -> Transaction:
        return self.movement.transaction

    def verify(self, registry: RegistrySettings, now: datetime) -> None:
        movement_checks.verify(self.movement, registry, now)

    def execute(self, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, now: datetime) -> None:
        movements.execute(self.movement, registry, now)

    def announce(self, registry: RegistrySettings, now: datetime) -> None:
        movements.announce(self.movement, registry, now)

    def release(self) -> None:
        movements.release(self.movement.blocks)

    def units(self) -> list[UnitRange]:
        return [UnitRange(block.first_itmo_id, block.last_itmo_id) for block in self.movement.blocks]

    def over_limit(self, registry: RegistrySettings, now: datetime) -> CheckFailed | None:
        return guard.over_limit(self.transaction, self.movement.source, self.movement.protection, now)

    def wait(self, registry: RegistrySettings, now: datetime) -> guard.Wait | None:
        m, delay = self.movement, registry.approval_policy.delay_for(self.transaction.type)
        return guard.wait(m.transaction, m.source, m.destination, m.protection, delay, now)

    def hold_for_release(self, over: CheckFailed, now: datetime) -> None:
        self.transaction.hold_for_release(now, over, str(self.movement.source.number))


@dataclass
class IssuingAction:
    issuing: Issuing

    @property
    def transaction(self) -> Transaction:
        return self.issuing.transaction

    def verify(self, registry: RegistrySettings, now: datetime) -> None:
        verify_issuance(self.issuing, registry, now)

    def execute(self, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, now: datetime) -> None:
        uow.blocks.add(issue(self.issuing, uow.counters.get(UNIT_SERIALS), now))

    def announce(self, registry: RegistrySettings, now: datetime) -> None:
        """Nothing more: an issuance is numbered when proposed, so it records its events as it runs."""

    def release(self) -> None:
        return None

    def units(self) -> list[UnitRange]:
        return []

    def over_limit(self, registry: RegistrySettings, now: datetime) -> CheckFailed | None:
        return None

    def wait(self, registry: RegistrySettings, now: datetime) -> guard.Wait | None:
        delay = registry.approval_policy.delay_for(self.transaction.type)
        return None if delay is None else guard.Wait(now + delay, None)

    def hold_for_release(self, over: CheckFailed, now: datetime) -> None:
        raise ValueError("an issuance has no limits")


def propose_movement(
    uow: AbstractLedgerUnitOfWork,
    registry: RegistrySettings,
    now: datetime,
    *,
    type: TransactionType,
    actor_id: UUID,
    source: Account,
    destination: Account,
    quantity: int,
    details: ActionDetails,
) -> MovementAction:
    """Select and reserve the units of a new action; the caller verifies it."""
    movement_checks.verify_open(type, source, destination, registry)
    target = _target_authorization(uow, type, details)
    candidates = uow.blocks.for_update(source.id, details.unit_filter)
    check_quantity_available(candidates, quantity)
    protection = load_protection(uow, registry, source, now, with_recent=True)
    selection = select_units(candidates, quantity)
    for block in selection.new_blocks:
        uow.blocks.add(block)
    approaches, authorizations, entities = _context(uow, selection.blocks, destination, target)
    if type in INTERNATIONAL_TYPES:
        type = international_transfer_type(selection.blocks, partial(terms_of, authorizations))
    transaction = Transaction.propose(
        type=type,
        initiator_id=actor_id,
        at=now,
        quantity=quantity,
        source_account_id=source.id,
        destination_account_id=destination.id,
        details=details,
    )
    transaction.reserve(selection)
    uow.transactions.add(transaction)
    return MovementAction(
        Movement(
            transaction,
            list(selection.blocks),
            source,
            destination,
            approaches,
            authorizations,
            entities,
            protection,
        )
    )


def load_protection(
    uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, source: Account, now: datetime, with_recent: bool
) -> guard.Protection:
    """The controls over movements out of `source`; the transfers of the last 24 hours only when a limit
    counts them (read after the source's units are locked, so two transfers never count past each other)."""
    account = uow.controls.get(source.id)
    organization = uow.controls.get(source.holder_id) if source.holder_id else None
    protection = guard.Protection(registry.protection, account, organization)
    limits = protection.limits
    if with_recent and (limits.per_24_hours is not None or limits.transfers_per_24_hours is not None):
        recent = uow.controls.recent_transfers(source.id, now - ROLLING_DAY)
        protection = replace(protection, recent=recent)
    return protection


def load_accounts(uow: AbstractLedgerUnitOfWork, **ids: UUID) -> list[Account]:
    """The accounts named by keyword (the keyword is the field blamed when one is missing), share-locked."""
    found = uow.accounts.get_many(ids.values())
    return [require_account(found.get(account_id), account_id, field) for field, account_id in ids.items()]


def load_held(
    uow: AbstractLedgerUnitOfWork, transaction: Transaction, registry: RegistrySettings, now: datetime
) -> Action:
    """The objects of a transaction held for approval, release, a delay or an answer from abroad."""
    if transaction.type is TransactionType.ISSUANCE:
        return IssuingAction(load_issuing(uow, transaction))
    return MovementAction(load_movement(uow, transaction, registry, now))


def load_movement(
    uow: AbstractLedgerUnitOfWork, transaction: Transaction, registry: RegistrySettings, now: datetime
) -> Movement:
    source, destination = load_accounts(
        uow,
        source_account_id=_known(transaction.source_account_id),
        destination_account_id=_known(transaction.destination_account_id),
    )
    target = _target_authorization(uow, transaction.type, transaction.details)
    blocks = uow.blocks.reserved_by(transaction.id)
    approaches, authorizations, entities = _context(uow, blocks, destination, target)
    protection = load_protection(uow, registry, source, now, with_recent=False)
    return Movement(transaction, blocks, source, destination, approaches, authorizations, entities, protection)


IssuanceRecords = tuple[Account, Issuance, Project, CooperativeApproach, Authorization | None]


def load_issuing(uow: AbstractLedgerUnitOfWork, transaction: Transaction) -> Issuing:
    details = transaction.details
    records = issuance_records(
        uow,
        account_id=_known(transaction.destination_account_id),
        issuance_id=_known(details.issuance_id),
        approach_id=details.planned_block.cooperative_approach_id if details.planned_block else "",
        authorization_id=details.authorization_id,
    )
    return Issuing(transaction, *records)


def issuance_records(
    uow: AbstractLedgerUnitOfWork,
    *,
    account_id: UUID,
    issuance_id: UUID,
    approach_id: str,
    authorization_id: UUID | None,
) -> IssuanceRecords:
    """What an issuance reads, in lock order: account, authorization, issuance (locked), project, approach."""
    [account] = load_accounts(uow, account_id=account_id)
    authorization = None
    if authorization_id is not None:
        authorization = require_authorization(
            uow.authorizations.get(authorization_id, for_update=True), authorization_id
        )
    issuance = require(
        uow.reference.issuance(issuance_id),
        catalogue.ISSUANCE_EXISTS,
        f"There is no issuance {issuance_id}.",
        "issuance_id",
    )
    project = require(
        uow.reference.project(issuance.project_id),
        catalogue.PROJECT_EXISTS,
        f"There is no project {issuance.project_id}.",
        "issuance_id",
    )
    approach = require_approach(uow.reference.approach(approach_id), approach_id)
    return account, issuance, project, approach, authorization


def _target_authorization(
    uow: AbstractLedgerUnitOfWork, type: TransactionType, details: ActionDetails
) -> Authorization | None:
    """The authorization an authorization action counts units against, locked before any block."""
    if type is not TransactionType.AUTHORIZATION or details.authorization_id is None:
        return None
    return require_authorization(
        uow.authorizations.get(details.authorization_id, for_update=True), details.authorization_id
    )


def _context(
    uow: AbstractLedgerUnitOfWork,
    blocks: Sequence[UnitBlock],
    destination: Account,
    target: Authorization | None,
) -> tuple[dict[str, CooperativeApproach], dict[UUID, Authorization], list[AuthorizedEntity]]:
    """The reference data the checks of an action on `blocks` read: plain reads, no locks."""
    authorizations = {target.id: target} if target else {}
    for authorization_id in _distinct(b.attributes.authorization_id for b in blocks):
        found = uow.authorizations.get(authorization_id)
        if found is not None:
            authorizations.setdefault(authorization_id, found)
    approaches = {}
    for approach_id in _distinct(b.attributes.cooperative_approach_id for b in blocks):
        approach = uow.reference.approach(approach_id)
        if approach is not None:
            approaches[approach_id] = approach
    entities = uow.reference.entities_of(destination.holder_id) if destination.holder_id else []
    return approaches, authorizations, entities


def _distinct(values: Iterable[K | None]) -> list[K]:
    return sorted({value for value in values if value is not None}, key=str)


def _known(value: UUID | None) -> UUID:
    if value is None:
        raise ValueError("a held transaction always names its accounts, issuance and authorization")
    return value


def proceed(
    uow: AbstractLedgerUnitOfWork, action: Action, registry: RegistrySettings, now: datetime
) -> TransactionResult:
    """Check a new action, then run it or hold it as the tenant's policy says."""
    action.verify(registry, now)
    dispatch(uow, action, registry, now)
    return result_of(action.transaction, action.units())


def resume(
    uow: AbstractLedgerUnitOfWork, transaction: Transaction, registry: RegistrySettings, now: datetime
) -> TransactionResult:
    """Check a held transaction again: run it (or hold it for its delay), or terminate it if a check fails."""
    action = load_held(uow, transaction, registry, now)
    try:
        action.verify(registry, now)
    except CheckFailed as failure:
        action.release()
        transaction.terminate(now, reason(failure))
        finish(uow, transaction, registry, now)
    else:
        dispatch(uow, action, registry, now)
    return result_of(transaction, action.units())


def dispatch(uow: AbstractLedgerUnitOfWork, action: Action, registry: RegistrySettings, now: datetime) -> None:
    """After the checks passed: refuse or hold over a limit, hold for approval, hold for a delay (the policy's,
    an untrusted acquiring account's, the registry's hours), or run now and journal.

    A transaction proposed without a number is numbered as late as its events allow: a hold with its few
    writes, a run after its own rows are written ahead (see `record_transaction`), just before its events.
    """
    transaction, policy, party = action.transaction, registry.approval_policy, registry.party
    if transaction.status is TransactionStatus.PROPOSED:
        transaction.mark_checked(now)
        over = action.over_limit(registry, now)
        if over is not None and registry.protection.on_limit is OnLimit.REFUSE:
            raise over
        if over is not None:
            uow.record_transaction(transaction, party, now, lambda: action.hold_for_release(over, now))
            return
    if transaction.status in _UNAPPROVED and policy.requires_approval(transaction.type):
        uow.record_transaction(transaction, party, now, lambda: transaction.hold_for_approval(now))
        return
    wait = action.wait(registry, now) if transaction.status is not TransactionStatus.DELAYED else None
    if wait is not None:
        uow.record_transaction(transaction, party, now, lambda: transaction.delay(wait.until, now, wait.reason))
        return
    action.execute(uow, registry, now)
    uow.record_transaction(transaction, party, now, lambda: action.announce(registry, now), write_ahead=True)
