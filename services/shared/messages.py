"""Base classes for commands and events, and the JSON-safe form they travel in."""

import dataclasses
import enum
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, TypeAlias
from uuid import UUID

from services.shared.clock import require_utc

JsonValue: TypeAlias = str | int | float | bool | list["JsonValue"] | dict[str, "JsonValue"] | None


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def to_json_safe(value: object) -> JsonValue:
    """Turn ids, times, enums, decimals, sets and dataclasses into plain JSON values."""
    kind = type(value)
    if kind in _PLAIN_TYPES:  # exact types first: an enum subclassing str or int is not plain
        return value  # type: ignore[return-value]
    if kind is UUID:
        return str(value)
    if isinstance(value, enum.Enum):
        return to_json_safe(value.value)
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return require_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_json_safe(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, Mapping):
        return {str(to_json_safe(key)): to_json_safe(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((to_json_safe(item) for item in value), key=canonical_json)
    if isinstance(value, list | tuple):
        return [to_json_safe(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no JSON form")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def canonical_json(value: JsonValue) -> str:
    """One text per value: sorted keys, no spaces, no NaN. Hashes are taken over this."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


@dataclasses.dataclass(frozen=True)
class Event:
    """A fact that happened. Subclasses name it in the past tense and set a versioned `type`."""

    type: ClassVar[str] = "event"

    def to_data(self) -> dict[str, JsonValue]:
        return {name: to_json_safe(getattr(self, name)) for name in _field_names(type(self))}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Command:
    """A request to change something, named in the imperative."""

    idempotency_key: str | None = None

    def to_data(self) -> dict[str, JsonValue]:
        return {name: to_json_safe(getattr(self, name)) for name in _field_names(type(self))}
