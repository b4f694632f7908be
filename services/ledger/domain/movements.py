"""Actions on units already in the registry: transfer, transfer abroad, use, cancel, retire, authorize.

`execute` applies an action, checked by `movement_checks.verify`, to the units its transaction reserved;
`announce` records its events once its transaction has its number.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from services.ledger.domain import catalogue, events
from services.ledger.domain.accounts import HOLDING_TYPES, Account, AccountType
from services.ledger.domain.authorizations import Authorization, AuthorizationTerms, Purpose, terms_data
from services.ledger.domain.blocks import FirstTransfer, FirstTransferTrigger, UnitBlock, UnitState
from services.ledger.domain.checks import authorizations as authorization_checks
from services.ledger.domain.errors import failed
from services.ledger.domain.first_transfers import first_transfer_trigger
from services.ledger.domain.guard import Protection
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import (
    INTERNATIONAL_TYPES,
    BlockChange,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from services.shared.messages import Event, JsonValue

_T = TransactionType
_HOLDING_OR_ISSUANCE = HOLDING_TYPES | {AccountType.ISSUANCE}


@dataclass(frozen=True)
class Rule:
    sources: frozenset[AccountType]
    destinations: frozenset[AccountType]
    final_state: UnitState
    purposes: frozenset[Purpose] = frozenset()
    needs_authorization: bool = False


_ABROAD = Rule(HOLDING_TYPES, frozenset({AccountType.EXTERNAL}), UnitState.ACTIVE, needs_authorization=True)
RULES: dict[TransactionType, Rule] = {
    _T.TRANSFER_DOMESTIC: Rule(_HOLDING_OR_ISSUANCE, HOLDING_TYPES, UnitState.ACTIVE),
    _T.FIRST_TRANSFER: _ABROAD,
    _T.TRANSFER_INTERNATIONAL: _ABROAD,
    _T.USE_NDC: Rule(HOLDING_TYPES, frozenset({AccountType.NDC_USE}), UnitState.USED, frozenset({Purpose.NDC}), True),
    _T.USE_OIMP: Rule(
        HOLDING_TYPES, frozenset({AccountType.OIMP}), UnitState.USED, frozenset({Purpose.OIMP, Purpose.IMP}), True
    ),
    _T.CANCELLATION_OIMP: Rule(
        HOLDING_TYPES, frozenset({AccountType.OIMP}), UnitState.CANCELLED, frozenset({Purpose.OIMP, Purpose.OP}), True
    ),
    _T.VOLUNTARY_CANCELLATION: Rule(
        _HOLDING_OR_ISSUANCE, frozenset({AccountType.VOLUNTARY_CANCELLATION}), UnitState.CANCELLED
    ),
    _T.OMGE_CANCELLATION: Rule(_HOLDING_OR_ISSUANCE, frozenset({AccountType.OMGE_CANCELLATION}), UnitState.CANCELLED),
    _T.RETIREMENT: Rule(HOLDING_TYPES, frozenset({AccountType.RETIREMENT}), UnitState.RETIRED),
    _T.AUTHORIZATION: Rule(_HOLDING_OR_ISSUANCE, _HOLDING_OR_ISSUANCE, UnitState.ACTIVE),
}


@dataclass
class Movement:
    """One action on units, with everything its checks and effects need, as the handler loaded it.

    `holder_entities` are the authorized-entity records of the destination account's holder; `protection` the
    controls over the source account.
    """

    transaction: Transaction
    blocks: list[UnitBlock]
    source: Account
    destination: Account
    approaches: Mapping[str, CooperativeApproach]
    authorizations: Mapping[UUID, Authorization]
    holder_entities: Sequence[AuthorizedEntity] = ()
    protection: Protection = field(default_factory=Protection)

    def terms_of(self, block: UnitBlock) -> AuthorizationTerms | None:
        return terms_of(self.authorizations, block)

    @property
    def target_authorization(self) -> Authorization:
        """The authorization an authorization action gives the units."""
        authorization_id = self.transaction.details.authorization_id
        found = self.authorizations.get(authorization_id) if authorization_id else None
        return authorization_checks.require_authorization(found, authorization_id)


def terms_of(authorizations: Mapping[UUID, Authorization], block: UnitBlock) -> AuthorizationTerms | None:
    """The terms in force of the block's authorization, if it has one and it is loaded."""
    authorization_id = block.attributes.authorization_id
    authorization = authorizations.get(authorization_id) if authorization_id else None
    return authorization.current if authorization else None


def execute(movement: Movement, registry: RegistrySettings, now: datetime) -> None:
    """Carry out a checked action on the units its transaction reserved.

    A transfer abroad only goes as far as awaiting the acquiring registry's answer.
    """
    transaction = movement.transaction
    if transaction.type in INTERNATIONAL_TYPES:
        transaction.await_acceptance(now)
        return
    if transaction.type is _T.AUTHORIZATION:
        authorization = movement.target_authorization
        authorization.consume(transaction.quantity)
        for block in movement.blocks:
            block.authorize(authorization.id, authorization.current.version)
    _settle(movement, now)


def announce(movement: Movement, registry: RegistrySettings, now: datetime) -> None:
    """Record the events of an executed action, under its transaction's number."""
    if movement.transaction.status is TransactionStatus.AWAITING_ACCEPTANCE:
        movement.transaction.record(_transfer_requested(movement, registry, now))
    else:
        _announce_settled(movement, now)


def complete_international(movement: Movement, now: datetime) -> None:
    """The acquiring registry accepted: the units leave for the external account."""
    check_awaiting_acceptance(movement.transaction)
    _settle(movement, now)
    _announce_settled(movement, now)


def reverse_international(transaction: Transaction, blocks: Sequence[UnitBlock], reason: str, now: datetime) -> None:
    """The acquiring registry refused: the units return to the transferring account."""
    check_awaiting_acceptance(transaction)
    release(blocks)
    transaction.terminate(now, reason)
    transaction.record(
        events.InternationalTransferReversed(
            transaction.id,
            transaction.number,
            reason,
            _snapshots(blocks),
            now,
        )
    )


def release(blocks: Iterable[UnitBlock]) -> None:
    for block in blocks:
        block.release()


def check_awaiting_acceptance(transaction: Transaction) -> None:
    if transaction.type not in INTERNATIONAL_TYPES or transaction.status is not TransactionStatus.AWAITING_ACCEPTANCE:
        raise failed(
            catalogue.TRANSFER_AWAITING_ACCEPTANCE,
            f"Transaction {transaction.number} is a {transaction.type}, {transaction.status}.",
            "transaction_id",
        )


def _settle(movement: Movement, now: datetime) -> None:
    transaction = movement.transaction
    first_transferred = _mark_first_transfers(movement, now)
    changes = []
    for block in movement.blocks:
        from_account_id = block.account_id
        block.settle(movement.destination.id, RULES[transaction.type].final_state)
        changes.append(BlockChange.of(block, from_account_id, block.id in first_transferred))
    transaction.complete(now, changes)


def _announce_settled(movement: Movement, now: datetime) -> None:
    transaction = movement.transaction
    first_transferred = {
        block.id: block.first_transfer.trigger
        for block in movement.blocks
        if block.first_transfer is not None and block.first_transfer.transaction_id == transaction.id
    }
    for trigger in sorted(set(first_transferred.values())):
        blocks = [b for b in movement.blocks if first_transferred.get(b.id) is trigger]
        transaction.record(
            events.UnitsFirstTransferred(
                transaction.id,
                transaction.number,
                trigger,
                movement.destination.external_party,
                _snapshots(blocks),
                now,
            )
        )
    transaction.record(_ACTION_EVENTS[transaction.type](movement, _snapshots(movement.blocks), now))


def _mark_first_transfers(movement: Movement, now: datetime) -> dict[UUID, FirstTransferTrigger]:
    marked = {}
    for block in movement.blocks:
        trigger = first_transfer_trigger(movement.transaction.type, block, movement.terms_of(block))
        if trigger is not None:
            block.mark_first_transferred(FirstTransfer(now, trigger, movement.transaction.id))
            marked[block.id] = trigger
    return marked


def _snapshots(blocks: Iterable[UnitBlock]) -> tuple[events.BlockSnapshot, ...]:
    return tuple(block.snapshot() for block in blocks)


def _transfer_requested(movement: Movement, registry: RegistrySettings, now: datetime) -> Event:
    transaction, destination = movement.transaction, movement.destination
    used = sorted({b.attributes.authorization_id for b in movement.blocks if b.attributes.authorization_id}, key=str)
    authorizations = tuple(_authorization_data(movement.authorizations[i]) for i in used)
    first = tuple(b.id for b in movement.blocks if first_transfer_trigger(transaction.type, b, movement.terms_of(b)))
    return events.InternationalTransferRequested(
        transaction.id,
        transaction.number,
        movement.source.id,
        destination.id,
        registry.party,
        registry.registry_id,
        destination.external_party or "",
        destination.external_registry_id or "",
        _snapshots(movement.blocks),
        first,
        authorizations,
        now,
    )


def _authorization_data(authorization: Authorization) -> dict[str, JsonValue]:
    return {
        "authorization_id": str(authorization.id),
        "reference": authorization.reference,
        **terms_data(authorization.current),
    }


Snapshots = tuple[events.BlockSnapshot, ...]


def _transferred(m: Movement, blocks: Snapshots, now: datetime) -> Event:
    t = m.transaction
    return events.UnitsTransferred(t.id, t.number, m.source.id, m.destination.id, blocks, now)


def _completed_abroad(m: Movement, blocks: Snapshots, now: datetime) -> Event:
    t = m.transaction
    return events.InternationalTransferCompleted(t.id, t.number, m.destination.external_party or "", blocks, now)


def _authorized(m: Movement, blocks: Snapshots, now: datetime) -> Event:
    t, authorization = m.transaction, m.target_authorization
    return events.UnitsAuthorized(
        t.id, t.number, authorization.id, authorization.current.version, m.source.id, blocks, now
    )


def _used(m: Movement, blocks: Snapshots, now: datetime) -> Event:
    t, d = m.transaction, m.transaction.details
    purpose = Purpose.NDC if t.type is _T.USE_NDC else Purpose.OIMP
    return events.UnitsUsed(
        t.id, t.number, purpose, d.ndc_year, d.oimp_purpose, m.source.id, m.destination.id, blocks, now
    )


def _cancelled(m: Movement, blocks: Snapshots, now: datetime) -> Event:
    t = m.transaction
    return events.UnitsCancelled(
        t.id, t.number, _CANCELLATIONS[t.type], t.details.oimp_purpose, m.source.id, m.destination.id, blocks, now
    )


def _retired(m: Movement, blocks: Snapshots, now: datetime) -> Event:
    t, d = m.transaction, m.transaction.details
    return events.UnitsRetired(
        t.id, t.number, d.beneficiary or "", d.retirement_reason, m.source.id, m.destination.id, blocks, now
    )


_CANCELLATIONS = {_T.CANCELLATION_OIMP: "oimp", _T.VOLUNTARY_CANCELLATION: "voluntary", _T.OMGE_CANCELLATION: "omge"}
_ACTION_EVENTS: dict[TransactionType, Callable[[Movement, Snapshots, datetime], Event]] = {
    _T.TRANSFER_DOMESTIC: _transferred,
    _T.FIRST_TRANSFER: _completed_abroad,
    _T.TRANSFER_INTERNATIONAL: _completed_abroad,
    _T.AUTHORIZATION: _authorized,
    _T.USE_NDC: _used,
    _T.USE_OIMP: _used,
    _T.CANCELLATION_OIMP: _cancelled,
    _T.VOLUNTARY_CANCELLATION: _cancelled,
    _T.OMGE_CANCELLATION: _cancelled,
    _T.RETIREMENT: _retired,
}
