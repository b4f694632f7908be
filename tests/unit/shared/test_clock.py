from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.shared.clock import FixedClock, SystemClock, require_utc

NAIVE = datetime(2025, 1, 1, 12, 0)  # noqa: DTZ001 - naive on purpose


def test_a_fixed_clock_shows_the_time_it_was_set_to() -> None:
    clock = FixedClock(datetime(2025, 1, 1, tzinfo=UTC))

    clock.advance(timedelta(hours=26))

    assert clock.now() == datetime(2025, 1, 2, 2, 0, tzinfo=UTC)
    clock.set(datetime(2025, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_the_system_clock_tells_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        require_utc(NAIVE)
    with pytest.raises(ValueError, match="no time zone"):
        FixedClock(NAIVE)
