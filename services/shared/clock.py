from datetime import UTC, datetime, timedelta
from typing import Protocol


def require_utc(moment: datetime) -> datetime:
    """Return `moment` in UTC; a naive datetime is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; use a UTC-aware datetime")
    return moment.astimezone(UTC)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


SYSTEM_CLOCK: Clock = SystemClock()  # the default of every constructor that takes a clock


class FixedClock:
    """A clock for tests: it shows the time it was set to until told otherwise."""

    def __init__(self, at: datetime) -> None:
        self._at = require_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = require_utc(at)

    def advance(self, delta: timedelta) -> None:
        self._at += delta
