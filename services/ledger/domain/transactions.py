"""Transactions: one aggregate per action, with an explicit status machine.

Every action is proposed, checked, then completed at once, or held for approval (four eyes), for a
delay, or, abroad, for the acquiring registry's answer. A failed check at proposal changes nothing;
a failed check later terminates the transaction and releases its units.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Self
from uuid import UUID

from services.ledger.domain import catalogue, events
from services.ledger.domain.aggregate import Aggregate
from services.ledger.domain.blocks import BlockAttributes, BlockSplit, Selection, UnitBlock, UnitFilter, UnitState
from services.ledger.domain.errors import CheckFailed, failed
from services.ledger.domain.identifiers import ItmoId
from services.shared.ids import new_id
from services.shared.messages import Event, JsonValue, to_json_safe


class TransactionType(StrEnum):
    ISSUANCE = "issuance"
    AUTHORIZATION = "authorization"
    FIRST_TRANSFER = "first_transfer"
    TRANSFER_DOMESTIC = "transfer_domestic"
    TRANSFER_INTERNATIONAL = "transfer_international"
    ACQUISITION = "acquisition"
    USE_NDC = "use_ndc"
    USE_OIMP = "use_oimp"
    CANCELLATION_OIMP = "cancellation_oimp"
    VOLUNTARY_CANCELLATION = "voluntary_cancellation"
    OMGE_CANCELLATION = "omge_cancellation"
    RETIREMENT = "retirement"


INTERNATIONAL_TYPES = frozenset({TransactionType.FIRST_TRANSFER, TransactionType.TRANSFER_INTERNATIONAL})


class TransactionStatus(StrEnum):
    PROPOSED = "proposed"
    CHECKED = "checked"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_RELEASE = "awaiting_release"
    DELAYED = "delayed"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    TERMINATED = "terminated"


_S = TransactionStatus
TRANSITIONS: dict[TransactionStatus, frozenset[TransactionStatus]] = {
    _S.PROPOSED: frozenset({_S.CHECKED, _S.TERMINATED}),
    _S.CHECKED: frozenset(
        {_S.AWAITING_APPROVAL, _S.AWAITING_RELEASE, _S.DELAYED, _S.AWAITING_ACCEPTANCE, _S.COMPLETED, _S.TERMINATED}
    ),
    _S.AWAITING_RELEASE: frozenset(
        {_S.AWAITING_APPROVAL, _S.DELAYED, _S.AWAITING_ACCEPTANCE, _S.COMPLETED}
        | {_S.REJECTED, _S.CANCELLED, _S.TERMINATED}
    ),
    _S.AWAITING_APPROVAL: frozenset(
        {_S.DELAYED, _S.AWAITING_ACCEPTANCE, _S.COMPLETED, _S.REJECTED, _S.CANCELLED, _S.TERMINATED}
    ),
    _S.DELAYED: frozenset({_S.AWAITING_ACCEPTANCE, _S.COMPLETED, _S.CANCELLED, _S.TERMINATED}),
    _S.AWAITING_ACCEPTANCE: frozenset({_S.COMPLETED, _S.TERMINATED}),
    _S.COMPLETED: frozenset(),
    _S.REJECTED: frozenset(),
    _S.CANCELLED: frozenset(),
    _S.TERMINATED: frozenset(),
}
FINAL_STATUSES = frozenset(status for status, targets in TRANSITIONS.items() if not targets)


@dataclass(frozen=True)
class StatusChange:
    status: TransactionStatus
    at: datetime
    actor_id: UUID | None = None
    reason: str | None = None


@dataclass(frozen=True)
class BlockChange:
    """Units `serial_first`..`serial_last` of a serial space went from one account to another."""

    block_id: UUID
    cooperative_approach_id: str
    registry_id: str
    first_transferring_party: str
    serial_first: int
    serial_last: int
    vintage: int
    from_account_id: UUID | None
    to_account_id: UUID
    state: UnitState
    first_transferred: bool = False

    @classmethod
    def of(cls, block: UnitBlock, from_account_id: UUID | None, first_transferred: bool) -> Self:
        """The change that brought `block`, as it is now, from `from_account_id`."""
        a = block.attributes
        return cls(
            block.id,
            a.cooperative_approach_id,
            a.registry_id,
            a.first_transferring_party,
            block.serial_first,
            block.serial_last,
            a.vintage,
            from_account_id,
            block.account_id,
            block.state,
            first_transferred,
        )

    @property
    def quantity(self) -> int:
        return self.serial_last - self.serial_first + 1

    @property
    def first_itmo_id(self) -> str:
        return str(self._itmo_id(self.serial_first))

    @property
    def last_itmo_id(self) -> str:
        return str(self._itmo_id(self.serial_last))

    def _itmo_id(self, serial: int) -> ItmoId:
        return ItmoId(
            self.cooperative_approach_id, self.registry_id, self.first_transferring_party, serial, self.vintage
        )

    def contains(self, cooperative_approach_id: str, registry_id: str, serial: int) -> bool:
        return (cooperative_approach_id, registry_id) == (self.cooperative_approach_id, self.registry_id) and (
            self.serial_first <= serial <= self.serial_last
        )


@dataclass(frozen=True)
class ActionDetails:
    """The fields of an action beyond accounts and quantity: what its AEF row and its checks need."""

    unit_filter: UnitFilter = field(default_factory=UnitFilter)
    ndc_year: int | None = None
    oimp_purpose: str | None = None
    beneficiary: str | None = None
    retirement_reason: str | None = None
    acquiring_party: str | None = None
    acquiring_registry_id: str | None = None
    transferring_party: str | None = None
    transferring_registry_id: str | None = None
    incoming_transfer_id: UUID | None = None
    authorization_id: UUID | None = None
    issuance_id: UUID | None = None
    planned_block: BlockAttributes | None = None
    underlying_first_unit_id: int | None = None


_REQUIRED_DETAILS: dict[TransactionType, tuple[str, ...]] = {
    TransactionType.ISSUANCE: ("issuance_id", "planned_block"),
    TransactionType.AUTHORIZATION: ("authorization_id",),
    TransactionType.FIRST_TRANSFER: ("acquiring_party", "acquiring_registry_id"),
    TransactionType.TRANSFER_INTERNATIONAL: ("acquiring_party", "acquiring_registry_id"),
    TransactionType.ACQUISITION: ("transferring_party", "transferring_registry_id", "incoming_transfer_id"),
    TransactionType.USE_NDC: ("ndc_year",),
    TransactionType.USE_OIMP: ("oimp_purpose",),
    TransactionType.CANCELLATION_OIMP: ("oimp_purpose",),
    TransactionType.RETIREMENT: ("beneficiary",),
}


RELEASED = "released"


def check_quantity(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise failed(catalogue.QUANTITY_POSITIVE_INTEGER, f"{quantity!r} is not a positive whole number.", "quantity")
    return quantity


def check_utc(moment: datetime, field_name: str = "at") -> datetime:
    if moment.utcoffset() != timedelta(0):
        raise failed(catalogue.UTC_TIMESTAMP, f"{moment.isoformat()} is not a UTC time.", field_name)
    return moment


def transaction_number(party: str, sequence: int) -> str:
    return f"{party}-T-{sequence:08d}"


_FINAL_EVENTS: dict[TransactionStatus, Callable[..., Event]] = {
    _S.COMPLETED: events.TransactionCompleted,
    _S.REJECTED: events.TransactionRejected,
    _S.CANCELLED: events.TransactionCancelled,
    _S.TERMINATED: events.TransactionTerminated,
}


@dataclass(kw_only=True)
class Transaction(Aggregate):
    """A transaction may be proposed without its number (`""`), so that the tenant-wide number counter is
    locked only for the end of the database transaction; it records no event before it is numbered, so
    every event carries the number it will keep."""

    id: UUID
    number: str
    type: TransactionType
    initiator_id: UUID
    proposed_at: datetime
    quantity: int
    source_account_id: UUID | None = None
    destination_account_id: UUID | None = None
    details: ActionDetails = field(default_factory=ActionDetails)
    status: TransactionStatus = TransactionStatus.PROPOSED
    approver_id: UUID | None = None
    execute_after: datetime | None = None
    executed_at: datetime | None = None
    reason: str | None = None
    journal_sequence: int | None = None
    splits: list[BlockSplit] = field(default_factory=list)
    changes: list[BlockChange] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)

    @classmethod
    def propose(
        cls,
        *,
        number: str = "",
        type: TransactionType,
        initiator_id: UUID,
        at: datetime,
        quantity: int,
        source_account_id: UUID | None = None,
        destination_account_id: UUID | None = None,
        details: ActionDetails | None = None,
    ) -> Self:
        details = details or ActionDetails()
        check_quantity(quantity)
        check_utc(at)
        for name in _REQUIRED_DETAILS.get(type, ()):
            if getattr(details, name) in (None, ""):
                raise failed(catalogue.ACTION_FIELDS_COMPLETE, f"A {type} needs {name}.", name)
        transaction = cls(
            id=new_id(),
            number=number,
            type=type,
            initiator_id=initiator_id,
            proposed_at=at,
            quantity=quantity,
            source_account_id=source_account_id,
            destination_account_id=destination_account_id,
            details=details,
        )
        transaction.history.append(StatusChange(TransactionStatus.PROPOSED, at, initiator_id))
        return transaction

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_numbered(self) -> bool:
        return self.number != ""

    def numbered(self, number: str) -> None:
        """Give a transaction proposed without a number its number."""
        if self.is_numbered:
            raise ValueError(f"transaction {self.number} is numbered already")
        self.number = number

    def record(self, event: Event) -> None:
        if not self.is_numbered:
            raise ValueError(f"transaction {self.id} records {event.type} before it is numbered")
        super().record(event)

    def _become(
        self, status: TransactionStatus, at: datetime, actor_id: UUID | None = None, reason: str | None = None
    ) -> None:
        if status not in TRANSITIONS[self.status]:
            raise failed(
                catalogue.TRANSITION_ALLOWED,
                f"Transaction {self.number} is {self.status}; it cannot become {status}.",
                "transaction_id",
            )
        self.status = status
        self.history.append(StatusChange(status, check_utc(at), actor_id, reason))

    def reserve(self, selection: Selection) -> None:
        for block in selection.blocks:
            block.reserve(self.id)
        self.splits += selection.splits

    def mark_checked(self, at: datetime) -> None:
        self._become(TransactionStatus.CHECKED, at)

    def hold_for_approval(self, at: datetime) -> None:
        self._become(TransactionStatus.AWAITING_APPROVAL, at)
        self.record(
            events.TransactionHeldForApproval(
                self.id, self.number, self.type, self.initiator_id, at, self.source_account_id
            )
        )

    def hold_for_release(self, at: datetime, over: CheckFailed, account_number: str) -> None:
        """Hold a movement over a limit (the failure `over`) for an administrator's release."""
        self._become(TransactionStatus.AWAITING_RELEASE, at, reason=over.code)
        self.record(
            events.TransactionHeldForRelease(
                self.id,
                self.number,
                self.type,
                self._source,
                account_number,
                over.code,
                over.message,
                at,
            )
        )

    @property
    def released(self) -> bool:
        return any(change.reason == RELEASED for change in self.history)

    def release(self, actor_id: UUID, at: datetime) -> None:
        if self.status is not TransactionStatus.AWAITING_RELEASE:
            raise failed(
                catalogue.HELD_FOR_RELEASE,
                f"Transaction {self.number} is {self.status}, not held for release.",
                "transaction_id",
            )
        self.history.append(StatusChange(self.status, check_utc(at), actor_id, RELEASED))

    @property
    def _source(self) -> UUID:
        if self.source_account_id is None:
            raise ValueError(f"transaction {self.number} moves nothing out of an account")
        return self.source_account_id

    def approve(self, approver_id: UUID, at: datetime) -> None:
        if self.status is not TransactionStatus.AWAITING_APPROVAL:
            raise failed(
                catalogue.TRANSITION_ALLOWED,
                f"Transaction {self.number} is {self.status}, not awaiting approval.",
                "transaction_id",
            )
        if approver_id == self.initiator_id:
            raise failed(catalogue.FOUR_EYES, f"You initiated transaction {self.number}.", "approver_id")
        self.approver_id = approver_id
        self.history.append(StatusChange(self.status, check_utc(at), approver_id, "approved"))

    def delay(self, until: datetime, at: datetime, reason: str | None = None) -> None:
        self._become(TransactionStatus.DELAYED, at, reason=reason)
        self.execute_after = check_utc(until, "execute_after")
        self.record(events.TransactionDelayed(self.id, self.number, self.type, until, self.source_account_id, reason))

    def await_acceptance(self, at: datetime) -> None:
        self._become(TransactionStatus.AWAITING_ACCEPTANCE, at)

    def complete(self, at: datetime, changes: list[BlockChange]) -> None:
        self._become(TransactionStatus.COMPLETED, at)
        self.executed_at = at
        self.changes += changes

    def reject(self, actor_id: UUID, at: datetime, reason: str) -> None:
        self._end(TransactionStatus.REJECTED, at, actor_id, reason)

    def cancel(self, actor_id: UUID, at: datetime, reason: str) -> None:
        self._end(TransactionStatus.CANCELLED, at, actor_id, reason)

    def terminate(self, at: datetime, reason: str) -> None:
        self._end(TransactionStatus.TERMINATED, at, None, reason)

    def _end(self, status: TransactionStatus, at: datetime, actor_id: UUID | None, reason: str) -> None:
        if not reason.strip():
            raise failed(catalogue.ACTION_FIELDS_COMPLETE, f"Say why transaction {self.number} ends.", "reason")
        self._become(status, at, actor_id, reason.strip())
        self.reason = reason.strip()

    def journaled(self, sequence: int, at: datetime) -> None:
        """The journal holds the final record under `sequence`; tell the world."""
        self.journal_sequence = sequence
        event_type = _FINAL_EVENTS[self.status]
        self.record(
            event_type(
                self.id,
                self.number,
                self.type,
                self.status,
                self.reason,
                sequence,
                at,
                self.source_account_id,
                self.quantity,
            )
        )

    def summary(self) -> dict[str, JsonValue]:
        """The transaction as journaled: everything but the recorded events."""
        names = [name for name in self.__dataclass_fields__ if name not in ("events", "journal_sequence")]
        return {name: to_json_safe(getattr(self, name)) for name in names}
