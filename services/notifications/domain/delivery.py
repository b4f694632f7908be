"""When an e-mail that could not be sent is tried again: never given up, waiting longer each time.

A failed attempt (the SMTP server down, slow or refusing) waits `FIRST_BACKOFF`, then twice as long after
each further failure, at most `LONGEST_BACKOFF`; the message stays in the outbox until it is sent, so an
outage delays notices and loses none.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_BACKOFF = timedelta(seconds=30)
LONGEST_BACKOFF = timedelta(hours=1)
# How long a sender may hold a message it claimed before another sender may try it.
CLAIM_TIMEOUT = timedelta(minutes=2)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min ... at most an hour."""
    doublings: int = min(max(0, attempts - 1), 16)
    wait: timedelta = FIRST_BACKOFF * 2**doublings
    return min(wait, LONGEST_BACKOFF)


def next_attempt_after_failure(attempts: int, now: datetime) -> datetime:
    return now + backoff(attempts)
