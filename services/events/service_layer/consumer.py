"""The consumer runtime: apply each event exactly once, commit the offset after the database commit.

Delivery is at least once; the effect is exactly once because the processed mark and the effect share
one transaction. A failing event is retried with backoff, then sent to the consumer's dead-letter topic
with its error, and the consumer moves on. An event whose major version the consumer does not know goes
straight to the dead-letter topic instead of being guessed at.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace

from services.events.domain.envelope import CloudEvent, MalformedEnvelope, parse
from services.events.service_layer.ports import InboundMessage, Inbox, OutboundMessage, Publisher, Subscription

log = logging.getLogger(__name__)
tracer = trace.get_tracer("services.events.consumer")

Handler = Callable[[CloudEvent, Any], None]


@dataclass
class ConsumerStats:
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
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


@dataclass(frozen=True)
class Periodic:
    """Work a consumer does on a timer as well as on events (for example retrying what an outage left)."""

    interval_s: float
    run: Callable[[], object]


class ConsumerRuntime:
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
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.consumer = consumer
        self.subscription = subscription
        self.inbox = inbox
        self.dead_letters = dead_letters
        self.dead_letter_topic = dead_letter_topic
        self.max_attempts = max_attempts
        self.base_backoff_s = base_backoff_s
        self.sleep = sleep
        self.stats = ConsumerStats()

    def run_once(self, timeout_s: float = 0.5, max_records: int = 200) -> int:
        messages = self.subscription.poll(timeout_s, max_records)
        for message in messages:
            self.handle(message)
        # One offset commit per partition and batch, after every effect of the batch is committed: a crash
        # before it redelivers the batch, and the processed marks make the redelivery harmless.
        last = {(message.topic, message.partition): message for message in messages}
        for message in last.values():
            self.subscription.commit(message)
        return len(messages)

    def run(self, should_stop: Callable[[], bool], heartbeat: Callable[[], None] | None = None) -> None:
        last_duty = time.monotonic()
        while not should_stop():
            self.run_once()
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
        try:
            event = parse(message.value)
        except MalformedEnvelope as error:
            self._dead_letter(message, f"malformed: {error}")
            return
        if not self.consumer.supports(event.type):
            self._dead_letter(message, f"unknown event type or major version: {event.type}")
            return
        parent = propagate.extract({"traceparent": event.traceparent} if event.traceparent else {})
        token = otel_context.attach(parent)
        try:
            with tracer.start_as_current_span(
                f"{self.consumer.name} process {event.type}",
                kind=trace.SpanKind.CONSUMER,
                attributes={"registry.tenant_id": str(event.tenant_id), "messaging.message.id": str(event.id)},
            ):
                self._apply_with_retries(message, event)
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
