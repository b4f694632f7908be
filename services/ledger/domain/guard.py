"""What the account-protection controls say about one movement out of an account.

Only movements out of holding accounts are limited or wait for a trusted list; the registry's own issuance
account is not.

- `check_not_frozen` refuses any movement out of a frozen account or organization, and transfers abroad
  while the operator froze them; it runs at proposal and again when a held movement executes.
- `over_limit` names the first limit a transfer goes over (the caller refuses it or holds it for release).
- `wait` says until when a movement waits: the policy's delay, the untrusted-transfer delay, then the
  registry's next opening hour, whichever is latest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.ledger.domain import catalogue
from services.ledger.domain.accounts import HOLDING_TYPES, Account, AccountType
from services.ledger.domain.errors import CheckFailed, failed
from services.ledger.domain.protection import ROLLING_DAY, Controls, Counterparty, Limits, ProtectionSettings
from services.ledger.domain.transactions import INTERNATIONAL_TYPES, Transaction, TransactionType

_T = TransactionType
TRANSFER_TYPES = frozenset({_T.TRANSFER_DOMESTIC, *INTERNATIONAL_TYPES})


@dataclass(frozen=True)
class RecentMovement:
    """A transfer out of the account proposed within the last 24 hours that has not failed or been withdrawn."""

    proposed_at: datetime
    quantity: int


@dataclass(frozen=True)
class Protection:
    """The controls over a movement's source: the registry's, the account's and its organization's."""

    settings: ProtectionSettings = field(default_factory=ProtectionSettings)
    account: Controls | None = None
    organization: Controls | None = None
    recent: Sequence[RecentMovement] = ()

    @property
    def limits(self) -> Limits:
        own = self.account.limits if self.account else Limits()
        return own.tightest(self.settings.limits)


def moves_out(transaction_type: TransactionType) -> bool:
    """Every action on held units but authorization takes units out of their account."""
    return transaction_type is not _T.AUTHORIZATION


def check_not_frozen(transaction: Transaction, source: Account, protection: Protection) -> None:
    if not moves_out(transaction.type):
        return
    if protection.account and protection.account.freeze:
        reason = protection.account.freeze.reason
        raise failed(catalogue.ACCOUNT_NOT_FROZEN, f"Account {source.number} is frozen: {reason}.", "source_account_id")
    if protection.organization and protection.organization.freeze:
        reason = protection.organization.freeze.reason
        raise failed(
            catalogue.ORGANIZATION_NOT_FROZEN,
            f"The organization holding account {source.number} is frozen: {reason}.",
            "source_account_id",
        )
    if transaction.type in INTERNATIONAL_TYPES and protection.settings.abroad_frozen is not None:
        reason = protection.settings.abroad_frozen
        raise failed(catalogue.TRANSFERS_ABROAD_OPEN, f"Transfers abroad are frozen: {reason}.", "external_account_id")


def over_limit(transaction: Transaction, source: Account, protection: Protection, now: datetime) -> CheckFailed | None:
    """The first limit a transfer out of a holding account goes over, counting the last 24 hours' with it."""
    if transaction.type not in TRANSFER_TYPES or source.type not in HOLDING_TYPES:
        return None
    limits, quantity = protection.limits, transaction.quantity
    recent = [m for m in protection.recent if now - ROLLING_DAY < m.proposed_at <= now]
    if limits.per_transfer is not None and quantity > limits.per_transfer:
        return failed(
            catalogue.TRANSFER_QUANTITY_LIMIT,
            f"{quantity} units is over the limit of {limits.per_transfer}.",
            "quantity",
        )
    moved = sum(m.quantity for m in recent) + quantity
    if limits.per_24_hours is not None and moved > limits.per_24_hours:
        return failed(
            catalogue.DAILY_QUANTITY_LIMIT,
            f"With this transfer {moved} units leave in 24 hours, over the limit of {limits.per_24_hours}.",
            "quantity",
        )
    count = len(recent) + 1
    if limits.transfers_per_24_hours is not None and count > limits.transfers_per_24_hours:
        return failed(
            catalogue.DAILY_TRANSFER_COUNT_LIMIT,
            f"This is transfer {count} in 24 hours, over the limit of {limits.transfers_per_24_hours}.",
        )
    return None


def counterparty(destination: Account) -> Counterparty:
    """How a trusted list names the acquiring account."""
    if destination.type is AccountType.EXTERNAL:
        return Counterparty(str(destination.number), destination.external_registry_id)
    return Counterparty(str(destination.number))


@dataclass(frozen=True)
class Wait:
    until: datetime
    reason: str | None


def wait(
    transaction: Transaction,
    source: Account,
    destination: Account,
    protection: Protection,
    policy_delay: timedelta | None,
    now: datetime,
) -> Wait | None:
    """Until when the checked movement waits, and why (a check code and message), or None to run now."""
    until, reason = now + (policy_delay or timedelta(0)), None
    untrusted = protection.settings.untrusted_transfer_delay
    if untrusted and _untrusted(transaction, source, destination, protection, now) and now + untrusted > until:
        until = now + untrusted
        reason = f"{catalogue.UNTRUSTED_TRANSFER_DELAYED.code}: {destination.number} is not a trusted account."
    hours = protection.settings.hours
    if hours is not None and moves_out(transaction.type) and not hours.is_open(until):
        until = hours.next_opening(until)
        reason = f"{catalogue.OUT_OF_HOURS.code}: the registry's hours open at {until.isoformat()}."
    if until <= now:
        return None
    return Wait(until, reason)


def _untrusted(
    transaction: Transaction, source: Account, destination: Account, protection: Protection, now: datetime
) -> bool:
    if transaction.type not in TRANSFER_TYPES or source.type not in HOLDING_TYPES:
        return False
    return protection.account is None or not protection.account.trusts(counterparty(destination), now)
