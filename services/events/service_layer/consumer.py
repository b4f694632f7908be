"""The consumer runtime: apply each event exactly once, commit the offset after the database commit.

Delivery is at least once; the effect is exactly once because the processed mark and the effect share
one transaction. A failing event is retried with backoff, then sent to the consumer's dead-letter topic
with its error, and the consumer moves on. An event whose major version the consumer does not know goes
straight to the dead-letter topic instead of being guessed at.

The events of a poll are applied in their `sequence` order (docs/events.md). Consecutive events of one
tenant in a polled batch are applied in one transaction with their processed marks (when the inbox offers
`unprocessed_batch`): one commit per tenant and poll instead of one per event, which is what lets a
consumer keep up with a busy registry. If any of them fails, that transaction rolls
back whole and the same events are applied one at a time, each in its own transaction with its retries
and dead letter, exactly as a redelivery would have them (a handler must already bear a redelivery).

A consumer may also offer a `batch_handler`: it then gets the new events of such a transaction all at once
(in sequence order, one tenant), so that it can read what they touch once and write their effects in a few
set-based statements. Its span is one per batch, linked to the span of each event's request.

A consumer may say which events it `skips`: events it understands but on which it has no effect (a type
it does not handle, a registry it has nothing to do for), one by one or, with `skips_among`, for a poll's
events at once (one look for every registry in the poll). Those get no transaction and no handler call;
when the inbox offers `mark_skipped`, their processed marks are written for the whole poll in one
statement, so that the consumer's lag counts them as done (a skipped event needs no mark to stay exactly
once: it has no effect to repeat).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace

from services.events.domain.envelope import CloudEvent, MalformedEnvelope, parse
from services.events.service_layer.ports import InboundMessage, Inbox, OutboundMessage, Publisher, Subscription

log = logging.getLogger(__name__)
tracer = trace.get_tracer("services.events.consumer")

MAX_RECORDS = 200  # events a poll hands over at most

Handler = Callable[[CloudEvent, Any], None]
BatchHandler = Callable[[Sequence[CloudEvent], Any], None]


@dataclass
class ConsumerStats:
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    skipped: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Consumer:
    """What a consumer is: a name, the event types it understands, and its handler."""

    name: str
    topics: list[str]
    handler: Handler
    supports: Callable[[str], bool]
    reset: Callable[[], None] | None = None  # clears the read model before a replay
    periodic: Periodic | None = None  # a duty run between polls, in the consumer's own loop
    skips: Callable[[CloudEvent], bool] | None = None  # an understood event with no effect: no transaction
    # The same decided for a poll's events at once, in one look (registries with nothing to do): the ids to skip.
    skips_among: Callable[[Sequence[CloudEvent]], set[UUID]] | None = None
    batch_handler: BatchHandler | None = None  # one tenant's events of a poll at once, in one transaction
    # True when what an event does in one registry never depends on another registry's events (a projection per
    # registry): a poll's events are then applied per registry, each registry's in sequence order, instead of
    # in runs of consecutive events of one registry, so that interleaved registries still get one transaction each.
    tenants_independent: bool = False


@dataclass(frozen=True)
class Periodic:
    """Work a consumer does on a timer as well as on events (for example retrying what an outage left)."""

    interval_s: float
    run: Callable[[], object]


@runtime_checkable
class SkipMarkingInbox(Inbox, Protocol):
    def mark_skipped(self, consumer: str, events: Sequence[CloudEvent]) -> int:
        """Mark events processed that have no effect on `consumer`, without a tenant transaction; answer how
        many were marked already."""


@runtime_checkable
class BatchInbox(Inbox, Protocol):
    def unprocessed_batch(
        self, consumer: str, tenant_id: UUID, events: Sequence[CloudEvent]
    ) -> AbstractContextManager[tuple[Any, list[CloudEvent]]]:
        """Open the tenant's transaction; yield its session and the events new to `consumer`, marked processed."""


class ConsumerRuntime:
    """Runs a consumer: poll, apply, commit the offsets.

    `idle_sleep` (default 0.05 s) only matters for a subscription whose poll returns at once (the embedded
    database log): after a poll that did not fill a batch the runtime waits the rest of it before polling
    again, instead of spinning, and so that under a steady load one poll takes the events of the last 50 ms
    in one transaction and one offset commit. A Kafka poll waits on the broker itself, which holds a fetch
    until enough records are there or its own wait is up (`KafkaSubscription`).
    """

    def __init__(
        self,
        consumer: Consumer,
        subscription: Subscription,
        inbox: Inbox,
        dead_letters: Publisher,
        dead_letter_topic: str,
        *,
        max_attempts: int = 5,
        base_backoff_s: float = 0.2,
        batch_transactions: bool = True,
        idle_sleep: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.consumer = consumer
        self.subscription = subscription
        self.inbox = inbox
        self.dead_letters = dead_letters
        self.dead_letter_topic = dead_letter_topic
        self.max_attempts = max_attempts
        self.base_backoff_s = base_backoff_s
        self.batch_inbox = inbox if batch_transactions and isinstance(inbox, BatchInbox) else None
        self.skip_marks = inbox if isinstance(inbox, SkipMarkingInbox) else None
        self.idle_sleep = idle_sleep
        self.sleep = sleep
        self.stats = ConsumerStats()

    def run_once(self, timeout_s: float = 0.5, max_records: int = MAX_RECORDS) -> int:
        messages = self.subscription.poll(timeout_s, max_records)
        if self.batch_inbox is None:
            for message, event in self._in_order(messages):
                self._handle_event(message, event)
        else:
            self.handle_batch(messages)
        # One offset commit per batch, after every effect of the batch is committed: a crash before it
        # redelivers the batch, and the processed marks make the redelivery harmless.
        if messages:
            self.subscription.commit(messages)
        return len(messages)

    def run(self, should_stop: Callable[[], bool], heartbeat: Callable[[], None] | None = None) -> None:
        last_duty = time.monotonic()
        while not should_stop():
            polled_at = time.monotonic()
            full = self.run_once() >= MAX_RECORDS
            if not full and (rest := self.idle_sleep - (time.monotonic() - polled_at)) > 0:
                self.sleep(rest)
            if heartbeat:
                heartbeat()
            duty = self.consumer.periodic
            if duty is not None and time.monotonic() - last_duty >= duty.interval_s:
                last_duty = time.monotonic()
                self._run_duty(duty)

    def _run_duty(self, duty: Periodic) -> None:
        try:
            duty.run()
        except Exception:  # the duty retries on its next turn; the consumer must go on consuming
            log.exception("%s: periodic duty failed", self.consumer.name)

    def replay(self) -> None:
        """Rebuild the read model from the start of the topics."""
        if self.consumer.reset:
            self.consumer.reset()
        self.inbox.forget(self.consumer.name)
        self.subscription.seek_to_beginning()

    def drain(self, idle_polls: int = 2, timeout_s: float = 0.5) -> None:
        """Process until the subscription has been empty `idle_polls` times in a row."""
        idle = 0
        while idle < idle_polls:
            idle = idle + 1 if self.run_once(timeout_s) == 0 else 0

    def handle(self, message: InboundMessage) -> None:
        """Apply one message in its own transaction, with retries and dead letter."""
        event = self._accepted(message)
        if event is not None and self._wanted([(message, event)]):
            self._handle_event(message, event)

    def handle_batch(self, messages: Sequence[InboundMessage]) -> None:
        """Apply polled messages in sequence order, consecutive events of one tenant in one transaction (or all
        of a tenant's events of the poll, for a consumer whose tenants are independent)."""
        for run in self._runs(self._in_order(messages)):
            self._apply_run(run)

    def _runs(self, ordered: list[tuple[InboundMessage, CloudEvent]]) -> list[list[tuple[InboundMessage, CloudEvent]]]:
        if self.consumer.tenants_independent:
            per_tenant: dict[UUID, list[tuple[InboundMessage, CloudEvent]]] = {}
            for pair in ordered:
                per_tenant.setdefault(pair[1].tenant_id, []).append(pair)
            return list(per_tenant.values())
        runs: list[list[tuple[InboundMessage, CloudEvent]]] = []
        for pair in ordered:
            if runs and runs[-1][-1][1].tenant_id == pair[1].tenant_id:
                runs[-1].append(pair)
            else:
                runs.append([pair])
        return runs

    def _in_order(self, messages: Sequence[InboundMessage]) -> list[tuple[InboundMessage, CloudEvent]]:
        """The polled events this consumer understands, in `sequence` order (the order they were written in):
        a redelivery or a poll across partitions may hand them over in another. An event without a sequence
        (published before events carried one) comes first, in the order it was polled."""
        accepted = [(message, event) for message in messages if (event := self._accepted(message)) is not None]
        return sorted(self._wanted(accepted), key=lambda pair: pair[1].sequence or 0)

    def _wanted(self, accepted: list[tuple[InboundMessage, CloudEvent]]) -> list[tuple[InboundMessage, CloudEvent]]:
        """The events the consumer has an effect on; the others are marked done without a transaction."""
        skipped_ids = self._skipped([event for _, event in accepted])
        if not skipped_ids:
            return accepted
        skipped = [event for _, event in accepted if event.id in skipped_ids]
        if self.skip_marks is not None:
            self.stats.duplicates += self.skip_marks.mark_skipped(self.consumer.name, skipped)
        self.stats.skipped += len(skipped)
        return [(message, event) for message, event in accepted if event.id not in skipped_ids]

    def _skipped(self, events: list[CloudEvent]) -> set[UUID]:
        skips, skips_among = self.consumer.skips, self.consumer.skips_among
        skipped = {event.id for event in events if skips(event)} if skips is not None else set()
        rest = [event for event in events if event.id not in skipped]
        if skips_among is not None and rest:
            skipped |= skips_among(rest)
        return skipped

    def _accepted(self, message: InboundMessage) -> CloudEvent | None:
        """The message's event, or None when it went to the dead-letter topic (malformed or not understood)."""
        try:
            event = parse(message.value)
        except MalformedEnvelope as error:
            self._dead_letter(message, f"malformed: {error}")
            return None
        if not self.consumer.supports(event.type):
            self._dead_letter(message, f"unknown event type or major version: {event.type}")
            return None
        return event

    def _handle_event(self, message: InboundMessage, event: CloudEvent) -> None:
        with self._span(event):
            self._apply_with_retries(message, event)

    def _apply_run(self, run: Sequence[tuple[InboundMessage, CloudEvent]]) -> None:
        """One tenant's consecutive events in one transaction; on any failure, one at a time instead."""
        if self.batch_inbox is None or len(run) == 1:
            for message, event in run:
                self._handle_event(message, event)
            return
        events = [event for _, event in run]
        try:
            with self.batch_inbox.unprocessed_batch(self.consumer.name, events[0].tenant_id, events) as (session, new):
                self._handle_new(new, session)
        except Exception as error:  # noqa: BLE001 - the batch rolled back; each event gets its own retries
            log.warning("%s: batch of %d failed, applying one at a time: %s", self.consumer.name, len(run), error)
            for message, event in run:
                self._handle_event(message, event)
            return
        self.stats.applied += len(new)
        self.stats.duplicates += len(run) - len(new)

    def _handle_new(self, new: list[CloudEvent], session: Any) -> None:
        batch_handler = self.consumer.batch_handler
        if batch_handler is None:
            for event in new:
                with self._span(event):
                    self.consumer.handler(event, session)
        elif new:
            with self._batch_span(new):
                batch_handler(new, session)

    def _batch_span(self, events: Sequence[CloudEvent]) -> AbstractContextManager[trace.Span]:
        """One span for a batch, linked to each event's request (a batch has many parents)."""
        links = []
        for event in events:
            if event.traceparent:
                parent = trace.get_current_span(propagate.extract({"traceparent": event.traceparent}))
                links.append(trace.Link(parent.get_span_context()))
        return tracer.start_as_current_span(
            f"{self.consumer.name} process batch",
            kind=trace.SpanKind.CONSUMER,
            links=links,
            attributes={"registry.tenant_id": str(events[0].tenant_id), "messaging.batch.message_count": len(events)},
        )

    @contextmanager
    def _span(self, event: CloudEvent) -> Iterator[None]:
        """The consumer span of one event, child of the request that caused it."""
        parent = propagate.extract({"traceparent": event.traceparent} if event.traceparent else {})
        token = otel_context.attach(parent)
        try:
            with tracer.start_as_current_span(
                f"{self.consumer.name} process {event.type}",
                kind=trace.SpanKind.CONSUMER,
                attributes={"registry.tenant_id": str(event.tenant_id), "messaging.message.id": str(event.id)},
            ):
                yield
        finally:
            otel_context.detach(token)

    def _apply_with_retries(self, message: InboundMessage, event: CloudEvent) -> None:
        for attempt in range(1, self.max_attempts + 1):
            try:
                self._apply(event)
                return
            except Exception as error:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                if attempt == self.max_attempts:
                    self._dead_letter(message, f"{type(error).__name__}: {error}")
                    return
                self.stats.retries += 1
                log.warning("%s: attempt %d of %s failed: %s", self.consumer.name, attempt, event.id, error)
                self.sleep(self.base_backoff_s * 2 ** (attempt - 1))

    def _apply(self, event: CloudEvent) -> None:
        with self.inbox.unprocessed(self.consumer.name, event) as session:
            if session is None:
                self.stats.duplicates += 1
                return
            self.consumer.handler(event, session)
        self.stats.applied += 1

    def _dead_letter(self, message: InboundMessage, error: str) -> None:
        headers = (
            *message.headers,
            ("error", error[:1000].encode()),
            ("consumer", self.consumer.name.encode()),
            ("source-topic", message.topic.encode()),
            ("source-offset", str(message.offset).encode()),
        )
        self.dead_letters.publish([OutboundMessage(self.dead_letter_topic, message.key or b"", message.value, headers)])
        self.stats.dead_lettered += 1
        self.stats.errors.append(error)
        log.error("%s: dead-lettered offset %s of %s: %s", self.consumer.name, message.offset, message.topic, error)
