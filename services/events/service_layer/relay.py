"""The outbox relay: publishes pending outbox rows and marks them sent only after the broker acknowledged.

Latency and load on the database, the two settings that trade them:

- `idle_sleep` (default 0.05 s): after a poll that did not fill a batch, the relay waits this long before
  the next. An event committed while the relay sleeps waits half of it on average, all of it at worst. A
  poll of an empty outbox is one autocommit read of the pending index (no transaction, no locking read: the
  claim's `SELECT ... FOR UPDATE SKIP LOCKED` runs only when there is something to claim), so 20 polls a
  second cost the database little; below 0.05 s the relay approaches a busy loop. Waiting after a short
  batch too (not only after an empty one) is what makes batches: under a steady load the events of the
  last 50 ms go in one claim, one publish and one mark instead of one each (issue 17: the relay's CPU per
  transfer is mostly per batch). A full batch is followed at once by the next.
- `lease_renewal` (default 1 s): the leader renews its lease (a write and a WAL flush) at most this often
  instead of before every poll. It must stay well under the lease's time to live (10 s); the time since
  the last renewal is measured on the monotonic clock, so a relay that was paused for longer than that
  renews, and learns that it lost the lease, before it publishes again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from opentelemetry import propagate, trace

from services.events.service_layer.ports import (
    LeaderLease,
    OutboundMessage,
    OutboxStore,
    Publisher,
    PublishFailed,
    headers_dict,
)
from services.shared.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)
tracer = trace.get_tracer("services.events.relay")


def traced(messages: Sequence[OutboundMessage]) -> list[OutboundMessage]:
    """Give each message a producer span, child of the request that wrote it, and carry that span onward."""
    out = []
    for message in messages:
        parent = propagate.extract(dict(headers_dict(message.headers)))
        span = tracer.start_span(f"publish {message.topic}", context=parent, kind=trace.SpanKind.PRODUCER)
        carrier: dict[str, str] = {}
        propagate.inject(carrier, context=trace.set_span_in_context(span))
        span.end()
        headers = tuple((k, v) for k, v in message.headers if k not in carrier)
        out.append(replace(message, headers=headers + tuple((k, v.encode()) for k, v in carrier.items())))
    return out


@dataclass
class RelayStats:
    published: int = 0
    failures: int = 0
    purged: int = 0


class OutboxRelay:
    def __init__(
        self,
        store: OutboxStore,
        publisher: Publisher,
        lease: LeaderLease,
        holder: str,
        *,
        batch_size: int = 500,
        retention: timedelta | None = timedelta(days=7),
        housekeeping: Sequence[Callable[[], object]] = (),
        idle_sleep: float = 0.05,
        lease_renewal: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.store = store
        self.wall_clock = wall_clock
        self.publisher = publisher
        self.lease = lease
        self.holder = holder
        self.batch_size = batch_size
        self.retention = retention
        self.housekeeping = housekeeping  # other periodic purges, run with the outbox's
        self.idle_sleep = idle_sleep
        self.lease_renewal = lease_renewal
        self.sleep = sleep
        self.clock = clock
        self.stats = RelayStats()
        self._backoff = 0.0
        self._renewed_at: float | None = None  # when this relay last took or renewed the lease

    def publish_pending(self) -> int:
        """Publish one batch. Returns how many rows were marked sent (0 when idle or failing)."""
        with self.store.claim(self.batch_size) as batch:
            if not batch.messages:
                return 0
            try:
                self.publisher.publish(traced(batch.messages))
            except PublishFailed as error:
                self.stats.failures += 1
                log.warning("publish failed; %d rows stay pending: %s", len(batch.messages), error)
                raise
            batch.mark_published()
        self.stats.published += len(batch.messages)
        return len(batch.messages)

    def is_leader(self) -> bool:
        """Take or renew the lease, unless this relay renewed it less than `lease_renewal` seconds ago."""
        now = self.clock()
        if self._renewed_at is not None and now - self._renewed_at < self.lease_renewal:
            return True
        self._renewed_at = now if self.lease.acquire_or_renew(self.holder) else None
        return self._renewed_at is not None

    def run_once(self) -> int:
        if not self.is_leader():
            return 0
        try:
            published = self.publish_pending()
        except PublishFailed:
            self._backoff = min(30.0, max(0.5, self._backoff * 2))
            self.sleep(self._backoff)
            return 0
        self._backoff = 0.0
        return published

    def purge(self) -> int:
        for duty in self.housekeeping:
            try:
                duty()
            except Exception:
                log.exception("a periodic purge failed; it runs again with the next outbox purge")
        if self.retention is None:
            return 0
        purged = self.store.purge_published(self.wall_clock.now() - self.retention)
        self.stats.purged += purged
        return purged

    def run(
        self,
        should_stop: Callable[[], bool],
        idle_sleep: float | None = None,
        heartbeat: Callable[[], None] | None = None,
    ) -> None:
        idle_sleep = self.idle_sleep if idle_sleep is None else idle_sleep
        last_purge = 0.0
        try:
            while not should_stop():
                published = self.run_once()
                if heartbeat:
                    heartbeat()
                if time.monotonic() - last_purge > 3600:
                    self.purge()
                    last_purge = time.monotonic()
                if published < self.batch_size:
                    self.sleep(idle_sleep)
        finally:
            self._renewed_at = None
            self.lease.release(self.holder)
