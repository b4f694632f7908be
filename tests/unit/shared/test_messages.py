import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum, IntEnum, StrEnum
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.shared.messages import Command, Event, canonical_json, to_json_safe


class Colour(StrEnum):
    GREEN = "green"


@dataclass(frozen=True)
class Inner:
    when: date


@dataclass(frozen=True)
class ThingHappened(Event):
    type = "test.thing.happened.v1"
    thing_id: UUID
    at: datetime
    colour: Colour
    amount: Decimal
    tags: frozenset[str]
    inner: tuple[Inner, ...]
    counts: dict[int, int]


@dataclass(frozen=True, kw_only=True)
class DoThing(Command):
    thing_id: UUID


THING = UUID("01890000-0000-7000-8000-000000000001")


def test_an_event_turns_into_plain_json() -> None:
    event = ThingHappened(
        THING,
        datetime(2025, 1, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        Colour.GREEN,
        Decimal("0.50"),
        frozenset({"b", "a"}),
        (Inner(date(2025, 1, 2)),),
        {2023: 5},
    )

    data = event.to_data()

    assert data == {
        "thing_id": str(THING),
        "at": "2025-01-01T12:00:00+00:00",
        "colour": "green",
        "amount": "0.50",
        "tags": ["a", "b"],
        "inner": [{"when": "2025-01-02"}],
        "counts": {"2023": 5},
    }
    assert json.loads(json.dumps(data)) == data
    assert ThingHappened.type == "test.thing.happened.v1"


def test_a_command_carries_an_optional_idempotency_key() -> None:
    assert DoThing(thing_id=THING).to_data() == {"idempotency_key": None, "thing_id": str(THING)}
    assert DoThing(thing_id=THING, idempotency_key="k").idempotency_key == "k"


def test_canonical_json_is_one_text_per_value() -> None:
    assert canonical_json({"b": 1, "a": [True, None, "é"]}) == '{"a":[true,null,"é"],"b":1}'
    with pytest.raises(ValueError, match="Out of range float"):
        canonical_json(float("nan"))


def test_values_without_a_json_form_are_refused() -> None:
    with pytest.raises(TypeError):
        to_json_safe(object())
    with pytest.raises(ValueError, match="no time zone"):
        to_json_safe(datetime(2025, 1, 1))  # noqa: DTZ001
    assert to_json_safe(datetime(2025, 1, 1, tzinfo=UTC)) == "2025-01-01T00:00:00+00:00"


def _as_first_written(value: object) -> object:
    """The conversion as it was first written, one isinstance test after another: the oracle for the
    per-type dispatch that replaced it."""
    if type(value) in (str, int, float, bool, type(None)):
        return value
    if isinstance(value, Enum):
        return _as_first_written(value.value)
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _as_first_written(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(_as_first_written(k)): _as_first_written(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_as_first_written(item) for item in value), key=canonical_json)  # type: ignore[arg-type]
    if isinstance(value, list | tuple):
        return [_as_first_written(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no JSON form")


class Size(IntEnum):
    SMALL = 1


class Count(int):
    pass


@dataclass(frozen=True)
class Pair:
    left: object
    right: object


_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.uuids(),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))])),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from([Colour.GREEN, Size.SMALL]),
    st.integers().map(Count),
)
_values = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers(), st.uuids()), inner, max_size=3),
        st.frozensets(st.one_of(st.text(max_size=3), st.integers()), max_size=3),
        st.builds(Pair, inner, inner),
    ),
    max_leaves=12,
)


@given(_values)
def test_every_value_converts_as_it_did_before_the_dispatch_per_type(value: object) -> None:
    assert to_json_safe(value) == _as_first_written(value)


def test_a_naive_time_and_an_unknown_type_are_still_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        to_json_safe({"at": datetime(2025, 1, 1)})  # noqa: DTZ001
    with pytest.raises(TypeError, match="object has no JSON form"):
        to_json_safe([object()])
