"""Event pipeline benchmark on PostgreSQL and the real broker: the ledger load, the relay, one consumer.

Run `.venv/bin/python -m bench.events [--minutes 5 | --duration 300]` after `source .local/postgres.env; source
.local/kafka.env`. It makes a scratch database (as bench.ledger does), runs the ledger's transfer load
in threads for the chosen time (default 60 s), with `registry relay`'s OutboxRelay and a consumer on the
real broker beside it, and prints:

- events published per second by the relay, next to a raw kafka-python producer (acks=all, idempotent)
  sending records of the same size to the same broker: the ratio is the price of the outbox;
- commit-to-effect latency, p50 and p99: from the event's time (taken inside the committing transaction)
  to the consumer's transaction that applies it;
- the relay backlog and the consumer lag sampled every 10 s (`--sample-every`), with their least-squares
  slope and the first third of the run against the last, to see whether they grow.

Nothing here is a test and nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaProducer
from uuid6 import uuid7

from bench.ledger import scratch_database, set_up
from gateway import bus
from gateway.platform import Platform
from gateway.settings import KafkaSettings, Settings
from services.events.adapters.inbox import SqlAlchemyInbox
from services.events.adapters.kafka_bus import KafkaPublisher, KafkaSubscription, create_topics
from services.events.adapters.outbox import OutboxWriter, SqlAlchemyLease, SqlAlchemyOutboxStore
from services.events.adapters.topics import TopicSpec, event_topic
from services.events.domain.envelope import CloudEvent
from services.events.service_layer.consumer import Consumer, ConsumerRuntime
from services.events.service_layer.relay import OutboxRelay

WORKERS = 4
FILLER = "ledger.project.recorded.v1"


@dataclass
class Latencies:
    seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handler(self, event: CloudEvent, _session: Any) -> None:
        with self.lock:
            self.seconds.append((datetime.now(UTC) - event.time).total_seconds())


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def raw_producer_rate(options: dict[str, Any], topic: str, size: int, count: int) -> float:
    producer = KafkaProducer(acks="all", enable_idempotence=True, linger_ms=5, **options)
    value = b"x" * size
    started = time.perf_counter()
    for n in range(count):
        producer.send(topic, key=str(n % 16).encode(), value=value)
    producer.flush()
    elapsed = time.perf_counter() - started
    producer.close()
    return count / elapsed


def backlog_drain_rate(platform: Platform, relay: OutboxRelay, count: int) -> float:
    """The relay's own ceiling: events per second it publishes from a full outbox (load stopped)."""
    writer = OutboxWriter(platform.settings.kafka.topic_prefix)
    tenant = platform.catalogue.list()[0].id
    for first in range(0, count, 500):
        with platform.database.transaction(tenant) as session:
            for n in range(first, min(count, first + 500)):
                writer.add(
                    session,
                    tenant_id=tenant,
                    registry="bench",
                    event_type=FILLER,
                    data={"n": n, "pad": "x" * 900},
                    subject="",
                )
    started = time.perf_counter()
    while relay.publish_pending():
        pass
    return count / (time.perf_counter() - started)


def run(settings: Settings, seconds: float, sample_every: float = 10.0) -> None:
    platform = Platform.from_settings(settings)
    options = bus.kafka_options(settings.kafka)
    prefix = settings.kafka.topic_prefix
    create_topics(
        options,
        [*bus.all_topic_specs(settings, ["bench"]), TopicSpec(f"{prefix}.raw", 6, 3_600_000, "raw producer baseline")],
    )
    ledger = set_up(platform)
    pairs = [(ledger.funded(1_000_000, f"Source {w}"), ledger.account(f"Sink {w}")) for w in range(WORKERS)]
    latencies = Latencies()
    relay = OutboxRelay(
        SqlAlchemyOutboxStore(platform.database),
        KafkaPublisher(options),
        SqlAlchemyLease(platform.database, "outbox-relay"),
        "bench",
    )
    consumer = Consumer("bench", [event_topic(prefix, "ledger")], latencies.handler, lambda _t: True)
    runtime = ConsumerRuntime(
        consumer,
        KafkaSubscription(options, f"{prefix}-bench", consumer.topics),
        SqlAlchemyInbox(platform.database),
        KafkaPublisher(options),
        f"{prefix}.dlq.bench",
    )
    stop = threading.Event()
    committed = [0] * WORKERS

    def load(worker: int) -> None:
        source, sink = pairs[worker]
        while not stop.is_set():
            ledger.transfer(1, source, sink)
            committed[worker] += 1

    threads = [threading.Thread(target=load, args=(w,), daemon=True) for w in range(WORKERS)]
    threads += [
        threading.Thread(target=relay.run, args=(stop.is_set,), kwargs={"idle_sleep": 0.02}, daemon=True),
        threading.Thread(target=runtime.run, args=(stop.is_set,), daemon=True),
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    store, inbox = SqlAlchemyOutboxStore(platform.database), SqlAlchemyInbox(platform.database)
    samples = []
    while time.perf_counter() - started < seconds:
        time.sleep(min(sample_every, seconds / 6))
        samples.append(
            (round(time.perf_counter() - started), store.pending_count(), sum(inbox.lag_by_tenant("bench").values()))
        )
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    elapsed = time.perf_counter() - started
    published = relay.stats.published
    published_rate = published / elapsed
    drain_rate = backlog_drain_rate(platform, relay, 5_000)
    size = 1200  # about one ledger CloudEvent
    raw_rate = raw_producer_rate(options, f"{prefix}.raw", size, max(20_000, published))
    transfers = sum(committed)
    print(f"ledger load: {transfers} transfers in {elapsed:.0f} s by {WORKERS} threads ({transfers / elapsed:.0f}/s)")
    print(f"relay published under load: {published} events, {published_rate:.0f}/s (all the load made)")
    print(f"relay draining a backlog of 5000: {drain_rate:.0f}/s")
    print(f"raw kafka-python producer: {raw_rate:.0f}/s  ratio relay/raw = {drain_rate / raw_rate:.2f}")
    p50, p99 = percentile(latencies.seconds, 0.5), percentile(latencies.seconds, 0.99)
    print(
        f"commit-to-effect over {len(latencies.seconds)} events: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"mean {statistics.fmean(latencies.seconds or [float('nan')]) * 1000:.0f} ms"
    )
    print("backlog and lag over time (s, outbox pending, consumer lag):")
    for sample in samples:
        print(f"  {sample[0]:>5} {sample[1]:>8} {sample[2]:>8}")
    print(lag_trend(samples))
    platform.close()


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of y over x (events per second when y is a lag and x is seconds)."""
    if len(points) < 2:
        return float("nan")
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else float("nan")


def lag_trend(samples: Sequence[tuple[int, int, int]]) -> str:
    """Whether the backlog and lag grow: their slopes, and the first third of the run against the last."""
    if len(samples) < 3:
        return "lag trend: too few samples (run longer)"
    third = max(1, len(samples) // 3)
    lines = []
    for label, column in (("outbox pending", 1), ("consumer lag", 2)):
        first = statistics.fmean(sample[column] for sample in samples[:third])
        last = statistics.fmean(sample[column] for sample in samples[-third:])
        rate = slope([(sample[0], sample[column]) for sample in samples])
        lines.append(f"{label}: slope {rate:+.2f} events/s; mean of first third {first:.0f}, of last third {last:.0f}")
    return "lag trend: " + "\n           ".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="1 (default) or 5 for the long run")
    parser.add_argument("--duration", type=float, help="run time in seconds (overrides --minutes), e.g. 300")
    parser.add_argument("--sample-every", type=float, default=10.0, help="seconds between lag samples (10)")
    args = parser.parse_args(argv)
    app_url, owner_url = os.environ["DATABASE_URL"], os.environ["DATABASE_OWNER_URL"]
    role = os.environ.get("DATABASE_APP_ROLE", "registry_app")
    kafka = KafkaSettings(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], topic_prefix=f"b{uuid7().hex[-10:]}")
    with scratch_database(app_url, owner_url, role) as (app, owner):
        settings = Settings(database_url=app, database_owner_url=owner, database_app_role=role, kafka=kafka)
        run(settings.checked(), args.duration or args.minutes * 60, args.sample_every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
