"""What handlers return, and the form a result takes when kept for an idempotency key."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Self, TypeVar
from uuid import UUID

from services.ledger.domain.transactions import TransactionStatus, TransactionType
from services.shared.messages import Command, JsonValue, canonical_json, to_json_safe

T = TypeVar("T")


@dataclass(frozen=True)
class UnitRange:
    first_itmo_id: str
    last_itmo_id: str


@dataclass(frozen=True)
class TransactionResult:
    transaction_id: UUID
    number: str
    type: TransactionType
    status: TransactionStatus
    quantity: int
    units: tuple[UnitRange, ...] = ()
    execute_after: datetime | None = None
    reason: str | None = None
    journal_sequence: int | None = None

    def to_data(self) -> dict[str, JsonValue]:
        return {"kind": "transaction", **_fields(self)}

    @classmethod
    def from_data(cls, data: dict[str, JsonValue]) -> Self:
        return cls(
            UUID(str(data["transaction_id"])),
            str(data["number"]),
            TransactionType(str(data["type"])),
            TransactionStatus(str(data["status"])),
            int(str(data["quantity"])),
            tuple(UnitRange(**unit) for unit in _list_of_dicts(data["units"])),
            _optional(data["execute_after"], datetime.fromisoformat),
            _optional(data["reason"], str),
            _optional(data["journal_sequence"], int),
        )


@dataclass(frozen=True)
class RecordResult:
    """A reference record or an account was recorded: its id, and its number or version if it has one."""

    kind: str
    record_id: str
    number: str | None = None
    version: int | None = None

    def to_data(self) -> dict[str, JsonValue]:
        return _fields(self)

    @classmethod
    def from_data(cls, data: dict[str, JsonValue]) -> Self:
        return cls(
            str(data["kind"]), str(data["record_id"]), _optional(data["number"], str), _optional(data["version"], int)
        )


@dataclass(frozen=True)
class BatchResult:
    results: tuple[TransactionResult, ...]


Result = TransactionResult | RecordResult


def result_from_data(data: dict[str, JsonValue]) -> Result:
    return TransactionResult.from_data(data) if data.get("kind") == "transaction" else RecordResult.from_data(data)


@dataclass(frozen=True)
class StoredResult:
    """The result of a request sent with an idempotency key, and a fingerprint of that request."""

    key: str
    fingerprint: str
    result: Result


def fingerprint(command: Command) -> str:
    data = command.to_data()
    data.pop("idempotency_key", None)
    return hashlib.sha256(f"{type(command).__name__}:{canonical_json(data)}".encode()).hexdigest()


def _fields(result: object) -> dict[str, JsonValue]:
    data = to_json_safe(result)
    if not isinstance(data, dict):
        raise TypeError("results are dataclasses")
    return data


def _optional(value: JsonValue, convert: Callable[[str], T]) -> T | None:
    return None if value is None else convert(str(value))


def _list_of_dicts(value: JsonValue) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise TypeError("units are a list")
    return [{str(k): str(v) for k, v in item.items()} for item in value if isinstance(item, dict)]
