"""Handlers of unit actions: issue, authorize, transfer at home and abroad, use, cancel, retire."""

from collections.abc import Callable
from dataclasses import replace
from uuid import UUID

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
from services.ledger.service_layer.handlers.common import next_transaction_number, remember, replayed
from services.ledger.service_layer.results import TransactionResult
from services.ledger.service_layer.unit_of_work import AbstractLedgerUnitOfWork
from services.shared.clock import Clock

_T = TransactionType


def issue_units(
    cmd: IssueUnits, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    with uow:
        if (replay := replayed(uow, cmd, TransactionResult)) is not None:
            return replay
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
            number=next_transaction_number(uow, registry),
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
        result = remember(uow, cmd, proceed(uow, action, registry, now))
        uow.commit()
        return result


def authorize_units(
    cmd: AuthorizeUnits, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    details = ActionDetails(
        unit_filter=replace(cmd.unit_filter, authorized=False), authorization_id=cmd.authorization_id
    )
    return _move(
        cmd,
        uow,
        registry,
        clock,
        _always(_T.AUTHORIZATION),
        cmd.quantity,
        details,
        source_account_id=cmd.account_id,
        destination_account_id=cmd.account_id,
    )


def transfer_units(
    cmd: TransferUnits, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    return _move(
        cmd,
        uow,
        registry,
        clock,
        _always(_T.TRANSFER_DOMESTIC),
        cmd.quantity,
        ActionDetails(unit_filter=cmd.unit_filter),
        source_account_id=cmd.source_account_id,
        destination_account_id=cmd.destination_account_id,
    )


def request_international_transfer(
    cmd: RequestInternationalTransfer, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    def details(external: Account) -> ActionDetails:
        return ActionDetails(
            unit_filter=cmd.unit_filter,
            acquiring_party=external.external_party,
            acquiring_registry_id=external.external_registry_id,
        )

    if cmd.needs_person:
        registry = replace(registry, approval_policy=registry.approval_policy.holding(INTERNATIONAL_TYPES))
    return _move(
        cmd,
        uow,
        registry,
        clock,
        _always(_T.TRANSFER_INTERNATIONAL),
        cmd.quantity,
        details,
        source_account_id=cmd.source_account_id,
        destination_account_id=cmd.external_account_id,
    )


def use_units_towards_ndc(
    cmd: UseUnitsTowardsNdc, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    return _move(
        cmd,
        uow,
        registry,
        clock,
        _always(_T.USE_NDC),
        cmd.quantity,
        ActionDetails(unit_filter=cmd.unit_filter, ndc_year=cmd.ndc_year),
        source_account_id=cmd.source_account_id,
        destination_account_id=cmd.ndc_account_id,
    )


def use_units_for_oimp(
    cmd: UseUnitsForOimp, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    def type_of(account: Account) -> TransactionType:
        return _T.CANCELLATION_OIMP if account.oimp_action is OimpAction.CANCELLATION else _T.USE_OIMP

    def details(account: Account) -> ActionDetails:
        return ActionDetails(unit_filter=cmd.unit_filter, oimp_purpose=account.oimp_purpose)

    return _move(
        cmd,
        uow,
        registry,
        clock,
        type_of,
        cmd.quantity,
        details,
        source_account_id=cmd.source_account_id,
        destination_account_id=cmd.oimp_account_id,
    )


def cancel_units(
    cmd: CancelUnits, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    def type_of(account: Account) -> TransactionType:
        omge = account.type is AccountType.OMGE_CANCELLATION
        return _T.OMGE_CANCELLATION if omge else _T.VOLUNTARY_CANCELLATION

    return _move(
        cmd,
        uow,
        registry,
        clock,
        type_of,
        cmd.quantity,
        ActionDetails(unit_filter=cmd.unit_filter),
        source_account_id=cmd.source_account_id,
        destination_account_id=cmd.cancellation_account_id,
    )


def retire_units(
    cmd: RetireUnits, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    details = ActionDetails(
        unit_filter=cmd.unit_filter, beneficiary=cmd.beneficiary.strip(), retirement_reason=cmd.reason
    )
    return _move(
        cmd,
        uow,
        registry,
        clock,
        _always(_T.RETIREMENT),
        cmd.quantity,
        details,
        source_account_id=cmd.source_account_id,
        destination_account_id=cmd.retirement_account_id,
    )


MovementCommand = (
    AuthorizeUnits
    | TransferUnits
    | RequestInternationalTransfer
    | UseUnitsTowardsNdc
    | UseUnitsForOimp
    | CancelUnits
    | RetireUnits
)


def _move(
    cmd: MovementCommand,
    uow: AbstractLedgerUnitOfWork,
    registry: RegistrySettings,
    clock: Clock,
    type_of: Callable[[Account], TransactionType],
    quantity: int,
    details: ActionDetails | Callable[[Account], ActionDetails],
    *,
    source_account_id: UUID,
    destination_account_id: UUID,
) -> TransactionResult:
    """The one transaction every action on held units is: load accounts, select and reserve, check, route."""
    with uow:
        if (replay := replayed(uow, cmd, TransactionResult)) is not None:
            return replay
        now = clock.now()
        check_quantity(quantity)
        source, destination = load_accounts(
            uow, source_account_id=source_account_id, destination_account_id=destination_account_id
        )
        action = propose_movement(
            uow,
            registry,
            now,
            type=type_of(destination),
            actor_id=cmd.actor_id,
            source=source,
            destination=destination,
            quantity=quantity,
            details=details(destination) if callable(details) else details,
        )
        result = remember(uow, cmd, proceed(uow, action, registry, now))
        uow.commit()
        return result


def _always(transaction_type: TransactionType) -> Callable[[Account], TransactionType]:
    return lambda account: transaction_type
