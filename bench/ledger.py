"""Ledger benchmark on PostgreSQL: the service layer next to raw SQL doing the same row work, in one run.

Run `.venv/bin/python -m bench.ledger` with DATABASE_URL (the application role) and DATABASE_OWNER_URL of
PostgreSQL, for example after `source .local/postgres.env`. It creates a scratch database, migrates it,
measures, prints a table with the targets of issue 3, and drops the database. bench/README.md explains
each figure and keeps the last ones measured. Nothing here is a test: pytest only runs it at tiny sizes.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import psycopg
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from uuid6 import uuid7

from bench.raw_sql import create_baseline_tables, psycopg_url, raw_account, raw_row_updates, raw_transfer
from bench.workers import Work, in_processes, in_threads
from gateway.bootstrap import Platform
from gateway.settings import Settings
from services.ledger.bootstrap import LedgerTenant
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.reference import ProjectStatus
from services.ledger.domain.transactions import TransactionStatus
from services.ledger.domain.values import VintageQuantity
from services.ledger.service_layer.results import RecordResult, TransactionResult
from services.migrations.runner import upgrade
from services.shared.messages import Command
from tenants.service_layer.catalogue import CreateTenant

ACTOR = UUID("00000000-0000-7000-8000-00000000be00")
SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 - a scratch database, dropped after the run
SUPPLY = 10**12
BIG = 10**9


@dataclass(frozen=True)
class Sizes:
    workers: int = 8
    transfers_per_worker: int = 60
    unit_repeats: int = 30
    fragments: int = 1_000
    fragment_repeats: int = 4
    throughput_rounds: int = 3


FULL = Sizes()
TINY = Sizes(workers=2, transfers_per_worker=3, unit_repeats=2, fragments=5, fragment_repeats=2, throughput_rounds=1)


@dataclass(frozen=True)
class Figures:
    service_tps: float
    baseline_tps: float
    service_tps_threads: float
    baseline_tps_threads: float
    one_unit_ms: float
    big_ms: float
    fragmented_ms: float
    row_updates_ms: float
    service_rounds: tuple[float, ...] = ()  # (a) per round, processes; service_tps is their median
    baseline_rounds: tuple[float, ...] = ()

    def rows(self, sizes: Sizes) -> list[tuple[str, float, float, float, str, bool | None]]:
        """(label, measured, reference, ratio, target, met) per figure."""
        throughput = self.service_tps / self.baseline_tps
        threaded = self.service_tps_threads / self.baseline_tps_threads
        units = self.big_ms / self.one_unit_ms
        blocks = self.fragmented_ms / self.row_updates_ms
        return [
            (f"(a) transfers/s, {sizes.workers} worker processes: service | raw SQL", self.service_tps,
             self.baseline_tps, throughput, ">= 0.25", throughput >= 0.25),
            (f"    the same, {sizes.workers} threads in one process", self.service_tps_threads,
             self.baseline_tps_threads, threaded, "no target", None),
            ("(c) ms per transfer: 10^9 units | 1 unit", self.big_ms, self.one_unit_ms,
             units, "0.80 - 1.20", abs(units - 1) <= 0.2),
            (f"(d) ms: transfer of {sizes.fragments:,} blocks | {sizes.fragments:,} row updates",
             self.fragmented_ms, self.row_updates_ms, blocks, "<= 3.00", blocks <= 3),
        ]  # fmt: skip


@dataclass(frozen=True)
class Urls:
    app: str
    owner: str
    app_role: str


def bench_settings(urls: Urls) -> Settings:
    return Settings(
        database_url=urls.app, database_owner_url=urls.owner, database_app_role=urls.app_role, secret_key=SECRET
    )


# The scratch database


@contextmanager
def scratch_database(app_url: str, owner_url: str, app_role: str) -> Iterator[tuple[str, str]]:
    """A fresh migrated database (app url, owner url), dropped afterwards, as the tests' fixture makes."""
    name = f"registry_bench_{uuid7().hex[-12:]}"
    admin = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        connection.execute(text(f'GRANT CONNECT ON DATABASE "{name}" TO "{app_role}"'))
    try:
        owner = make_url(owner_url).set(database=name).render_as_string(hide_password=False)
        upgrade(owner, app_role)
        yield make_url(app_url).set(database=name).render_as_string(hide_password=False), owner
    finally:
        try:
            drop_when_disconnected(admin, name)
        finally:
            admin.dispose()


def drop_when_disconnected(admin: Engine, name: str, seconds: float = 60) -> None:
    """Drop the database once the application role's connections have left: closed connections leave a moment
    later (longer on a busy machine), and the owner may not terminate the app role's backends itself."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with admin.connect() as connection:
                wait_for_disconnections(connection, name, max(0.0, deadline - time.monotonic()))
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)


def wait_for_disconnections(connection: Connection, name: str, seconds: float = 10) -> None:
    """Closed connections leave a moment later; the owner may not terminate the app role's backends itself."""
    count = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name")
    deadline = time.monotonic() + seconds
    while connection.execute(count, {"name": name}).scalar() and time.monotonic() < deadline:
        time.sleep(0.05)


# The service side: the real LedgerBus on the SQL unit of work


@dataclass
class ServiceLedger:
    platform: Platform
    tenant: LedgerTenant
    pool: UUID | None = None

    def do(self, command: Command) -> Any:
        return self.platform.ledger.bus(self.tenant).handle(command)

    def account(self, name: str) -> UUID:
        opened: RecordResult = self.do(
            commands.OpenAccount(actor_id=ACTOR, account_type=AccountType.ENTITY_HOLDING, name=name, holder_id=ACTOR)
        )
        return UUID(opened.record_id)

    def transfer(self, quantity: int, source: UUID, destination: UUID) -> None:
        command = commands.TransferUnits(
            actor_id=ACTOR, source_account_id=source, destination_account_id=destination, quantity=quantity
        )
        completed(self.do(command))

    def funded(self, quantity: int, name: str) -> UUID:
        """A new account holding one block of `quantity` units."""
        assert self.pool is not None
        account = self.account(name)
        self.transfer(quantity, self.pool, account)
        return account


def completed(result: TransactionResult) -> None:
    if result.status is not TransactionStatus.COMPLETED:
        raise RuntimeError(f"transaction {result.number} is {result.status}, not completed: check the bench set-up")


BENCH_TENANT = CreateTenant(code="bench", party="GHA", registry_id="GHA01", name="Benchmark registry")


def set_up(platform: Platform, create: CreateTenant = BENCH_TENANT) -> ServiceLedger:
    """A tenant with one cooperative approach, project and issuance, and SUPPLY units in its issuance account."""
    ledger = ServiceLedger(platform, platform.ledger_tenant(platform.catalogue.create(create)))
    ledger.do(
        commands.RecordCooperativeApproach(
            actor_id=ACTOR,
            cooperative_approach_id="CA0001",
            name="Bench",
            participating_parties=frozenset({create.party, "CHE"}),
        )
    )
    project = ledger.do(
        commands.RecordProject(
            actor_id=ACTOR, name="Bench project", developer="Bench Ltd", sector="Energy", project_type="Solar",
            methodology="AMS-I.D", status=ProjectStatus.REGISTERED, country=create.party,
            cooperative_approach_id="CA0001",
        )
    )  # fmt: skip
    issuance = ledger.do(
        commands.RecordIssuance(
            actor_id=ACTOR, project_id=UUID(project.record_id), monitoring_start=date(2023, 1, 1),
            monitoring_end=date(2023, 12, 31), verifier="Verifier GmbH", verified_on=date(2024, 3, 1),
            issued_on=date(2024, 3, 15), quantities=(VintageQuantity(2023, SUPPLY),),
        )
    )  # fmt: skip
    opened = ledger.do(commands.OpenAccount(actor_id=ACTOR, account_type=AccountType.ISSUANCE, name="Issuance"))
    ledger.pool = UUID(opened.record_id)
    issue = commands.IssueUnits(
        actor_id=ACTOR, issuance_id=UUID(issuance.record_id), account_id=ledger.pool,
        cooperative_approach_id="CA0001", vintage=2023, quantity=SUPPLY,
    )  # fmt: skip
    completed(ledger.do(issue))
    return ledger


# Measurements


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def alternated_throughputs(ledger: ServiceLedger, urls: Urls, sizes: Sizes) -> tuple[list[float], list[float]]:
    """(a) with processes, `throughput_rounds` times: service and raw SQL alternate which goes first, so a
    slow spell of the machine falls on both sides alike; the report takes each side's median."""
    service: list[float] = []
    raw: list[float] = []
    for round_ in range(sizes.throughput_rounds):
        sides = [
            (service, lambda: service_throughput(ledger, urls, sizes)),
            (raw, lambda: baseline_throughput(urls.app, sizes)),
        ]
        for found, measure in sides if round_ % 2 == 0 else reversed(sides):
            found.append(measure())
    return service, raw


def service_throughput(ledger: ServiceLedger, urls: Urls, sizes: Sizes, processes: bool = True) -> float:
    """Each worker moves 1 unit at a time from its own account; all of them share the tenant's journal."""
    n = sizes.transfers_per_worker
    pairs = [(ledger.funded(n + 1, f"Source {w}"), ledger.account(f"Sink {w}")) for w in range(sizes.workers)]
    if processes:
        seconds = in_processes(service_worker, (urls, ledger.tenant.code, pairs, n), sizes.workers)
    else:
        for source, sink in pairs:
            ledger.transfer(1, source, sink)
        seconds = in_threads(lambda w: transfers(ledger, *pairs[w], n), sizes.workers)
    return sizes.workers * n / seconds


def transfers(ledger: ServiceLedger, source: UUID, sink: UUID, count: int) -> None:
    for _ in range(count):
        ledger.transfer(1, source, sink)


def service_worker(number: int, urls: Urls, tenant_code: str, pairs: list[tuple[UUID, UUID]], count: int) -> Work:
    """In a worker process: its own platform, as a gateway worker has, warmed by one transfer."""
    platform = Platform.from_settings(bench_settings(urls))
    ledger = ServiceLedger(platform, platform.ledger_tenant(platform.catalogue.get(tenant_code)))
    source, sink = pairs[number]
    ledger.transfer(1, source, sink)

    def work() -> None:
        try:
            transfers(ledger, source, sink, count)
        finally:
            platform.close()

    return work


def baseline_throughput(app_url: str, sizes: Sizes, processes: bool = True) -> float:
    n = sizes.transfers_per_worker
    with psycopg.connect(psycopg_url(app_url), autocommit=True) as setup:
        pairs = [(raw_account(setup, 1, n + 1), uuid7()) for _ in range(sizes.workers)]
    if processes:
        return sizes.workers * n / in_processes(raw_worker, (app_url, pairs, n), sizes.workers)
    connections = [psycopg.connect(psycopg_url(app_url), autocommit=True) for _ in pairs]
    try:
        for connection, (source, sink) in zip(connections, pairs, strict=True):
            raw_transfer(connection, 1, source, sink)
        seconds = in_threads(lambda w: raw_transfers(connections[w], *pairs[w], n), sizes.workers)
    finally:
        for connection in connections:
            connection.close()
    return sizes.workers * n / seconds


def raw_transfers(connection: psycopg.Connection[Any], source: UUID, sink: UUID, count: int) -> None:
    for _ in range(count):
        raw_transfer(connection, 1, source, sink)


def raw_worker(number: int, app_url: str, pairs: list[tuple[UUID, UUID]], count: int) -> Work:
    connection = psycopg.connect(psycopg_url(app_url), autocommit=True)
    source, sink = pairs[number]
    raw_transfer(connection, 1, source, sink)

    def work() -> None:
        with connection:
            raw_transfers(connection, source, sink, count)

    return work


def unit_count_costs(ledger: ServiceLedger, sizes: Sizes) -> tuple[float, float]:
    """Median seconds of moving 1 unit and 10^9 units out of one block, alternated, after two warm-ups."""
    rounds = sizes.unit_repeats + 2
    small, large = ledger.funded(rounds, "One by one"), ledger.funded(BIG * rounds, "By the billion")
    sink = ledger.account("Unit sink")
    one: list[float] = []
    many: list[float] = []
    for round_ in range(rounds):
        pair = [(one, small, 1), (many, large, BIG)]
        for timings, source, quantity in pair if round_ % 2 else reversed(pair):
            elapsed = timed(lambda s=source, q=quantity: ledger.transfer(q, s, sink))  # type: ignore[misc]
            if round_ >= 2:
                timings.append(elapsed)
    return statistics.median(one), statistics.median(many)


def fragmented_costs(ledger: ServiceLedger, app_url: str, sizes: Sizes) -> tuple[float, float]:
    """Median seconds of moving a whole account of `fragments` blocks back and forth, and of the raw update."""
    whole, left, right = ledger.funded(sizes.fragments, "Whole"), ledger.account("Left"), ledger.account("Right")
    for _ in range(sizes.fragments):  # one unit at a time: each becomes a block of its own, never merged
        ledger.transfer(1, whole, left)
    service = ping_pong(lambda a, b: ledger.transfer(sizes.fragments, a, b), left, right, sizes.fragment_repeats)
    with psycopg.connect(psycopg_url(app_url), autocommit=True) as connection:
        source = raw_account(connection, sizes.fragments, 1)
        move = lambda a, b: raw_row_updates(connection, a, b)  # noqa: E731
        baseline = ping_pong(move, source, uuid7(), sizes.fragment_repeats)
    return service, baseline


def ping_pong(move: Callable[[UUID, UUID], None], left: UUID, right: UUID, repeats: int) -> float:
    """Median seconds of `move` from left to right, right to left, and so on; the first move warms up."""
    directions = [(left, right), (right, left)]
    timings = [timed(lambda n=n: move(*directions[n % 2])) for n in range(repeats + 1)]  # type: ignore[misc]
    return statistics.median(timings[1:])


def run(app_url: str, owner_url: str, app_role: str, sizes: Sizes = FULL) -> Figures:
    with scratch_database(app_url, owner_url, app_role) as (app, owner):
        create_baseline_tables(owner, app_role)
        urls = Urls(app, owner, app_role)
        platform = Platform.from_settings(bench_settings(urls))
        try:
            ledger = set_up(platform)
            service, baseline = alternated_throughputs(ledger, urls, sizes)
            threads = service_throughput(ledger, urls, sizes, False), baseline_throughput(app, sizes, False)
            one, big = unit_count_costs(ledger, sizes)
            fragmented, row_updates = fragmented_costs(ledger, app, sizes)
        finally:
            platform.close()
    medians = statistics.median(service), statistics.median(baseline)
    milliseconds = one * 1000, big * 1000, fragmented * 1000, row_updates * 1000
    return Figures(*medians, *threads, *milliseconds, tuple(service), tuple(baseline))


# Report


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model)
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model})"


def render(figures: Figures, sizes: Sizes, server: str = "PostgreSQL") -> str:
    lines = [
        f"Ledger benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, {server}",
        "",
        f"{'figure: measured | reference':<58}{'measured':>11}{'reference':>11}{'ratio':>8}  target",
    ]
    for label, measured, reference, ratio, target, met in figures.rows(sizes):
        verdict = "" if met is None else "met" if met else "NOT MET"
        lines.append(f"{label:<58}{measured:>11.2f}{reference:>11.2f}{ratio:>8.2f}  {target} {verdict}".rstrip())
        if label.startswith("(a)"):
            lines.append(f"    {rounds(figures)}")
    return "\n".join(lines)


def rounds(figures: Figures) -> str:
    def listed(values: tuple[float, ...]) -> str:
        return ", ".join(f"{value:.0f}" for value in values)

    service, raw = listed(figures.service_rounds), listed(figures.baseline_rounds)
    return f"rounds ({len(figures.service_rounds)}, median above): service {service} | raw SQL {raw}"


def server_version(app_url: str) -> str:
    with psycopg.connect(psycopg_url(app_url)) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0] if row else '?'}"


def main(argv: Sequence[str] = ()) -> int:
    app_url, owner_url = os.environ.get("DATABASE_URL", ""), os.environ.get("DATABASE_OWNER_URL", "")
    if not app_url.startswith("postgresql") or not owner_url.startswith("postgresql"):
        print("set DATABASE_URL and DATABASE_OWNER_URL to PostgreSQL (source .local/postgres.env)", file=sys.stderr)
        return 2
    figures = run(app_url, owner_url, os.environ.get("DATABASE_APP_ROLE", "registry_app"))
    print(render(figures, FULL, server_version(app_url)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
