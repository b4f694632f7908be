"""Handlers of the answers from abroad, and of acquisitions of units sent from abroad."""

from uuid import UUID

from services.ledger.domain import movements
from services.ledger.domain.acquisitions import Acquisition, acquire, check_incoming_transfer_new, verify_acquisition
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.checks.authorizations import require_authorization
from services.ledger.domain.commands import (
    CompleteInternationalTransfer,
    ForeignAuthorization,
    RecordAcquisition,
    ReverseInternationalTransfer,
)
from services.ledger.domain.reference import CooperativeApproach
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import ActionDetails, Transaction, TransactionType
from services.ledger.service_layer.handlers.actions import load_accounts, load_movement
from services.ledger.service_layer.handlers.common import (
    finish,
    require_transaction,
    result_of,
)
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import TransactionResult, UnitRange
from services.shared.clock import Clock


def complete_international_transfer(
    cmd: CompleteInternationalTransfer, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    now = clock.now()
    transaction = require_transaction(uow, cmd.transaction_id)
    movements.check_awaiting_acceptance(transaction)
    movements.complete_international(load_movement(uow, transaction, registry, now), now)
    finish(uow, transaction, registry, now)
    return result_of(transaction)


def reverse_international_transfer(
    cmd: ReverseInternationalTransfer, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    now = clock.now()
    transaction = require_transaction(uow, cmd.transaction_id)
    blocks = uow.blocks.reserved_by(transaction.id)
    movements.reverse_international(transaction, blocks, cmd.reason, now)
    finish(uow, transaction, registry, now)
    units = [UnitRange(block.first_itmo_id, block.last_itmo_id) for block in blocks]
    return result_of(transaction, units)


def record_acquisition(
    cmd: RecordAcquisition, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    now = clock.now()
    earlier = uow.transactions.by_incoming_transfer(cmd.incoming_transfer_id)
    check_incoming_transfer_new(cmd.incoming_transfer_id, earlier)
    [account] = load_accounts(uow, account_id=cmd.account_id)
    authorizations = _learn_authorizations(uow, cmd.authorizations, registry)
    recorded = [
        uow.blocks.overlapping(
            b.attributes.cooperative_approach_id, b.attributes.registry_id, b.serial_first, b.serial_last
        )
        for b in cmd.blocks
    ]
    holders = uow.accounts.get_many(block.account_id for blocks in recorded for block in blocks)
    transaction = Transaction.propose(
        number=uow.take_transaction_number(registry.party),
        type=TransactionType.ACQUISITION,
        initiator_id=cmd.actor_id,
        at=now,
        quantity=sum(b.quantity for b in cmd.blocks),
        destination_account_id=account.id,
        details=ActionDetails(
            transferring_party=cmd.transferring_party,
            transferring_registry_id=cmd.transferring_registry_id,
            incoming_transfer_id=cmd.incoming_transfer_id,
        ),
    )
    acquisition = Acquisition(
        transaction,
        account,
        cmd.blocks,
        recorded,
        holders,
        _approaches(uow, cmd),
        _known_authorizations(uow, cmd, authorizations),
    )
    verify_acquisition(acquisition, registry, now)
    transaction.mark_checked(now)
    for block in acquire(acquisition, now):
        uow.blocks.add(block)
    uow.transactions.add(transaction)
    finish(uow, transaction, registry, now)
    return result_of(transaction)


def _learn_authorizations(
    uow: AbstractLedgerUnitOfWork, foreign: tuple[ForeignAuthorization, ...], registry: RegistrySettings
) -> dict[UUID, Authorization]:
    """Record the transferring Party's authorizations; this Party's own come back as they are."""
    learnt = {}
    for item in foreign:
        authorization = uow.authorizations.get(item.authorization_id, for_update=True)
        if item.terms.authorizing_party == registry.party:
            learnt[item.authorization_id] = require_authorization(authorization, item.authorization_id)
            continue
        if authorization is None:
            authorization = Authorization(id=item.authorization_id, reference=item.reference)
            uow.authorizations.add(authorization)
        learnt[item.authorization_id] = authorization.learn_version(item.terms)
    return learnt


def _known_authorizations(
    uow: AbstractLedgerUnitOfWork, cmd: RecordAcquisition, learnt: dict[UUID, Authorization]
) -> dict[UUID, Authorization]:
    known = dict(learnt)
    for block in cmd.blocks:
        authorization_id = block.attributes.authorization_id
        if authorization_id is not None and authorization_id not in known:
            found = uow.authorizations.get(authorization_id)
            if found is not None:
                known[authorization_id] = found
    return known


def _approaches(uow: AbstractLedgerUnitOfWork, cmd: RecordAcquisition) -> dict[str, CooperativeApproach]:
    approaches = {}
    for approach_id in {block.attributes.cooperative_approach_id for block in cmd.blocks}:
        approach = uow.reference.approach(approach_id)
        if approach is not None:
            approaches[approach_id] = approach
    return approaches
