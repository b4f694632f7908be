"""A delivery: one event for one subscription, sent until the endpoint answers 2xx or attempts run out.

Its id is derived from the event and the subscription, so an event redelivered by the bus makes no second
delivery; it is also the `webhook-id` of every attempt and replay, by which a receiver drops duplicates.
A failed attempt (no answer within the timeout, or an answer other than 2xx) waits with exponential backoff;
after `MAX_ATTEMPTS` the delivery is `failed` until someone replays it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

MAX_ATTEMPTS = 8
FIRST_BACKOFF = timedelta(seconds=30)
BACKOFF_FACTOR = 3
LONGEST_BACKOFF = timedelta(hours=6)
CLAIM_TIMEOUT = timedelta(minutes=2)  # how long a worker holds a delivery it claimed
EXCERPT_CHARS = 500


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


def delivery_id(event_id: UUID, subscription_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"webhook-delivery:{subscription_id}:{event_id}")


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 90 s, 4.5 min ... at most 6 hours."""
    wait: timedelta = FIRST_BACKOFF * BACKOFF_FACTOR ** max(0, attempts - 1)
    return min(wait, LONGEST_BACKOFF)


def after_failure(attempts: int, now: datetime) -> tuple[DeliveryStatus, datetime | None]:
    """The status and next attempt time of a delivery that has now failed `attempts` times."""
    if attempts >= MAX_ATTEMPTS:
        return DeliveryStatus.FAILED, None
    return DeliveryStatus.PENDING, now + backoff(attempts)


def succeeded(status_code: int) -> bool:
    return 200 <= status_code < 300


def excerpt(text: str) -> str:
    return text[:EXCERPT_CHARS]
