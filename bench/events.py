"""Event pipeline benchmark on PostgreSQL and the real broker: the ledger load, the relay, one consumer.

Run `.venv/bin/python -m bench.events [--minutes 5 | --duration 300]` after `source .local/postgres.env; source
.local/kafka.env`. It makes a scratch database (as bench.ledger does) and runs, for the chosen time (default
60 s), the processes a deployment runs, each a separate Python process (spawn) that builds its own Platform
from the same Settings:

- the ledger's transfer load, 4 threads split over 2 processes (`--load-processes`), as `registry serve`'s
  default 2 gunicorn workers would run them;
- the relay, built as `registry relay` builds it (`gateway.cli.events.build_relay`, its default idle sleep);
- one consumer on the real broker (`ConsumerRuntime` with its defaults), whose effect is recording latency.

Relay and consumer start first, and the tenant's set-up and then the load only once the consumer has its
partitions, as in a deployment where they run all the time (every event of the run, the set-up's too, is
measured); when the load stops they get up to 30 s to finish what it wrote, so the last events count too. It prints:

- events published per second by the relay, next to a raw kafka-python producer (acks=all, idempotent)
  sending records of the same size to the same broker: the ratio is the price of the outbox;
- commit-to-effect latency, p50 and p99: from the event's time (taken inside the committing transaction of
  the load process) to the commit of the consumer's transaction that applies it (same machine, same clock);
- the relay backlog and the consumer lag sampled every 10 s (`--sample-every`), with their least-squares
  slope and the first third of the run against the last, to see whether they grow.

Nothing here is a test and nothing asserts a time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.context import SpawnProcess
from queue import Empty
from typing import Any
from uuid import UUID

from kafka import KafkaProducer
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import Session
from uuid6 import uuid7

from bench.ledger import ServiceLedger, scratch_database, set_up
from gateway.bootstrap import Platform, bus
from gateway.cli.events import build_relay
from gateway.settings import KafkaSettings, Settings
from services.events.adapters.inbox import SqlAlchemyInbox
from services.events.adapters.kafka_bus import KafkaPublisher, KafkaSubscription, create_topics
from services.events.adapters.outbox import OutboxWriter, SqlAlchemyOutboxStore
from services.events.adapters.topics import TopicSpec, event_topic
from services.events.domain.envelope import CloudEvent
from services.events.service_layer.consumer import Consumer, ConsumerRuntime
from services.events.service_layer.relay import OutboxRelay

WORKERS = 4
LOAD_PROCESSES = 2
FILLER = "ledger.project.recorded.v1"
CONSUMER = "bench"
SETTLE_S = 30.0  # after the load stops, how long the relay and the consumer get to finish its events

Pair = tuple[UUID, UUID]


@dataclass
class Latencies:
    """Commit-to-effect times: each event's own time to the commit of the transaction that applied it."""

    seconds: list[float] = field(default_factory=list)
    committed_at: list[float] = field(default_factory=list)  # each event's time, as a POSIX timestamp

    def handler(self, event: CloudEvent, session: Session) -> None:
        pending: list[datetime] = session.info.setdefault("bench.event_times", [])
        if not pending:
            sqlalchemy_event.listen(session, "after_commit", self._committed, once=True)
        pending.append(event.time)

    def _committed(self, session: Session) -> None:
        now = datetime.now(UTC)
        for event_time in session.info.pop("bench.event_times", []):
            self.seconds.append((now - event_time).total_seconds())
            self.committed_at.append(event_time.timestamp())


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


# The processes. Each builds its own Platform from Settings and puts one result on the queue when it ends.


def load_process(settings: Settings, tenant: str, pairs: Sequence[Pair], stop: Any, results: Any) -> None:
    """Transfers 1 unit at a time from each pair's source to its sink, one thread per pair, until `stop`."""
    platform = Platform.from_settings(settings)
    ledger = ServiceLedger(platform, platform.ledger_tenant(platform.catalogue.get(tenant)))
    committed = [0] * len(pairs)

    def transfer(worker: int) -> None:
        source, sink = pairs[worker]
        while not stop.is_set():
            ledger.transfer(1, source, sink)
            committed[worker] += 1

    threads = [threading.Thread(target=transfer, args=(n,)) for n in range(len(pairs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    platform.close()
    results.put(("load", sum(committed)))


def relay_process(settings: Settings, stop: Any, results: Any) -> None:
    platform = Platform.from_settings(settings)
    relay = build_relay(platform, "bench-relay")
    relay.run(stop.is_set)
    platform.close()
    results.put(("relay", relay.stats.published))


def consumer_process(settings: Settings, ready: Any, stop: Any, results: Any) -> None:
    platform = Platform.from_settings(settings)
    options, prefix = bus.kafka_options(settings.kafka), settings.kafka.topic_prefix
    latencies = Latencies()
    consumer = Consumer(CONSUMER, [event_topic(prefix, "ledger")], latencies.handler, lambda _t: True)
    subscription = KafkaSubscription(options, f"{prefix}-{CONSUMER}", consumer.topics)
    runtime = ConsumerRuntime(
        consumer, subscription, SqlAlchemyInbox(platform.database), KafkaPublisher(options), f"{prefix}.dlq.bench"
    )
    while not subscription.consumer.assignment():  # joined the group: from here on nothing waits for a join
        runtime.run_once()
    ready.set()
    runtime.run(stop.is_set)
    subscription.close()
    platform.close()
    results.put(("consumer", (latencies.seconds, latencies.committed_at)))


# Baselines, measured after the load with nothing else running.


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
    """The relay's own ceiling: events per second it publishes from a full outbox (load stopped).

    The relay is new in this process, so one event goes through it first: its connections and the topic's
    metadata are then as warm as those of a relay that has been running, which is what is measured."""
    writer = OutboxWriter(platform.settings.kafka.topic_prefix)
    tenant = platform.catalogue.list()[0].id
    fill(platform, writer, tenant, 1)
    while relay.publish_pending():
        pass
    fill(platform, writer, tenant, count)
    started = time.perf_counter()
    while relay.publish_pending():
        pass
    return count / (time.perf_counter() - started)


def fill(platform: Platform, writer: OutboxWriter, tenant: UUID, count: int) -> None:
    """`count` pending outbox rows of about the size of a ledger event, 500 to a transaction."""
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


def run(
    settings: Settings,
    seconds: float,
    sample_every: float = 10.0,
    load_processes: int = LOAD_PROCESSES,
    backlog: int = 5_000,
    raw_records: int = 20_000,
) -> None:
    platform = Platform.from_settings(settings)
    options = bus.kafka_options(settings.kafka)
    prefix = settings.kafka.topic_prefix
    create_topics(
        options,
        [*bus.all_topic_specs(settings, [CONSUMER]), TopicSpec(f"{prefix}.raw", 6, 3_600_000, "raw producer baseline")],
    )
    spawn = multiprocessing.get_context("spawn")
    ready, stop_load, stop_pipeline, results = spawn.Event(), spawn.Event(), spawn.Event(), spawn.Queue()
    pipeline = [
        spawn.Process(target=relay_process, args=(settings, stop_pipeline, results), name="relay"),
        spawn.Process(target=consumer_process, args=(settings, ready, stop_pipeline, results), name="consumer"),
    ]
    start_all(pipeline)
    if not ready.wait(120):
        raise RuntimeError("the consumer did not join its group within 120 s")
    ledger = set_up(platform)  # its events go through the running relay and consumer like any others
    pairs = [(ledger.funded(1_000_000, f"Source {w}"), ledger.account(f"Sink {w}")) for w in range(WORKERS)]
    load = [
        spawn.Process(
            target=load_process,
            args=(settings, ledger.tenant.code, pairs[n::load_processes], stop_load, results),
            name=f"load-{n}",
        )
        for n in range(load_processes)
    ]
    store, inbox = SqlAlchemyOutboxStore(platform.database), SqlAlchemyInbox(platform.database)
    started, started_at = time.perf_counter(), time.time()
    start_all(load)
    samples = []
    while time.perf_counter() - started < seconds:
        time.sleep(min(sample_every, seconds / 6))
        samples.append((round(time.perf_counter() - started), store.pending_count(), lag(inbox)))
    stop_load.set()
    join_all(load)
    elapsed = time.perf_counter() - started
    settle_until = time.monotonic() + SETTLE_S
    while (store.pending_count() or lag(inbox)) and time.monotonic() < settle_until:
        time.sleep(0.5)
    stop_pipeline.set()
    outcome = collect(results, len(load) + len(pipeline))
    join_all(pipeline)
    published, (latencies, committed_at) = outcome["relay"][0], outcome["consumer"][0]
    drain_rate = backlog_drain_rate(platform, build_relay(platform, "bench-drain"), backlog)
    size = 1200  # about one ledger CloudEvent
    raw_rate = raw_producer_rate(options, f"{prefix}.raw", size, max(raw_records, published))
    transfers = sum(outcome["load"])
    print(
        f"ledger load: {transfers} transfers in {elapsed:.0f} s by {WORKERS} threads in {load_processes} processes "
        f"({transfers / elapsed:.0f}/s)"
    )
    print(f"relay published under load: {published} events, {published / elapsed:.0f}/s (all the load made)")
    print(f"relay draining a backlog of {backlog}: {drain_rate:.0f}/s")
    print(f"raw kafka-python producer: {raw_rate:.0f}/s  ratio relay/raw = {drain_rate / raw_rate:.2f}")
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    print(
        f"commit-to-effect over {len(latencies)} events: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {max(latencies or [float('nan')]) * 1000:.0f} ms, "
        f"mean {statistics.fmean(latencies or [float('nan')]) * 1000:.0f} ms"
    )
    print(slowest(latencies, committed_at, started_at))
    print("backlog and lag over time (s, outbox pending, consumer lag):")
    for sample in samples:
        print(f"  {sample[0]:>5} {sample[1]:>8} {sample[2]:>8}")
    print(lag_trend(samples))
    platform.close()


def slowest(latencies: Sequence[float], committed_at: Sequence[float], started_at: float, count: int = 5) -> str:
    """How many events took over a second, and when in the run the slowest were committed."""
    over = sum(1 for seconds in latencies if seconds > 1.0)
    worst = sorted(zip(latencies, committed_at, strict=True), reverse=True)[:count]
    when = ", ".join(f"{seconds * 1000:.0f} ms at {at - started_at:.0f} s" for seconds, at in worst)
    return f"over 1 s: {over} events; slowest: {when or 'none'}"


def lag(inbox: SqlAlchemyInbox) -> int:
    return sum(inbox.lag_by_tenant(CONSUMER).values())


def start_all(processes: Sequence[SpawnProcess]) -> None:
    for process in processes:
        process.start()


def join_all(processes: Sequence[SpawnProcess], timeout_s: float = 60.0) -> None:
    for process in processes:
        process.join(timeout_s)
        if process.exitcode != 0:
            raise RuntimeError(f"bench process {process.name} ended with exit code {process.exitcode}")


def collect(results: Any, expected: int, timeout_s: float = 120.0) -> dict[str, list[Any]]:
    """Each process's result by kind; read before joining (a process with a large result waits for it)."""
    outcome: dict[str, list[Any]] = {"load": [], "relay": [], "consumer": []}
    for _ in range(expected):
        try:
            kind, value = results.get(timeout=timeout_s)
        except Empty:
            raise RuntimeError("a bench process ended without its result (see its traceback above)") from None
        outcome[kind].append(value)
    return outcome


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
    parser.add_argument(
        "--load-processes", type=int, default=LOAD_PROCESSES, help=f"processes sharing the {WORKERS} load threads (2)"
    )
    args = parser.parse_args(argv)
    app_url, owner_url = os.environ["DATABASE_URL"], os.environ["DATABASE_OWNER_URL"]
    role = os.environ.get("DATABASE_APP_ROLE", "registry_app")
    kafka = KafkaSettings(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], topic_prefix=f"b{uuid7().hex[-10:]}")
    with scratch_database(app_url, owner_url, role) as (app, owner):
        settings = Settings(database_url=app, database_owner_url=owner, database_app_role=role, kafka=kafka)
        run(settings.checked(), args.duration or args.minutes * 60, args.sample_every, args.load_processes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
