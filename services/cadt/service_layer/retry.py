"""When the retry timer gives a tenant another publishing pass: records left pending, and their time has come."""

from __future__ import annotations

from datetime import datetime

from services.cadt.domain.model import Connection, ConnectionState


def due(connection: Connection | None, retryable: int, now: datetime) -> bool:
    if connection is None or not connection.enabled or not retryable:
        return False
    if connection.state is ConnectionState.UNAUTHORIZED:
        return False  # a wrong API key waits for new settings, not for a timer
    if connection.next_attempt_at is not None and now < connection.next_attempt_at:
        return False
    return connection.retry_at is None or now >= connection.retry_at
