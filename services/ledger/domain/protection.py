"""Account protection against unit theft: trusted accounts, limits, freezes and the registry's hours.

`Controls` is one aggregate per holding account (its trusted list, limits and freeze) or per organization
(its freeze). `ProtectionSettings` is the registry's side, from its tenant settings. What they say about one
movement out of an account is decided in `guard.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from services.ledger.domain import catalogue, events, identifiers
from services.ledger.domain.aggregate import Aggregate
from services.ledger.domain.errors import failed
from services.shared.ids import new_id

TRUSTED_ACCOUNT_DELAY = timedelta(days=7)
UNTRUSTED_TRANSFER_DELAY = timedelta(hours=26)
ROLLING_DAY = timedelta(hours=24)


class OnLimit(StrEnum):
    REFUSE = "refuse"
    HOLD = "hold"


class ControlSubject(StrEnum):
    ACCOUNT = "account"
    ORGANIZATION = "organization"


def _limit(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise failed(catalogue.LIMITS_VALID, f"{name} is {value!r}.", name)
    return value


def _tightest(first: int | None, second: int | None) -> int | None:
    present = [value for value in (first, second) if value is not None]
    return min(present) if present else None


@dataclass(frozen=True)
class Limits:
    """Upper bounds on movements out of an account; None is no limit. The day is any rolling 24 hours."""

    per_transfer: int | None = None
    per_24_hours: int | None = None
    transfers_per_24_hours: int | None = None

    def __post_init__(self) -> None:
        for name in ("per_transfer", "per_24_hours", "transfers_per_24_hours"):
            _limit(getattr(self, name), name)

    def tightest(self, other: Limits) -> Limits:
        """The stricter of two sets of limits, bound by bound."""
        return Limits(
            _tightest(self.per_transfer, other.per_transfer),
            _tightest(self.per_24_hours, other.per_24_hours),
            _tightest(self.transfers_per_24_hours, other.transfers_per_24_hours),
        )


@dataclass(frozen=True)
class RegistryHours:
    """Hours of the registry, in its time zone, within which movements out run: on `days` (ISO weekdays,
    1 is Monday) from `opens` (included) to `closes` (excluded)."""

    time_zone: str
    opens: time
    closes: time
    days: frozenset[int] = frozenset(range(1, 8))

    def __post_init__(self) -> None:
        if self.opens >= self.closes or not self.days or not self.days <= frozenset(range(1, 8)):
            raise ValueError("the registry's hours open before they close, on weekdays 1 to 7")

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(ZoneInfo(self.time_zone))
        return local.isoweekday() in self.days and self.opens <= local.time().replace(tzinfo=None) < self.closes

    def next_opening(self, moment: datetime) -> datetime:
        """`moment` itself when the hours are open, else the next time they open (in `moment`'s zone)."""
        if self.is_open(moment):
            return moment
        zone = ZoneInfo(self.time_zone)
        local = moment.astimezone(zone)
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            opening = datetime.combine(day, self.opens, tzinfo=zone)
            if day.isoweekday() in self.days and opening > local:
                return opening.astimezone(moment.tzinfo)
        raise AssertionError("a week always has an opening")


@dataclass(frozen=True)
class ProtectionSettings:
    """The registry's side of the controls. `untrusted_transfer_delay` is None when the registry has not
    turned the trusted-account delay on (tenant setting `account_protection`)."""

    trusted_account_delay: timedelta = TRUSTED_ACCOUNT_DELAY
    untrusted_transfer_delay: timedelta | None = None
    on_limit: OnLimit = OnLimit.REFUSE
    limits: Limits = Limits()
    hours: RegistryHours | None = None
    abroad_frozen: str | None = None


@dataclass(frozen=True)
class Counterparty:
    """An account a holding account may trust: of this registry (`registry_id` None) or abroad."""

    account_number: str
    registry_id: str | None = None

    def __post_init__(self) -> None:
        if not self.account_number.strip():
            raise failed(catalogue.TRUSTED_ACCOUNT_VALID, "The trusted account needs a number.", "account_number")
        if self.registry_id is not None:
            identifiers.registry_id(self.registry_id, "registry_id")


@dataclass(frozen=True)
class TrustedAccount:
    """One entry of a trusted list: proposed, then approved by a second person, active from `active_from`."""

    id: UUID
    counterparty: Counterparty
    proposed_by: UUID
    proposed_at: datetime
    approved_by: UUID | None = None
    approved_at: datetime | None = None
    active_from: datetime | None = None

    def is_active(self, now: datetime) -> bool:
        return self.active_from is not None and self.active_from <= now


@dataclass(frozen=True)
class Freeze:
    reason: str
    frozen_by: UUID
    frozen_at: datetime
    unfreeze_asked_by: UUID | None = None


@dataclass(frozen=True)
class HeldAccount:
    """An account a control protects, as its events name it."""

    id: UUID
    number: str


@dataclass(kw_only=True)
class Controls(Aggregate):
    """The controls of one holding account (`subject_id` is the account) or organization (the organization:
    only its freeze). Events name every account the change protects."""

    subject_id: UUID
    kind: ControlSubject
    number: str = ""
    trusted: list[TrustedAccount] = field(default_factory=list)
    limits: Limits = Limits()
    freeze: Freeze | None = None

    @property
    def account(self) -> HeldAccount:
        return HeldAccount(self.subject_id, self.number)

    def trusted_entry(self, entry_id: UUID) -> TrustedAccount:
        entry = next((e for e in self.trusted if e.id == entry_id), None)
        if entry is None:
            raise failed(
                catalogue.TRUSTED_ACCOUNT_PENDING,
                f"Account {self.number} has no trusted account {entry_id}.",
                "trusted_account_id",
            )
        return entry

    def trusts(self, counterparty: Counterparty, now: datetime) -> bool:
        return any(e.counterparty == counterparty and e.is_active(now) for e in self.trusted)

    def propose_trusted(self, counterparty: Counterparty, actor_id: UUID, now: datetime) -> TrustedAccount:
        if counterparty == Counterparty(self.number):
            raise failed(
                catalogue.TRUSTED_ACCOUNT_VALID, f"Account {self.number} is the holding account.", "account_number"
            )
        if any(e.counterparty == counterparty for e in self.trusted):
            raise failed(
                catalogue.TRUSTED_ACCOUNT_VALID,
                f"Account {counterparty.account_number} is on the trusted list already.",
                "account_number",
            )
        entry = TrustedAccount(new_id(), counterparty, actor_id, now)
        self.trusted.append(entry)
        self.record(events.TrustedAccountProposed(self.subject_id, self.number, *_entry_data(entry), actor_id, now))
        return entry

    def approve_trusted(self, entry_id: UUID, actor_id: UUID, now: datetime, delay: timedelta) -> TrustedAccount:
        entry = self.trusted_entry(entry_id)
        if entry.approved_by is not None:
            raise failed(catalogue.TRUSTED_ACCOUNT_PENDING, f"Trusted account {entry_id} is approved already.")
        if actor_id == entry.proposed_by:
            raise failed(catalogue.TRUSTED_ACCOUNT_FOUR_EYES, "You proposed this trusted account.", "approver_id")
        approved = replace(entry, approved_by=actor_id, approved_at=now, active_from=now + delay)
        self.trusted[self.trusted.index(entry)] = approved
        self.record(
            events.TrustedAccountApproved(
                self.subject_id, self.number, *_entry_data(approved), actor_id, now + delay, now
            )
        )
        return approved

    def remove_trusted(self, entry_id: UUID, actor_id: UUID, now: datetime) -> None:
        entry = self.trusted_entry(entry_id)
        self.trusted.remove(entry)
        self.record(events.TrustedAccountRemoved(self.subject_id, self.number, *_entry_data(entry), actor_id, now))

    def set_limits(self, limits: Limits) -> None:
        self.limits = limits

    def freeze_for(self, reason: str, actor_id: UUID, now: datetime, accounts: Sequence[HeldAccount]) -> None:
        """Freeze the subject; `accounts` are those it holds (for an account, itself)."""
        if self.freeze is not None:
            raise failed(catalogue.FREEZE_CHANGE_ALLOWED, f"{self._name} is frozen already.")
        if not reason.strip():
            raise failed(catalogue.FREEZE_CHANGE_ALLOWED, "Say why you freeze it.", "reason")
        self.freeze = Freeze(reason.strip(), actor_id, now)
        for account in accounts:
            self.record(
                events.AccountFrozen(account.id, account.number, reason.strip(), actor_id, self._organization, now)
            )

    def unfreeze_by(self, actor_id: UUID, now: datetime, accounts: Sequence[HeldAccount]) -> bool:
        """The first administrator asks, a second one lifts the freeze: True once it is lifted."""
        if self.freeze is None:
            raise failed(catalogue.FREEZE_CHANGE_ALLOWED, f"{self._name} is not frozen.")
        asked_by = self.freeze.unfreeze_asked_by
        if asked_by is None:
            self.freeze = replace(self.freeze, unfreeze_asked_by=actor_id)
            return False
        if asked_by == actor_id:
            raise failed(catalogue.UNFREEZE_FOUR_EYES, "You asked for this unfreeze yourself.", "actor_id")
        self.freeze = None
        for account in accounts:
            self.record(events.AccountUnfrozen(account.id, account.number, asked_by, actor_id, self._organization, now))
        return True

    @property
    def _organization(self) -> UUID | None:
        return self.subject_id if self.kind is ControlSubject.ORGANIZATION else None

    @property
    def _name(self) -> str:
        return f"Account {self.number}" if self.kind is ControlSubject.ACCOUNT else f"Organization {self.subject_id}"


def _entry_data(entry: TrustedAccount) -> tuple[UUID, str, str | None]:
    return entry.id, entry.counterparty.account_number, entry.counterparty.registry_id


def controls_of_account(account: HeldAccount) -> Controls:
    return Controls(subject_id=account.id, kind=ControlSubject.ACCOUNT, number=account.number)


def controls_of_organization(organization_id: UUID) -> Controls:
    return Controls(subject_id=organization_id, kind=ControlSubject.ORGANIZATION)
