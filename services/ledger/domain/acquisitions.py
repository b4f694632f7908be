"""Acquisition: units another Party's registry transferred to this one are recorded, once per transfer.

Units that come back after this registry sent them abroad are found in its external account and
move back; any other overlap with recorded units is refused, since it would count units twice.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TypeVar
from uuid import UUID

from services.ledger.domain import catalogue, events
from services.ledger.domain.accounts import HOLDING_TYPES, Account, AccountType
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import (
    BlockAttributes,
    FirstTransfer,
    UnitBlock,
    UnitState,
    block_order,
    carve,
)
from services.ledger.domain.checks import accounts as account_checks
from services.ledger.domain.checks import authorizations as authorization_checks
from services.ledger.domain.checks import reference as reference_checks
from services.ledger.domain.checks.units import (
    check_no_overlap,
    check_registry_not_on_hold,
    check_vintage_not_in_future,
)
from services.ledger.domain.errors import failed
from services.ledger.domain.reference import CooperativeApproach
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import BlockChange, Transaction
from services.shared.ids import new_id

T = TypeVar("T")


@dataclass(frozen=True)
class IncomingBlock:
    """A block as the transferring registry described it."""

    attributes: BlockAttributes
    serial_first: int
    serial_last: int
    first_transfer: FirstTransfer | None = None
    underlying_first_unit_id: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.serial_first <= self.serial_last:
            raise failed(
                catalogue.BLOCK_INTEGRITY, f"{self.serial_first}..{self.serial_last} is not a serial range.", "blocks"
            )

    @property
    def quantity(self) -> int:
        return self.serial_last - self.serial_first + 1

    def as_block(self, account_id: UUID) -> UnitBlock:
        return UnitBlock(
            id=new_id(),
            serial_first=self.serial_first,
            serial_last=self.serial_last,
            attributes=self.attributes,
            account_id=account_id,
            first_transfer=self.first_transfer,
            underlying_first_unit_id=self.underlying_first_unit_id,
        )


@dataclass
class Acquisition:
    """An acquisition with what its checks and effects need, as the handler loaded it.

    `recorded[i]` are the blocks of this registry whose serials overlap `incoming[i]`, and `holders`
    the accounts that hold them.
    """

    transaction: Transaction
    account: Account
    incoming: Sequence[IncomingBlock]
    recorded: Sequence[Sequence[UnitBlock]]
    holders: Mapping[UUID, Account]
    approaches: Mapping[str, CooperativeApproach]
    authorizations: Mapping[UUID, Authorization]


def verify_acquisition(acquisition: Acquisition, registry: RegistrySettings, now: datetime) -> None:
    details = acquisition.transaction.details
    check_registry_not_on_hold(registry)
    account_checks.check_destination_open(acquisition.account)
    account_checks.check_account_type(acquisition.account, HOLDING_TYPES, "destination_account_id")
    if details.transferring_party == registry.party:
        raise failed(
            catalogue.COUNTERPARTY_KNOWN, f"{registry.party} cannot acquire from itself.", "transferring_party"
        )
    new_blocks = [incoming.as_block(acquisition.account.id) for incoming in acquisition.incoming]
    for index, block in enumerate(new_blocks):
        _verify_incoming(acquisition, block, registry, now)
        returning = _returning_blocks(acquisition, index)
        if block.attributes.registry_id == registry.registry_id and not returning:
            raise failed(
                catalogue.INCOMING_UNITS_NEW,
                f"Units {block.first_itmo_id} to {block.last_itmo_id} never left this registry.",
                "blocks",
            )
        check_no_overlap(block, new_blocks[index + 1 :])


def _verify_incoming(acquisition: Acquisition, block: UnitBlock, registry: RegistrySettings, now: datetime) -> None:
    attributes = block.attributes
    account_checks.check_metric(acquisition.account, block, "destination_account_id")
    check_vintage_not_in_future(attributes.vintage, now)
    approach = reference_checks.require_approach(
        acquisition.approaches.get(attributes.cooperative_approach_id), attributes.cooperative_approach_id
    )
    reference_checks.check_participates(approach, registry.party, "cooperative_approach_id")
    reference_checks.check_participates(
        approach, acquisition.transaction.details.transferring_party or "", "transferring_party"
    )
    if attributes.authorization_id is not None:
        authorization_checks.require_authorization(
            acquisition.authorizations.get(attributes.authorization_id), attributes.authorization_id
        )


def _returning_blocks(acquisition: Acquisition, index: int) -> list[UnitBlock]:
    """The recorded blocks an incoming block brings back from abroad; none if its units are new."""
    incoming, recorded = acquisition.incoming[index], sorted(acquisition.recorded[index], key=block_order)
    if not recorded:
        return []
    abroad = all(acquisition.holders[b.account_id].type is AccountType.EXTERNAL and b.is_available for b in recorded)
    covered = recorded[0].serial_first <= incoming.serial_first and recorded[-1].serial_last >= incoming.serial_last
    contiguous = all(a.serial_last + 1 == b.serial_first for a, b in pairwise(recorded))
    if not (abroad and covered and contiguous):
        raise failed(
            catalogue.INCOMING_UNITS_NEW,
            f"Units {recorded[0].first_itmo_id} to {recorded[-1].last_itmo_id} are already recorded here.",
            "blocks",
        )
    return recorded


def check_incoming_transfer_new(incoming_transfer_id: UUID, earlier: Transaction | None) -> None:
    if earlier is not None:
        raise failed(
            catalogue.INCOMING_TRANSFER_ONCE,
            f"Incoming transfer {incoming_transfer_id} was acquired by transaction {earlier.number}.",
            "incoming_transfer_id",
        )


def acquire(acquisition: Acquisition, now: datetime) -> list[UnitBlock]:
    """Record the incoming units in the acquiring account; return the blocks to add to the repository."""
    transaction, account_id = acquisition.transaction, acquisition.account.id
    added: list[UnitBlock] = []
    acquired: list[UnitBlock] = []
    changes: list[BlockChange] = []
    for index, incoming in enumerate(acquisition.incoming):
        returning = _returning_blocks(acquisition, index)
        if not returning:
            block = incoming.as_block(account_id)
            added.append(block)
            acquired.append(block)
            changes.append(BlockChange.of(block, None, False))
        for block in returning:
            carved = carve(
                block, max(block.serial_first, incoming.serial_first), min(block.serial_last, incoming.serial_last)
            )
            added += carved.new_blocks
            transaction.splits += carved.splits
            for part in carved.blocks:
                external_account_id = part.account_id
                part.settle(account_id, UnitState.ACTIVE)
                acquired.append(part)
                changes.append(BlockChange.of(part, external_account_id, False))
    transaction.complete(now, changes)
    details = transaction.details
    transaction.record(
        events.AcquisitionRecorded(
            transaction.id,
            transaction.number,
            _required(details.incoming_transfer_id),
            _required(details.transferring_party),
            _required(details.transferring_registry_id),
            account_id,
            tuple(block.snapshot() for block in acquired),
            now,
        )
    )
    return added


def _required(value: T | None) -> T:
    if value is None:
        raise failed(catalogue.ACTION_FIELDS_COMPLETE, "An acquisition names the incoming transfer and its Party.")
    return value
