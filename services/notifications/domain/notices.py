"""What account holders are told: which events become a notice, and what a notice says.

A notice is about one account (a movement out of it, a change to its trusted list or freeze state) and goes
to the representatives of the organization holding it, or about one person (a sign-in from a new device)
and goes to that person. Events of other types tell no one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class Happening(StrEnum):
    PROPOSED = "proposed"  # a movement waits for a second person's approval
    DELAYED = "delayed"  # approved, or needing no approval; waits for its execution time, cancellable until then
    HELD = "held"  # over a limit; waits for an administrator's release
    EXECUTED = "executed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    TERMINATED = "terminated"
    TRUSTED_PROPOSED = "trusted_proposed"
    TRUSTED_APPROVED = "trusted_approved"
    TRUSTED_REMOVED = "trusted_removed"
    FROZEN = "frozen"
    UNFROZEN = "unfrozen"
    NEW_DEVICE = "new_device"

    @property
    def is_movement(self) -> bool:
        return self in MOVEMENTS

    @property
    def is_pending(self) -> bool:
        """A movement that has not left yet: its notice carries the link to cancel it."""
        return self in PENDING


MOVEMENTS = frozenset(
    {
        Happening.PROPOSED,
        Happening.DELAYED,
        Happening.HELD,
        Happening.EXECUTED,
        Happening.CANCELLED,
        Happening.REJECTED,
        Happening.TERMINATED,
    }
)
PENDING = frozenset({Happening.PROPOSED, Happening.DELAYED, Happening.HELD})

# Event type (without its version) -> what it tells; major version 1 of each.
SUPPORTED_MAJOR = 1
HAPPENINGS: dict[str, Happening] = {
    "ledger.transaction.held_for_approval": Happening.PROPOSED,
    "ledger.transaction.delayed": Happening.DELAYED,
    "ledger.transaction.held_for_release": Happening.HELD,
    "ledger.transaction.completed": Happening.EXECUTED,
    "ledger.transaction.cancelled": Happening.CANCELLED,
    "ledger.transaction.rejected": Happening.REJECTED,
    "ledger.transaction.terminated": Happening.TERMINATED,
    "ledger.trusted_account.proposed": Happening.TRUSTED_PROPOSED,
    "ledger.trusted_account.approved": Happening.TRUSTED_APPROVED,
    "ledger.trusted_account.removed": Happening.TRUSTED_REMOVED,
    "ledger.account.frozen": Happening.FROZEN,
    "ledger.account.unfrozen": Happening.UNFROZEN,
    "identity.sign_in.new_device": Happening.NEW_DEVICE,
}


def happening_of(event_name: str) -> Happening | None:
    """What an event (its type without the version) tells account holders, or None: nothing."""
    return HAPPENINGS.get(event_name)


@dataclass(frozen=True)
class Notice:
    """The facts one message states; `None` where they do not apply."""

    happening: Happening
    registry: str  # the registry's name
    at: datetime
    account_number: str | None = None
    transaction_number: str | None = None
    transaction_type: str | None = None
    quantity: int | None = None
    executes_at: datetime | None = None  # a pending movement's execution time, when it is known
    active_from: datetime | None = None  # when an approved trusted account takes effect
    counterpart: str | None = None  # the trusted account added or removed, as the event names it
    reason: str | None = None
    device: str | None = None  # the new device's browser, as it introduced itself
    cancel_link: str | None = None


@dataclass(frozen=True)
class Recipient:
    user_id: UUID
    name: str
    email: str


@dataclass(frozen=True)
class Email:
    """One message to one person: what the outbox keeps and the mailer sends."""

    recipient: str
    subject: str
    body: str
