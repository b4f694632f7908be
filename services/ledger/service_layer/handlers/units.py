"""Handlers of unit actions: issue, then the movements of held units (authorize, transfer at home and abroad,
use, cancel, retire), which differ only in the accounts they name and the transaction they make."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from services.ledger.domain.accounts import Account, AccountType, OimpAction
from services.ledger.domain.blocks import BlockAttributes
from services.ledger.domain.commands import (
    AuthorizeUnits,
    CancelUnits,
    IssueUnits,
    RequestInternationalTransfer,
    RetireUnits,
    TransferUnits,
    UseUnitsForOimp,
    UseUnitsTowardsNdc,
)
from services.ledger.domain.issuing import Issuing
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import (
    INTERNATIONAL_TYPES,
    ActionDetails,
    Transaction,
    TransactionType,
    check_quantity,
)
from services.ledger.service_layer.handlers.actions import (
    IssuingAction,
    issuance_records,
    load_accounts,
    proceed,
    propose_movement,
)
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import TransactionResult
from services.shared.clock import Clock
from services.shared.messages import Command

_T = TransactionType


def issue_units(
    cmd: IssueUnits, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    now = clock.now()
    check_quantity(cmd.quantity)
    account, issuance, project, approach, authorization = issuance_records(
        uow,
        account_id=cmd.account_id,
        issuance_id=cmd.issuance_id,
        approach_id=cmd.cooperative_approach_id,
        authorization_id=cmd.authorization_id,
    )
    planned = BlockAttributes(
        cmd.cooperative_approach_id,
        registry.registry_id,
        registry.party,
        cmd.vintage,
        cmd.metric,
        cmd.unit_type,
        cmd.mitigation_type,
        project_id=project.id,
        issuance_id=issuance.id,
        underlying_registry_id=cmd.underlying_registry_id,
    )
    transaction = Transaction.propose(
        number=uow.take_transaction_number(registry.party),
        type=_T.ISSUANCE,
        initiator_id=cmd.actor_id,
        at=now,
        quantity=cmd.quantity,
        destination_account_id=account.id,
        details=ActionDetails(
            issuance_id=issuance.id,
            planned_block=planned,
            authorization_id=cmd.authorization_id,
            underlying_first_unit_id=cmd.underlying_first_unit_id,
        ),
    )
    uow.transactions.add(transaction)
    action = IssuingAction(Issuing(transaction, account, issuance, project, approach, authorization))
    return proceed(uow, action, registry, now)


@dataclass(frozen=True)
class UnitMovement:
    """What a movement command names: the fields of its two accounts, the transaction type the destination
    makes it, and the details of the action."""

    source: str
    destination: str
    type_of: Callable[[Account], TransactionType]
    details: Callable[[Any, Account], ActionDetails]


def _always(transaction_type: TransactionType) -> Callable[[Account], TransactionType]:
    return lambda account: transaction_type


def _filtered(cmd: Any, destination: Account) -> ActionDetails:
    return ActionDetails(unit_filter=cmd.unit_filter)


def _oimp_type(account: Account) -> TransactionType:
    return _T.CANCELLATION_OIMP if account.oimp_action is OimpAction.CANCELLATION else _T.USE_OIMP


def _cancellation_type(account: Account) -> TransactionType:
    return _T.OMGE_CANCELLATION if account.type is AccountType.OMGE_CANCELLATION else _T.VOLUNTARY_CANCELLATION


MOVEMENTS: dict[type[Command], UnitMovement] = {
    AuthorizeUnits: UnitMovement(
        "account_id",
        "account_id",
        _always(_T.AUTHORIZATION),
        lambda cmd, _: ActionDetails(
            unit_filter=replace(cmd.unit_filter, authorized=False), authorization_id=cmd.authorization_id
        ),
    ),
    TransferUnits: UnitMovement(
        "source_account_id", "destination_account_id", _always(_T.TRANSFER_DOMESTIC), _filtered
    ),
    RequestInternationalTransfer: UnitMovement(
        "source_account_id",
        "external_account_id",
        _always(_T.TRANSFER_INTERNATIONAL),
        lambda cmd, external: ActionDetails(
            unit_filter=cmd.unit_filter,
            acquiring_party=external.external_party,
            acquiring_registry_id=external.external_registry_id,
        ),
    ),
    UseUnitsTowardsNdc: UnitMovement(
        "source_account_id",
        "ndc_account_id",
        _always(_T.USE_NDC),
        lambda cmd, _: ActionDetails(unit_filter=cmd.unit_filter, ndc_year=cmd.ndc_year),
    ),
    UseUnitsForOimp: UnitMovement(
        "source_account_id",
        "oimp_account_id",
        _oimp_type,
        lambda cmd, account: ActionDetails(unit_filter=cmd.unit_filter, oimp_purpose=account.oimp_purpose),
    ),
    CancelUnits: UnitMovement("source_account_id", "cancellation_account_id", _cancellation_type, _filtered),
    RetireUnits: UnitMovement(
        "source_account_id",
        "retirement_account_id",
        _always(_T.RETIREMENT),
        lambda cmd, _: ActionDetails(
            unit_filter=cmd.unit_filter, beneficiary=cmd.beneficiary.strip(), retirement_reason=cmd.reason
        ),
    ),
}


MovementCommand = (
    AuthorizeUnits
    | TransferUnits
    | RequestInternationalTransfer
    | UseUnitsTowardsNdc
    | UseUnitsForOimp
    | CancelUnits
    | RetireUnits
)


def move_units(
    cmd: MovementCommand, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    """The one transaction every action on held units is: load accounts, select and reserve, check, route."""
    movement = MOVEMENTS[type(cmd)]
    if getattr(cmd, "needs_person", False):  # a machine's transfer abroad waits for a person's approval
        registry = replace(registry, approval_policy=registry.approval_policy.holding(INTERNATIONAL_TYPES))
    now = clock.now()
    quantity = check_quantity(cmd.quantity)
    source, destination = load_accounts(
        uow,
        source_account_id=getattr(cmd, movement.source),
        destination_account_id=getattr(cmd, movement.destination),
    )
    action = propose_movement(
        uow,
        registry,
        now,
        type=movement.type_of(destination),
        actor_id=cmd.actor_id,
        source=source,
        destination=destination,
        quantity=quantity,
        details=movement.details(cmd, destination),
    )
    return proceed(uow, action, registry, now)
