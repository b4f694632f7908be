import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

import pytest

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
