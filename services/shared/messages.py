"""Base classes for commands and events, and the JSON-safe form they travel in."""

import dataclasses
import enum
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeAlias
from uuid import UUID

from services.shared.clock import require_utc

JsonValue: TypeAlias = str | int | float | bool | list["JsonValue"] | dict[str, "JsonValue"] | None


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})
Convert: TypeAlias = Callable[[Any], JsonValue]


def to_json_safe(value: object) -> JsonValue:
    """Turn ids, times, enums, decimals, sets and dataclasses into plain JSON values."""
    kind = type(value)
    if kind in _PLAIN_TYPES:  # exact types first: an enum subclassing str or int is not plain
        return value  # type: ignore[return-value]
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter_for(kind)
    return convert(value)


def _converter_for(kind: type) -> Convert:
    """How values of exactly `kind` convert, decided once per type (events repeat a few types many times)."""
    if issubclass(kind, enum.Enum):
        return lambda value: to_json_safe(value.value)
    if issubclass(kind, bool | int | float | str):
        return _itself
    if issubclass(kind, UUID):
        return str
    if issubclass(kind, datetime):
        return lambda value: require_utc(value).isoformat()
    if issubclass(kind, date):
        return date.isoformat
    if issubclass(kind, Decimal):
        return str
    if dataclasses.is_dataclass(kind):
        return _dataclass_converter(kind)
    if issubclass(kind, Mapping):
        return _mapping
    if issubclass(kind, set | frozenset):
        return lambda value: sorted((to_json_safe(item) for item in value), key=canonical_json)
    if issubclass(kind, list | tuple):
        return _sequence
    return _refused


def _itself(value: JsonValue) -> JsonValue:
    return value


def _refused(value: object) -> JsonValue:
    raise TypeError(f"{type(value).__name__} has no JSON form")


def _mapping(value: Mapping[Any, Any]) -> JsonValue:
    plain = _PLAIN_TYPES
    return {
        (key if type(key) is str else str(to_json_safe(key))): (item if type(item) in plain else to_json_safe(item))
        for key, item in value.items()
    }


def _sequence(value: list[Any] | tuple[Any, ...]) -> JsonValue:
    plain = _PLAIN_TYPES
    return [item if type(item) in plain else to_json_safe(item) for item in value]


def _dataclass_converter(kind: type) -> Convert:
    names, plain = _field_names(kind), _PLAIN_TYPES

    def convert(value: object) -> JsonValue:
        found: dict[str, JsonValue] = {}
        for name in names:
            item = getattr(value, name)
            found[name] = item if type(item) in plain else to_json_safe(item)
        return found

    return convert


_CONVERTERS: dict[type, Convert] = {UUID: str, dict: _mapping, list: _sequence, tuple: _sequence}
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
