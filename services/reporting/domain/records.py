"""What the projection keeps: unit blocks over time and the actions they took, both read from ledger events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

LIVE_STATES = frozenset({"active", "pending_out"})


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def optional_uuid(value: Any) -> UUID | None:
    return None if value is None else UUID(str(value))


@dataclass(frozen=True)
class Block:
    """A block as a ledger event shows it after the action."""

    block_id: UUID
    account_id: UUID
    state: str
    serial_first: int
    serial_last: int
    first_itmo_id: str
    last_itmo_id: str
    cooperative_approach_id: str
    registry_id: str
    first_transferring_party: str
    vintage: int
    metric: str
    mitigation_type: str
    authorization_id: UUID | None
    authorization_version: int | None
    underlying_registry_id: str | None
    underlying_first_unit_id: int | None
    underlying_last_unit_id: int | None

    @property
    def quantity(self) -> int:
        return self.serial_last - self.serial_first + 1

    @property
    def is_authorized(self) -> bool:
        return self.authorization_id is not None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Block:
        return cls(
            block_id=UUID(data["block_id"]),
            account_id=UUID(data["account_id"]),
            state=data["state"],
            serial_first=int(data["serial_first"]),
            serial_last=int(data["serial_last"]),
            first_itmo_id=data["first_itmo_id"],
            last_itmo_id=data["last_itmo_id"],
            cooperative_approach_id=data["cooperative_approach_id"],
            registry_id=data["registry_id"],
            first_transferring_party=data["first_transferring_party"],
            vintage=int(data["vintage"]),
            metric=data["metric"],
            mitigation_type=data["mitigation_type"],
            authorization_id=optional_uuid(data.get("authorization_id")),
            authorization_version=data.get("authorization_version"),
            underlying_registry_id=data.get("underlying_registry_id"),
            underlying_first_unit_id=data.get("underlying_first_unit_id"),
            underlying_last_unit_id=data.get("underlying_last_unit_id"),
        )


@dataclass(frozen=True)
class ActionRecord:
    """One block of one action at AEF granularity; `reported` is False for facts only the public sees."""

    transaction_number: str
    action_type: str
    action_subtype: str
    executed_at: datetime
    block: Block
    reported: bool = True
    transferring_party: str | None = None
    acquiring_party: str | None = None
    oimp_purpose: str | None = None
    using_party: str | None = None
    ndc_year: int | None = None
    beneficiary: str | None = None
    retirement_reason: str | None = None

    @property
    def year(self) -> int:
        return self.executed_at.astimezone(UTC).year
