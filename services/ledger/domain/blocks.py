"""Unit blocks: contiguous serial ranges whose units share every attribute.

A partial action splits a block: the part that stays keeps the lower serials and the id, the part
that moves takes the upper serials and a new id. Every attribute, first-transfer status included,
goes to both parts. Serials are never renumbered or reused, so an action costs one step per block
it touches, whatever the number of units.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from services.ledger.domain import catalogue, identifiers
from services.ledger.domain.errors import failed
from services.ledger.domain.events import BlockSnapshot
from services.ledger.domain.identifiers import ItmoId
from services.ledger.domain.values import Metric, MitigationType, UnitType
from services.shared.ids import new_id


class UnitState(StrEnum):
    ACTIVE = "active"
    PENDING_OUT = "pending_out"
    USED = "used"
    CANCELLED = "cancelled"
    RETIRED = "retired"


TERMINAL_STATES = frozenset({UnitState.USED, UnitState.CANCELLED, UnitState.RETIRED})


class FirstTransferTrigger(StrEnum):
    INTERNATIONAL_TRANSFER = "first_international_transfer"
    AUTHORIZATION = "authorization"
    ISSUANCE = "issuance"
    USE_OR_CANCELLATION = "use_or_cancellation"


@dataclass(frozen=True)
class FirstTransfer:
    at: datetime
    trigger: FirstTransferTrigger
    transaction_id: UUID | None = None


@dataclass(frozen=True)
class BlockAttributes:
    """What every unit of a block shares. Project and issuance are unknown for units from abroad."""

    cooperative_approach_id: str
    registry_id: str
    first_transferring_party: str
    vintage: int
    metric: Metric
    unit_type: UnitType
    mitigation_type: MitigationType
    project_id: UUID | None = None
    issuance_id: UUID | None = None
    authorization_id: UUID | None = None
    authorization_version: int | None = None
    underlying_registry_id: str | None = None

    def __post_init__(self) -> None:
        identifiers.approach_id(self.cooperative_approach_id)
        identifiers.registry_id(self.registry_id)
        identifiers.party_code(self.first_transferring_party, "first_transferring_party")
        identifiers.vintage(self.vintage)
        if (self.authorization_id is None) != (self.authorization_version is None):
            raise failed(
                catalogue.BLOCK_INTEGRITY,
                "An authorization needs both its id and its version.",
                "authorization_version",
            )


@dataclass(frozen=True)
class UnitFilter:
    """Narrows the units an action takes from an account; None matches anything."""

    cooperative_approach_id: str | None = None
    registry_id: str | None = None
    vintage: int | None = None
    project_id: UUID | None = None
    issuance_id: UUID | None = None
    authorization_id: UUID | None = None
    authorized: bool | None = None

    def required_attributes(self) -> dict[str, object]:
        """The block attributes the filter asks for, by name: every field set but `authorized`, which
        names no attribute. The SQL selection reads the same list, so a new field applies to both."""
        found = ((field.name, getattr(self, field.name)) for field in fields(self) if field.name != "authorized")
        return {name: value for name, value in found if value is not None}

    def matches(self, block: "UnitBlock") -> bool:
        attributes = block.attributes
        if any(getattr(attributes, name) != value for name, value in self.required_attributes().items()):
            return False
        return self.authorized is None or self.authorized == (attributes.authorization_id is not None)


@dataclass(frozen=True)
class BlockSplit:
    """Block `block_id` held `serial_first`..`serial_last`; from `split_at` up it is now `new_block_id`."""

    block_id: UUID
    new_block_id: UUID
    serial_first: int
    serial_last: int
    split_at: int


@dataclass(kw_only=True)
class UnitBlock:
    id: UUID
    serial_first: int
    serial_last: int
    attributes: BlockAttributes
    account_id: UUID
    state: UnitState = UnitState.ACTIVE
    first_transfer: FirstTransfer | None = None
    reserved_by: UUID | None = None
    underlying_first_unit_id: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.serial_first <= self.serial_last:
            raise failed(
                catalogue.BLOCK_INTEGRITY,
                f"{self.serial_first}..{self.serial_last} is not a serial range.",
                "serial_first",
            )

    @property
    def quantity(self) -> int:
        return self.serial_last - self.serial_first + 1

    @property
    def space(self) -> tuple[str, str]:
        """Serials are unique within a cooperative approach and an originating registry."""
        return self.attributes.cooperative_approach_id, self.attributes.registry_id

    def itmo_id(self, serial: int) -> ItmoId:
        a = self.attributes
        return ItmoId(a.cooperative_approach_id, a.registry_id, a.first_transferring_party, serial, a.vintage)

    @property
    def first_itmo_id(self) -> str:
        return str(self.itmo_id(self.serial_first))

    @property
    def last_itmo_id(self) -> str:
        return str(self.itmo_id(self.serial_last))

    @property
    def underlying_last_unit_id(self) -> int | None:
        if self.underlying_first_unit_id is None:
            return None
        return self.underlying_first_unit_id + self.quantity - 1

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    @property
    def is_available(self) -> bool:
        return self.state is UnitState.ACTIVE and self.reserved_by is None

    def split(self, moved_quantity: int) -> tuple["UnitBlock", BlockSplit]:
        """Cut off the upper `moved_quantity` units as a new block, which is returned."""
        if not 0 < moved_quantity < self.quantity:
            raise failed(
                catalogue.BLOCK_INTEGRITY,
                f"Cannot split {moved_quantity} units off a block of {self.quantity}.",
                "quantity",
            )
        split_at = self.serial_last - moved_quantity + 1
        underlying = self.underlying_first_unit_id
        upper = replace(
            self,
            id=new_id(),
            serial_first=split_at,
            underlying_first_unit_id=None if underlying is None else underlying + split_at - self.serial_first,
        )
        record = BlockSplit(self.id, upper.id, self.serial_first, self.serial_last, split_at)
        self.serial_last = split_at - 1
        return upper, record

    def _require_live(self) -> None:
        if self.is_terminal:
            raise failed(
                catalogue.UNITS_NOT_TERMINAL,
                f"Units {self.first_itmo_id} to {self.last_itmo_id} are {self.state}.",
                "quantity",
            )

    def reserve(self, transaction_id: UUID) -> None:
        self._require_live()
        if self.reserved_by is not None:
            raise failed(
                catalogue.UNITS_NOT_RESERVED,
                f"Units from {self.first_itmo_id} are reserved by transaction {self.reserved_by}.",
                "quantity",
            )
        self.state, self.reserved_by = UnitState.PENDING_OUT, transaction_id

    def release(self) -> None:
        self._require_live()
        self.state, self.reserved_by = UnitState.ACTIVE, None

    def settle(self, account_id: UUID, state: UnitState) -> None:
        """End a reservation: the units rest in `account_id` in `state`."""
        self._require_live()
        self.account_id, self.state, self.reserved_by = account_id, state, None

    def authorize(self, authorization_id: UUID, version: int) -> None:
        self._require_live()
        if self.attributes.authorization_id is not None:
            raise failed(
                catalogue.UNITS_NOT_YET_AUTHORIZED,
                f"Units from {self.first_itmo_id} are already authorized.",
                "authorization_id",
            )
        self.attributes = replace(self.attributes, authorization_id=authorization_id, authorization_version=version)

    def mark_first_transferred(self, first_transfer: FirstTransfer) -> None:
        self._require_live()
        if self.first_transfer is not None:
            raise failed(
                catalogue.FIRST_TRANSFER_ONCE,
                f"Units from {self.first_itmo_id} were first transferred on {self.first_transfer.at:%Y-%m-%d}.",
                "quantity",
            )
        self.first_transfer = first_transfer

    def snapshot(self) -> BlockSnapshot:
        a, first = self.attributes, self.first_transfer
        return BlockSnapshot(
            self.id,
            self.first_itmo_id,
            self.last_itmo_id,
            self.serial_first,
            self.serial_last,
            self.quantity,
            a.cooperative_approach_id,
            a.registry_id,
            a.first_transferring_party,
            a.vintage,
            str(a.metric),
            a.unit_type,
            a.mitigation_type,
            a.authorization_id,
            a.authorization_version,
            a.project_id,
            a.issuance_id,
            a.underlying_registry_id,
            self.underlying_first_unit_id,
            self.underlying_last_unit_id,
            self.account_id,
            self.state,
            None if first is None else first.at,
            None if first is None else first.trigger,
        )


def block_order(block: UnitBlock) -> tuple[int, str]:
    """The one order in which blocks are walked and locked: ascending serial, then id."""
    return block.serial_first, str(block.id)


@dataclass(frozen=True)
class Selection:
    blocks: tuple[UnitBlock, ...]
    new_blocks: tuple[UnitBlock, ...] = ()
    splits: tuple[BlockSplit, ...] = ()

    @property
    def quantity(self) -> int:
        return sum(block.quantity for block in self.blocks)


def select_units(candidates: Iterable[UnitBlock], quantity: int) -> Selection:
    """Take whole available blocks in ascending serial order; split only the last one."""
    chosen: list[UnitBlock] = []
    remaining = quantity
    for block in sorted((b for b in candidates if b.is_available), key=block_order):
        if remaining == 0:
            break
        if block.quantity <= remaining:
            chosen.append(block)
            remaining -= block.quantity
            continue
        upper, split = block.split(remaining)
        return Selection((*chosen, upper), (upper,), (split,))
    if remaining:
        raise failed(
            catalogue.QUANTITY_AVAILABLE,
            f"Only {quantity - remaining} units are available, not {quantity}.",
            "quantity",
        )
    return Selection(tuple(chosen))


def carve(block: UnitBlock, serial_first: int, serial_last: int) -> Selection:
    """Cut `serial_first`..`serial_last` out of `block` (which must contain them) as one block."""
    if not block.serial_first <= serial_first <= serial_last <= block.serial_last:
        raise failed(
            catalogue.BLOCK_INTEGRITY,
            f"{serial_first}..{serial_last} is not within block {block.first_itmo_id}.",
            "serial_first",
        )
    part, new_blocks, splits = block, [], []
    if serial_first > part.serial_first:
        part, split = part.split(part.serial_last - serial_first + 1)
        new_blocks.append(part)
        splits.append(split)
    if serial_last < part.serial_last:
        upper, split = part.split(part.serial_last - serial_last)
        new_blocks.append(upper)
        splits.append(split)
    return Selection((part,), tuple(new_blocks), tuple(splits))
