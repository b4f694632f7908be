"""What the relay and the consumer runtime need from the outside world."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from services.events.domain.envelope import CloudEvent


@dataclass(frozen=True)
class OutboundMessage:
    topic: str
    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class InboundMessage:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode()
        return None


class PublishFailed(RuntimeError):
    """The broker did not acknowledge every message; none may be marked sent."""


class Publisher(Protocol):
    def publish(self, messages: Sequence[OutboundMessage]) -> None:
        """Return only when the broker acknowledged every message, or raise PublishFailed."""

    def close(self) -> None: ...


class Subscription(Protocol):
    def poll(self, timeout_s: float, max_records: int) -> list[InboundMessage]: ...

    def commit(self, messages: Sequence[InboundMessage]) -> None:
        """Record that each of `messages` and everything before it on its partition is done, in one request. A
        commit can be lost to a group rebalance: the group's offsets then stay behind the messages, and a member
        that starts from those offsets gets them again."""

    def seek_to_beginning(self) -> None: ...

    def lag(self) -> int: ...

    def close(self) -> None: ...


class OutboxBatch(Protocol):
    messages: Sequence[OutboundMessage]

    def mark_published(self) -> None: ...


class OutboxStore(Protocol):
    def claim(self, limit: int) -> AbstractContextManager[OutboxBatch]:
        """Lock up to `limit` pending rows in commit order; the batch commits when the block exits cleanly."""

    def purge_published(self, older_than: datetime) -> int: ...

    def pending_count(self) -> int: ...


class LeaderLease(Protocol):
    def acquire_or_renew(self, holder: str) -> bool: ...

    def release(self, holder: str) -> None: ...


class Inbox(Protocol):
    def unprocessed(self, consumer: str, event: CloudEvent) -> AbstractContextManager[Any | None]:
        """Open the tenant's transaction; yield its session if `event` is new to `consumer`, else None.

        The processed mark is written in the same transaction as the consumer's effect.
        """

    def forget(self, consumer: str) -> None:
        """Drop every processed mark of `consumer` (before a replay)."""

    def lag_by_tenant(self, consumer: str) -> dict[UUID, int]: ...


def headers_dict(headers: Sequence[tuple[str, bytes]]) -> Iterator[tuple[str, str]]:
    for key, value in headers:
        yield key, value.decode()
