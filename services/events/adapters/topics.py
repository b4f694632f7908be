"""Topic layout. Every name is prefixed with KAFKA_TOPIC_PREFIX (default `registry`)."""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 86_400_000


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    retention_ms: int
    purpose: str


def event_topic(prefix: str, context: str) -> str:
    return f"{prefix}.{context}.events"


def dead_letter_topic(prefix: str, consumer: str) -> str:
    return f"{prefix}.dlq.{consumer}"


def context_of(event_type: str) -> str:
    return event_type.split(".", 1)[0]


def topic_specs(prefix: str, consumers: list[str]) -> list[TopicSpec]:
    # Domain event topics keep every record: they are the log a consumer replays to rebuild its read
    # model. Keys are tenant ids, so one registry's events stay in order on one partition.
    specs = [
        TopicSpec(event_topic(prefix, "ledger"), 6, -1, "ledger events of every tenant, keyed by tenant id"),
        TopicSpec(event_topic(prefix, "identity"), 3, -1, "identity and access events, keyed by tenant id"),
        TopicSpec(
            event_topic(prefix, "interregistry"),
            6,
            -1,
            "messages between hosted registries (international transfers), keyed by receiving tenant",
        ),
    ]
    specs += [
        TopicSpec(dead_letter_topic(prefix, name), 1, 30 * DAY_MS, f"events the {name} consumer gave up on")
        for name in consumers
    ]
    return specs
