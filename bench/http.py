"""The whole production pipeline over HTTP: gateway, relay and consumers as deployed, next to pgbench.

Run `.venv/bin/python -m bench.http [--quick]` after `source .local/postgres.env; source .local/kafka.env`
(without KAFKA_BOOTSTRAP_SERVERS, or with `--bus database`, the bus is the database's own log). It makes a
scratch database (as bench.ledger does), sets up its registries through the service layer, and for each
gunicorn worker count starts `registry serve`, `registry relay` and `registry consume NAME` for every
consumer as separate processes, as a user deploys them. A load client in this process then drives domestic
transfers of 1 unit over HTTP (real tokens fetched before the timed part, a fresh idempotency key per
request) at each client count; after the load it waits until the outbox is empty and every consumer has
applied every event, and counts that time in. pgbench TPC-B on the same cluster, in the same run, is the
reference. CPU per transfer comes from /proc: each process's own, PostgreSQL's backends of the scratch
database, and the machine's. The scenarios (50 registries, hot account, noisy neighbour) run on the first
worker count. bench/README.md explains each figure. Nothing here is a test: pytest runs it tiny.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import create_engine, exists, func, select, text
from sqlalchemy.engine import Engine, make_url
from uuid6 import uuid7

from bench import pgbench, profile
from bench.history import seed_history
from bench.http_load import Outcome, percentile, run_groups
from bench.http_report import Report
from bench.http_setup import BenchRegistry, LaneSpec, World, build_world, new_registry, spread_over
from bench.ledger import SECRET, scratch_database
from bench.processes import Pipeline, free_port, postgres_pids, sample, used
from gateway.bootstrap import Platform
from gateway.bootstrap.consumers import CONSUMERS
from gateway.settings import Settings
from services.events.adapters.orm import outbox, processed_events
from services.events.adapters.outbox import SqlAlchemyOutboxStore

POSTGRES_BACKENDS = "PostgreSQL (this database's backends)"
PROFILED_CLIENTS = 8


@dataclass(frozen=True)
class Sizes:
    seconds: float = 30.0
    warm_up_seconds: float = 2.0
    clients: tuple[int, ...] = (1, 4, 8, 16)
    workers: tuple[int, ...] = (2, 4)
    registries: int = 50
    quiet_clients: int = 2
    pgbench_seconds: float = 15.0
    catch_up_limit: float = 300.0
    scenarios: bool = True
    only: frozenset[str] = frozenset()  # of SCENARIOS: these alone (and the ones their targets compare with)
    history: int = 1_000_000  # transfers seeded in the history registry (bench/history.py); 0: no history scenario


FULL = Sizes()
QUICK = Sizes(seconds=8.0, pgbench_seconds=5.0, warm_up_seconds=1.0, history=100_000)
TINY = Sizes(
    seconds=1.0, warm_up_seconds=0.3, clients=(1, 2), workers=(1,), registries=3, pgbench_seconds=1.0, history=300
)

Groups = Mapping[str, Sequence[Sequence[LaneSpec]]]


@dataclass
class Measurement:
    outcomes: dict[str, Outcome]
    load_s: float
    catch_up_s: float
    cpu_s: dict[str, float]  # by role; "machine" is every core's busy time
    load_average: float
    cpu_transfers: int = 0  # what the CPU is divided by, when not this view's own transfers (see `only`)

    @property
    def transfers(self) -> int:
        return sum(outcome.transfers for outcome in self.outcomes.values())

    @property
    def tps(self) -> float:
        return self.transfers / (self.load_s + self.catch_up_s)

    def latency(self, fraction: float, group: str | None = None) -> float:
        outcomes = [self.outcomes[group]] if group else list(self.outcomes.values())
        return percentile([s for outcome in outcomes for s in outcome.latencies], fraction)

    @property
    def failures(self) -> int:
        return sum(outcome.failures for outcome in self.outcomes.values())

    def only(self, group: str) -> Measurement:
        """The same run seen from one group of clients; CPU per transfer stays the whole run's."""
        return replace(self, outcomes={group: self.outcomes[group]}, cpu_transfers=self.transfers)

    def cpu_ms_per_transfer(self, role: str) -> float:
        return 1000 * self.cpu_s.get(role, 0.0) / max(1, self.cpu_transfers or self.transfers)


def kafka_broker_pids() -> list[int]:
    """The local broker's process (`KAFKA_PIDFILE`, written by infra/kafka/up.sh), if the bus is Kafka."""
    pidfile = os.environ.get("KAFKA_PIDFILE")
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or not pidfile or not Path(pidfile).is_file():
        return []
    pid = int(Path(pidfile).read_text().split()[0])
    return [pid] if Path(f"/proc/{pid}").exists() else []


@dataclass
class Bench:
    platform: Platform
    owner: Engine
    database: str
    pipeline: Pipeline
    sizes: Sizes
    profile_dir: Path | None = None
    seeded_events: range = range(0)  # the outbox ids of the seeded history's events

    def caught_up(self) -> bool:
        if SqlAlchemyOutboxStore(self.platform.database).pending_count():
            return False
        return all(not self.lag(name, CONSUMERS[name](self.platform).topics) for name in CONSUMERS)

    def lag(self, consumer: str, topics: Sequence[str]) -> int:
        """Published events `consumer` has not applied, as the inbox's lag counts them, but leaving out the
        seeded history's: marked processed when seeded, they would make every look scan millions of rows."""
        done = exists().where(processed_events.c.consumer == consumer, processed_events.c.event_id == outbox.c.event_id)
        query = select(func.count()).where(outbox.c.published_at.is_not(None), outbox.c.topic.in_(topics), ~done)
        if self.seeded_events:
            query = query.where(~outbox.c.id.between(self.seeded_events.start, self.seeded_events.stop - 1))
        with self.platform.database.session(None) as session:
            return int(session.scalar(query) or 0)

    def wait_until_caught_up(self) -> float:
        started = time.perf_counter()
        while not self.caught_up():
            self.pipeline.check_alive()
            if time.perf_counter() - started > self.sizes.catch_up_limit:
                raise RuntimeError(f"the pipeline did not catch up within {self.sizes.catch_up_limit:.0f} s")
            time.sleep(0.1)
        return time.perf_counter() - started

    def backend_pids(self) -> list[int]:
        with self.owner.connect() as connection:
            found = text("SELECT pid FROM pg_stat_activity WHERE datname = :name")
            return list(connection.execute(found, {"name": self.database}).scalars())

    def roles(self) -> dict[str, list[int]]:
        return self.pipeline.pids_by_role() | {
            "load client": [os.getpid()],
            POSTGRES_BACKENDS: self.backend_pids(),
            "PostgreSQL (whole cluster)": postgres_pids(),
            "Kafka broker": kafka_broker_pids(),
        }

    def profiled(self) -> list[subprocess.Popen[bytes]]:
        """py-spy on one gunicorn worker, the relay and each consumer for the timed part, if asked for."""
        if self.profile_dir is None:
            return []
        roles = self.pipeline.pids_by_role()
        pids = {"gunicorn worker": roles["gunicorn workers"][0]}
        pids |= {role: found[0] for role, found in roles.items() if not role.startswith("gunicorn")}
        return profile.start(pids, self.sizes.seconds, self.profile_dir)

    def measure(self, groups: Groups, profiled: bool = False) -> Measurement:
        port = self.pipeline.port
        signed_in = {
            group: [[lane.signed_in(port) for lane in lanes] for lanes in members] for group, members in groups.items()
        }
        run_groups(port, signed_in, self.sizes.warm_up_seconds)  # connections, pools and caches warm
        self.wait_until_caught_up()
        roles_before, load_average = self.roles(), os.getloadavg()[0]
        before = sample(pid for pids in roles_before.values() for pid in pids)
        recorders = self.profiled() if profiled else []
        started = time.perf_counter()
        outcomes = run_groups(port, signed_in, self.sizes.seconds)
        load_s = time.perf_counter() - started
        for recorder in recorders:
            recorder.wait(60)
        catch_up_s = self.wait_until_caught_up()
        roles = {role: [*pids, *roles_before.get(role, [])] for role, pids in self.roles().items()}
        after = sample(pid for pids in roles.values() for pid in pids)
        cpu = {role: used(before, after, pids) for role, pids in roles.items()} | {
            "machine": after.machine - before.machine
        }
        return Measurement(outcomes, load_s, catch_up_s, cpu, load_average)


def run(
    settings: Settings, owner_url: str, sizes: Sizes, bus: str, report: Report, profile_dir: Path | None = None
) -> None:
    database = make_url(settings.database_url).database or ""
    platform = Platform.from_settings(settings)
    owner = create_engine(owner_url)
    try:
        spread = sizes.registries if sizes.scenarios and (not sizes.only or "spread" in sizes.only) else 0
        world = build_world(platform, max(sizes.clients), spread, sizes.quiet_clients)
        seeded = range(0)
        if sizes.scenarios and sizes.history and (not sizes.only or "history" in sizes.only):
            world.history, seeded = seeded_registry(
                platform, settings.database_url, max(sizes.clients), sizes.history, report
            )
        for number, workers in enumerate(sizes.workers):
            logs = Path(tempfile.mkdtemp(prefix=f"bench-http-{workers}-workers-"))  # kept, for a look afterwards
            port = free_port()
            pipeline = Pipeline(environment(settings, owner_url, port, workers), port, logs)
            pipeline.start()
            report.pipeline_started(bus, workers, pipeline.pids_by_role(), logs)
            bench = Bench(platform, owner, database, pipeline, sizes, profile_dir if number == 0 else None, seeded)
            try:
                for clients in sizes.clients:
                    lanes = {"all": [[lane] for lane in world.main.lanes[:clients]]}
                    report.load(workers, clients, bench.measure(lanes, profiled=clients == PROFILED_CLIENTS))
                if number == 0 and sizes.scenarios:
                    scenarios(bench, world, report)
            finally:
                pipeline.stop()
    finally:
        owner.dispose()
        platform.close()
    with pgbench.scratch(owner_url) as environment_:
        for clients in sizes.clients:
            report.pgbench(pgbench.tpc_b(environment_, clients, sizes.pgbench_seconds), os.getloadavg()[0])


SCENARIOS = ("spread", "hot", "history", "flood")


def scenarios(bench: Bench, world: World, report: Report) -> None:
    only = bench.sizes.only or frozenset(SCENARIOS)
    clients = 8 if 8 in bench.sizes.clients else max(bench.sizes.clients)
    main = world.main.lanes[:clients]
    if only - {"flood"}:  # what the others are compared with
        report.scenario("one registry", clients, bench.measure({"all": [[lane] for lane in main]}))
    if "spread" in only:
        spread = spread_over(world.spread, clients)
        report.scenario(f"{len(world.spread)} registries", clients, bench.measure({"all": spread}))
    if "hot" in only:
        report.scenario("hot account", clients, bench.measure({"all": [[lane] for lane in world.hot[:clients]]}))
    if "history" in only and world.history is not None:
        history = [[lane] for lane in world.history.lanes[:clients]]
        report.scenario(f"history of {bench.sizes.history:,}", clients, bench.measure({"all": history}))
    if "flood" in only:
        quiet = [[lane] for lane in world.quiet.lanes]
        report.scenario("quiet registry alone", len(quiet), bench.measure({"quiet": quiet}))
        noisy = [[lane] for lane in world.main.lanes[: max(bench.sizes.clients)]]  # its own lanes, not the hot ones
        flood = bench.measure({"quiet": quiet, "noisy": noisy})
        report.scenario("quiet during a flood", len(quiet), flood.only("quiet"))
        report.scenario("the flood (noisy registry)", len(noisy), flood.only("noisy"))


def seeded_registry(
    platform: Platform, app_url: str, lanes: int, transfers: int, report: Report
) -> tuple[BenchRegistry, range]:
    """A registry with `lanes` lanes and `transfers` transfers of history seeded in bulk before the pipeline
    starts, and the outbox ids of the seeded events."""
    registry = new_registry(platform, 99, "bench-history")
    registry.add_lanes(platform, lanes)
    readers = {name: CONSUMERS[name](platform).topics for name in CONSUMERS}
    started = time.perf_counter()
    seeded = seed_history(registry.ledger, app_url, transfers, readers)
    report.history_seeded(transfers, time.perf_counter() - started)
    return registry, seeded.events


def environment(settings: Settings, owner_url: str, port: int, workers: int) -> dict[str, str]:
    """The variables a deployment sets (README's Configuration), for every process of the pipeline."""
    variables = {
        "REGISTRY_ENV": "production",
        "DATABASE_URL": settings.database_url,
        "DATABASE_OWNER_URL": owner_url,
        "DATABASE_APP_ROLE": settings.database_app_role,
        "SECRET_KEY": SECRET,
        "REGISTRY_HOST": "127.0.0.1",
        "REGISTRY_PORT": str(port),
        "REGISTRY_WORKERS": str(workers),
        "LOG_LEVEL": "WARNING",
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": settings.kafka.topic_prefix,
    }
    return {key: value for key, value in os.environ.items() if not key.startswith(("KAFKA_", "DATABASE_"))} | variables


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8-s loads and 5-s pgbench runs (about 5 minutes)")
    parser.add_argument("--seconds", type=float, help="seconds of load per measurement (30; --quick 8)")
    parser.add_argument("--workers", help="gunicorn worker counts, comma-separated (2,4)")
    parser.add_argument("--bus", choices=("kafka", "database"), help="kafka when KAFKA_BOOTSTRAP_SERVERS is set")
    parser.add_argument("--clients", help="client counts, comma-separated (1,4,8,16)")
    parser.add_argument("--load-only", action="store_true", help="no scenarios (and no 50 registries to set up)")
    parser.add_argument("--scenarios", help=f"only these scenarios, comma-separated ({', '.join(SCENARIOS)})")
    parser.add_argument("--history", type=int, help="transfers of history (1,000,000; --quick 100,000)")
    parser.add_argument("--profile", type=Path, help="py-spy a worker, the relay and each consumer at 8 clients")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.seconds:
        sizes = replace(sizes, seconds=args.seconds)
    if args.workers:
        sizes = replace(sizes, workers=tuple(int(n) for n in args.workers.split(",")))
    if args.clients:
        sizes = replace(sizes, clients=tuple(int(n) for n in args.clients.split(",")))
    if args.load_only:
        sizes = replace(sizes, scenarios=False)
    if args.history is not None:
        sizes = replace(sizes, history=args.history)
    if args.scenarios:
        only = frozenset(args.scenarios.split(","))
        if only - set(SCENARIOS):
            parser.error(f"--scenarios: choose among {', '.join(SCENARIOS)}")
        sizes = replace(sizes, only=only)
    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "") if args.bus != "database" else ""
    bus = "kafka" if servers else "database"
    app_url, owner_url = os.environ["DATABASE_URL"], os.environ["DATABASE_OWNER_URL"]
    role = os.environ.get("DATABASE_APP_ROLE", "registry_app")
    report = Report()
    with scratch_database(app_url, owner_url, role) as (app, owner):
        settings = bench_settings(app, owner, role, servers)
        if servers:
            create_kafka_topics(settings)
        run(settings, owner, sizes, bus, report, args.profile)
    print(report.render())
    for recorded in sorted(args.profile.glob("*.txt")) if args.profile else []:
        print(profile.summary(recorded))
    return 0


def bench_settings(app: str, owner: str, role: str, servers: str) -> Settings:
    from gateway.settings import KafkaSettings

    kafka = KafkaSettings(bootstrap_servers=servers, topic_prefix=f"b{uuid7().hex[-10:]}")
    return Settings(
        database_url=app, database_owner_url=owner, database_app_role=role, secret_key=SECRET, kafka=kafka
    ).checked()


def create_kafka_topics(settings: Settings) -> None:
    from gateway.bootstrap import bus
    from services.events.adapters.kafka_bus import create_topics

    create_topics(bus.kafka_options(settings.kafka), bus.all_topic_specs(settings, sorted(CONSUMERS)))


if __name__ == "__main__":
    raise SystemExit(main())
