"""Messages to registries that are not hosted here: each one is pushed until the peer acknowledges it.

A message is `pending` until a signed acknowledgement that verifies with the peer's pinned key names
it (`delivered`). A failed attempt (the peer down, slow, refusing, or answering with an acknowledgement
that does not verify) waits with exponential backoff; after `MAX_ATTEMPTS` it is `dead` until an
operator retries it. The message id is the idempotency key: the peer answers a message it has seen
before with `duplicate`, so redelivery after a lost answer is harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from services.interregistry.domain.messages import MESSAGE_ACKNOWLEDGED

MAX_ATTEMPTS = 10
FIRST_BACKOFF = timedelta(seconds=30)
LONGEST_BACKOFF = timedelta(hours=6)
# How long a sender may hold a message it claimed before another sender may try it.
CLAIM_TIMEOUT = timedelta(minutes=2)
# How often a message whose peer has no endpoint configured is looked at again; not an attempt.
NO_ENDPOINT_RECHECK = timedelta(minutes=5)


class OutboundStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class BadAcknowledgement(ValueError):
    """The peer's answer is not a valid, signed acknowledgement of the message sent."""


def backoff(attempts: int, first: timedelta = FIRST_BACKOFF, longest: timedelta = LONGEST_BACKOFF) -> timedelta:
    """The wait after the `attempts`-th failed attempt: first, 2 x first, 4 x first ... capped at longest."""
    wait: timedelta = first * 2 ** max(0, attempts - 1)
    return min(wait, longest)


def after_failure(attempts: int, now: datetime, max_attempts: int = MAX_ATTEMPTS) -> tuple[OutboundStatus, datetime]:
    """The status and next attempt time of a message that has now failed `attempts` times."""
    if attempts >= max_attempts:
        return OutboundStatus.DEAD, now
    return OutboundStatus.PENDING, now + backoff(attempts)


def check_acknowledgement(ack: dict[str, Any], message_id: str, peer_registry_id: str, signer: str) -> str:
    """The status (`received` or `duplicate`) an acknowledgement gives the message `message_id`."""
    if signer != peer_registry_id:
        raise BadAcknowledgement(f"the acknowledgement is signed by {signer}, not by {peer_registry_id}")
    if ack.get("type") != MESSAGE_ACKNOWLEDGED:
        raise BadAcknowledgement(f"the answer is a {ack.get('type')!r}, not {MESSAGE_ACKNOWLEDGED}")
    data = ack.get("data")
    if not isinstance(data, dict) or str(data.get("message_id")) != message_id:
        raise BadAcknowledgement("the acknowledgement names another message")
    status = str(data.get("status"))
    if status not in {"received", "duplicate"}:
        raise BadAcknowledgement(f"the acknowledgement's status {status!r} is neither received nor duplicate")
    return status
