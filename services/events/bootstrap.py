"""Builds the bus's adapters: the outbox and inbox in the platform's database, the lease of the one active
relay, and the publisher and subscriptions of Apache Kafka or, without a broker, of the embedded log.

`kafka` below is the Kafka client's connection options, or None for the embedded log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.events.adapters import orm  # noqa: F401 - registers the event tables
from services.events.adapters.inbox import SqlAlchemyInbox
from services.events.adapters.kafka_bus import KafkaPublisher, KafkaSubscription, create_topics
from services.events.adapters.log_bus import SqlLogPublisher, SqlLogSubscription
from services.events.adapters.outbox import OutboxWriter, SqlAlchemyLease, SqlAlchemyOutboxStore
from services.events.adapters.topics import dead_letter_topic, event_topic, topic_specs
from services.events.service_layer.ports import Publisher, Subscription
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database

__all__ = [
    "create_topics",
    "dead_letter_topic",
    "event_topic",
    "inbox",
    "lease",
    "outbox_store",
    "outbox_writer",
    "publisher",
    "subscription",
    "topic_specs",
]


def outbox_writer(topic_prefix: str, clock: Clock = SYSTEM_CLOCK) -> OutboxWriter:
    """Writes a context's events to the outbox, in the transaction of the change they record."""
    return OutboxWriter(topic_prefix, clock=clock)


def outbox_store(database: Database, clock: Clock = SYSTEM_CLOCK) -> SqlAlchemyOutboxStore:
    return SqlAlchemyOutboxStore(database, clock)


def inbox(database: Database, clock: Clock = SYSTEM_CLOCK) -> SqlAlchemyInbox:
    return SqlAlchemyInbox(database, clock)


def lease(database: Database, name: str, clock: Clock = SYSTEM_CLOCK) -> SqlAlchemyLease:
    return SqlAlchemyLease(database, name, clock=clock)


def publisher(kafka: dict[str, Any] | None, database: Database, clock: Clock = SYSTEM_CLOCK) -> Publisher:
    if kafka is not None:
        return KafkaPublisher(kafka)
    return SqlLogPublisher(database, clock)


def subscription(kafka: dict[str, Any] | None, database: Database, group: str, topics: Sequence[str]) -> Subscription:
    if kafka is not None:
        return KafkaSubscription(kafka, group, topics)
    return SqlLogSubscription(database, group, topics)
