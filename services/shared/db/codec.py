"""JSON documents back into domain values: the inverse of `to_json_safe`, driven by type hints."""

import dataclasses
import enum
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar
from uuid import UUID

from services.shared.messages import JsonValue, to_json_safe

T = TypeVar("T")


def encode(value: object) -> JsonValue:
    return to_json_safe(value)


def decode(kind: type[T], data: JsonValue) -> T:
    """Rebuild a value of `kind` (a dataclass, enum, id, time, number or container of them)."""
    value: T = _decode(kind, data)
    return value


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _decode(kind: Any, data: Any) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        if data is None and type(None) in args:
            return None
        return _decode(next(arg for arg in args if arg is not type(None)), data)
    if origin in (list, tuple, frozenset, set):
        item = args[0] if args else Any
        return origin(_decode(item, value) for value in data)
    if origin is dict or (origin is not None and issubclass(origin, typing.Mapping)):
        key, item = args
        return {_decode(key, k): _decode(item, v) for k, v in data.items()}
    if kind is Any or data is None:
        return data
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        fields = {
            f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(kind) if f.init and f.name in data
        }
        return kind(**fields)
    return _scalar(kind, data)


def _scalar(kind: Any, data: Any) -> Any:
    if kind is datetime:
        return datetime.fromisoformat(data)
    if kind is date:
        return date.fromisoformat(data)
    if isinstance(kind, type) and issubclass(kind, enum.Enum | UUID | Decimal | int | str):
        return kind(data)
    return data
