"""Apache Kafka through kafka-python 3: the idempotent producer and manually committed consumers."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import CommitFailedError, KafkaError, RebalanceInProgressError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from services.events.adapters.topics import TopicSpec
from services.events.service_layer.ports import InboundMessage, OutboundMessage, PublishFailed

log = logging.getLogger(__name__)


def connection_options(bootstrap_servers: str, security: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"bootstrap_servers": bootstrap_servers.split(","), **(security or {})}


class KafkaPublisher:
    def __init__(self, options: dict[str, Any], timeout_s: float = 30.0) -> None:
        # acks=all with idempotence: no duplicates from producer retries, order kept per partition.
        self.producer = KafkaProducer(
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            request_timeout_ms=10_000,
            delivery_timeout_ms=int(timeout_s * 1000),
            **options,
        )
        self.timeout_s = timeout_s

    def publish(self, messages: Sequence[OutboundMessage]) -> None:
        try:
            futures = [self.producer.send(m.topic, key=m.key, value=m.value, headers=list(m.headers)) for m in messages]
            self.producer.flush(timeout=self.timeout_s)
            for future in futures:
                future.get(timeout=self.timeout_s)
        except KafkaError as error:
            raise PublishFailed(f"Kafka did not acknowledge the batch: {error}") from error

    def close(self) -> None:
        self.producer.close(timeout=5)


class KafkaSubscription:
    """A consumer group member whose fetches wait for a batch: the broker answers a fetch once `fetch_min_bytes`
    are there or `fetch_max_wait_ms` has passed. Under a steady load a poll then hands over the events of up to
    a tenth of a second, applied in one transaction per registry with one offset commit, instead of one or
    two events a poll with the fixed cost of each (issue 17); an event waits that long at most."""

    def __init__(
        self,
        options: dict[str, Any],
        group: str,
        topics: Sequence[str],
        *,
        fetch_min_bytes: int = 64 * 1024,
        fetch_max_wait_ms: int = 100,
        join_wait_s: float = 20.0,
    ) -> None:
        self.consumer = KafkaConsumer(
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_interval_ms=300_000,
            fetch_min_bytes=fetch_min_bytes,
            fetch_max_wait_ms=fetch_max_wait_ms,
            **options,
        )
        # Join the group only once the topics' partitions are known: a member that joins first is
        # assigned nothing ("no partition metadata") and would sit idle until the next rebalance.
        for topic in topics:
            self._await_partitions(topic)
        self.consumer.subscribe(list(topics))
        self.topics = list(topics)
        self.join_wait_s = join_wait_s

    def _await_partitions(self, topic: str, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.consumer.partitions_for_topic(topic):
            if time.monotonic() > deadline:
                self.consumer.close()
                raise RuntimeError(
                    f"topic {topic} has no partitions after {timeout_s:.0f} s: run 'registry kafka init'"
                )
            time.sleep(0.2)

    def poll(self, timeout_s: float, max_records: int) -> list[InboundMessage]:
        self._complete_group_join()
        batches = self.consumer.poll(timeout_ms=int(timeout_s * 1000), max_records=max_records)
        records = [
            r for partition in sorted(batches, key=lambda tp: (tp.topic, tp.partition)) for r in batches[partition]
        ]
        return [_inbound(r) for r in records]

    def _complete_group_join(self) -> None:
        """Wait for a group join to finish before fetching. kafka-python 3.0.12 drops a join that completes
        while no poll is waiting for it: a poll shorter than the join (the broker holds a join until every
        member has rejoined) leaves the member "rebalancing" with its old partitions, every commit refused, or
        sends the join again and rebalances the group anew. A member that is rejoining therefore waits for it
        here (the broker bounds a join by the rebalance timeout; so does `join_wait_s`), and one whose join was
        dropped is asked to join again."""
        coordinator = self.consumer._coordinator
        if coordinator.rebalance_in_progress() and not coordinator.need_rejoin():
            log.info("group join finished without a poll to take it; joining again")
            coordinator.request_rejoin()
        if coordinator.need_rejoin():
            coordinator.ensure_active_group(timeout_ms=int(self.join_wait_s * 1000))

    def commit(self, messages: Sequence[InboundMessage]) -> None:
        """Record the messages consumed. A commit the group refuses because it is rebalancing (a member joined
        or left) is given up: the next poll completes the join, the group's offsets stay where the last accepted
        commit left them, so a member that starts from them gets those messages again, and the processed marks
        committed with their effects make the redelivery harmless."""
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        for message in messages:
            partition = TopicPartition(message.topic, message.partition)
            if partition not in offsets or offsets[partition].offset <= message.offset:
                offsets[partition] = OffsetAndMetadata(message.offset + 1, "", -1)
        if not offsets:
            return
        try:
            self.consumer.commit(offsets)
        except (RebalanceInProgressError, CommitFailedError) as error:
            log.warning("offset commit given up in a rebalance; %d messages may come again: %s", len(messages), error)

    def seek_to_beginning(self) -> None:
        # Assignment arrives with the first poll after subscribing; wait for it, then rewind.
        for _ in range(50):
            self._complete_group_join()
            if self.consumer.assignment():
                break
            self.consumer.poll(timeout_ms=200, max_records=1)
        self.consumer.seek_to_beginning(*self.consumer.assignment())

    def lag(self) -> int:
        assignment = self.consumer.assignment()
        if not assignment:
            return 0
        ends = self.consumer.end_offsets(list(assignment))
        return sum(max(0, ends[tp] - self.consumer.position(tp)) for tp in assignment)

    def close(self) -> None:
        self.consumer.close()


def create_topics(options: dict[str, Any], specs: Sequence[TopicSpec]) -> list[str]:
    """Create missing topics; return the names created. Existing topics are left as they are."""
    admin = KafkaAdminClient(**options)
    created = []
    try:
        existing = set(admin.list_topics())
        for spec in specs:
            if spec.name in existing:
                continue
            topic = NewTopic(
                spec.name,
                spec.partitions,
                1 if _single_broker(admin) else 3,
                topic_configs={"retention.ms": str(spec.retention_ms)},
            )
            try:
                admin.create_topics([topic])
                created.append(spec.name)
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()
    return created


def _single_broker(admin: KafkaAdminClient) -> bool:
    return len(admin.describe_cluster().get("brokers", [])) < 3


def _inbound(record: Any) -> InboundMessage:
    return InboundMessage(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        headers=tuple((k, v) for k, v in (record.headers or [])),
    )
