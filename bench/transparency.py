"""Transparency log figures on PostgreSQL: the sequencer's integration rate and the CPU of one inclusion proof
in a log of 10,000,000 leaves. Needs DATABASE_URL (app role) and DATABASE_OWNER_URL, e.g. after
`source .local/postgres.env`; makes a scratch database and drops it.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import insert

from bench.ledger import FULL, Sizes, Urls, bench_settings, scratch_database, server_version, service_throughput, set_up
from gateway.bootstrap import Platform
from services.ledger.adapters import tables as ledger_tables
from services.ledger.domain.journal import JournalRecord, next_record
from services.transparency.adapters import tables
from services.transparency.adapters.store import SqlTreeStore
from services.transparency.domain.merkle import inclusion_spans, nodes_for
from services.transparency.entrypoints.sequencer import catch_up
from services.transparency.service_layer import proving
from tenants.service_layer.catalogue import CreateTenant

TARGET_PROOF_CPU_MS = 1.0


@dataclass(frozen=True)
class Figures:
    records: int
    integrated_per_s: float
    leaves: int
    proofs: int
    proof_cpu_ms: float
    proof_wall_ms: float
    transfers_without: tuple[float, ...] = ()  # ledger transfers/s per round, no sequencer running
    transfers_with: tuple[float, ...] = ()  # the same with a sequencer process integrating every 0.2 s

    @property
    def peak(self) -> float:
        return statistics.median(self.transfers_without) if self.transfers_without else 0.0

    @property
    def with_sequencer(self) -> float:
        return statistics.median(self.transfers_with) if self.transfers_with else 0.0


SEQUENCER_EVERY_S = 0.2


def run_sequencer(urls: Urls, tenant_id: UUID, stop: Any) -> None:
    """In a process of its own, as `registry transparency sequence --every` runs beside the gateway."""
    platform = Platform.from_settings(bench_settings(urls))
    try:
        while not stop.is_set():
            catch_up(platform.database, tenant_id)
            stop.wait(SEQUENCER_EVERY_S)
    finally:
        platform.close()


def transfer_rounds(platform: Platform, urls: Urls, rounds: int, sizes: Sizes) -> tuple[list[float], list[float]]:
    """The ledger's peak (bench.ledger's 8 worker processes), alternately without and with a sequencer."""
    ledger = set_up(platform, CreateTenant("bench-peak", "GHA", "GHA01", "Bench peak"))
    without: list[float] = []
    with_: list[float] = []
    for round_ in range(rounds):
        order = [False, True] if round_ % 2 == 0 else [True, False]
        for sequenced in order:
            if not sequenced:
                without.append(service_throughput(ledger, urls, sizes))
                continue
            context = multiprocessing.get_context("spawn")
            stop = context.Event()
            sequencer = context.Process(target=run_sequencer, args=(urls, ledger.tenant.id, stop))
            sequencer.start()
            try:
                with_.append(service_throughput(ledger, urls, sizes))
            finally:
                stop.set()
                sequencer.join(30)
    return without, with_


def journal(platform: Platform, tenant_id: UUID, count: int) -> None:
    """`count` hash-chained journal records, written as the ledger writes them, in chunks."""
    last: JournalRecord | None = None
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for chunk in range(0, count, 5000):
        rows = []
        for n in range(chunk, min(count, chunk + 5000)):
            payload = {"type": "retirement", "quantity": n + 1, "beneficiary": "Village of Kumasi"}
            last = next_record(last, tenant_id, payload, start + timedelta(seconds=n))  # type: ignore[arg-type]
            rows.append({**vars(last)})
        with platform.database.transaction(tenant_id) as session:
            session.execute(insert(ledger_tables.journal), rows)


def synthetic_tree(platform: Platform, tenant_id: UUID, leaves: int, indexes: list[int]) -> None:
    """A head of `leaves` and the stored nodes the sampled proofs read (their values need not be a real
    tree: a proof's cost is its reads and hashing, not what the hashes are)."""
    wanted = nodes_for(span for index in indexes for span in inclusion_spans(index, leaves))
    rows = [
        {
            "tenant_id": tenant_id,
            "level": level,
            "position": position,
            "hash": hashlib.sha256(b"%d" % position).hexdigest(),
        }
        for level, position in wanted
    ]
    with platform.database.transaction(tenant_id) as session:
        session.execute(insert(tables.nodes), rows)
        session.execute(insert(tables.heads), {"tenant_id": tenant_id, "size": leaves, "root": "00" * 32})


def measure(
    platform: Platform, records: int, leaves: int, proofs: int, urls: Urls, rounds: int, sizes: Sizes = FULL
) -> Figures:
    sequenced = platform.catalogue.create(CreateTenant("bench-log", "BLG", "BLG01", "Bench log")).id
    journal(platform, sequenced, records)
    started = time.perf_counter()
    catch_up(platform.database, sequenced)
    integrated_per_s = records / (time.perf_counter() - started)

    proven = platform.catalogue.create(CreateTenant("bench-proofs", "BPR", "BPR01", "Bench proofs")).id
    indexes = random.Random(7).sample(range(leaves), proofs)
    synthetic_tree(platform, proven, leaves, indexes)
    cpu, wall = [], []
    with platform.database.transaction(proven) as session:
        store = SqlTreeStore(session, proven)
        proving.inclusion_proof(store, indexes[0], leaves)  # warm-up: statement caches
        for index in indexes:
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            proving.inclusion_proof(store, index, leaves)
            cpu.append(time.process_time() - cpu_start)
            wall.append(time.perf_counter() - wall_start)
    without, with_ = transfer_rounds(platform, urls, rounds, sizes) if rounds else ([], [])
    return Figures(
        records,
        integrated_per_s,
        leaves,
        proofs,
        statistics.mean(cpu) * 1000,
        statistics.median(wall) * 1000,
        tuple(without),
        tuple(with_),
    )


def render(f: Figures, server: str, sizes: Sizes = FULL) -> str:
    verdict = "met" if f.proof_cpu_ms < TARGET_PROOF_CPU_MS else "NOT MET"
    lines = [
        server,
        f"sequencer: {f.records:,} journal records integrated at {f.integrated_per_s:,.0f} records/s",
        f"inclusion proof in a log of {f.leaves:,} leaves: {f.proof_cpu_ms:.3f} ms CPU (mean of {f.proofs}), "
        f"{f.proof_wall_ms:.3f} ms wall (median); target < {TARGET_PROOF_CPU_MS:.0f} ms CPU, {verdict}",
    ]
    if f.transfers_without:
        rate = f.integrated_per_s / f.peak
        kept = f.with_sequencer / f.peak
        rounds = ", ".join(f"{a:.0f} | {b:.0f}" for a, b in zip(f.transfers_without, f.transfers_with, strict=True))
        lines += [
            f"ledger peak ({sizes.workers} worker processes, median of rounds): {f.peak:.1f} transfers/s "
            f"without the sequencer, {f.with_sequencer:.1f} with it (rounds, without | with: {rounds})",
            f"sequencer rate / ledger peak: {rate:.1f}; target >= 10, {'met' if rate >= 10 else 'NOT MET'}",
            f"transfers/s with the sequencer / without: {kept:.3f}; target >= 0.95, "
            f"{'met' if kept >= 0.95 else 'NOT MET'}",
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.transparency", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000, help="journal records the sequencer integrates")
    parser.add_argument("--leaves", type=int, default=10_000_000, help="tree size of the proofs")
    parser.add_argument("--proofs", type=int, default=500, help="inclusion proofs measured")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the ledger peak without and with it")
    parser.add_argument("--transfers", type=int, default=FULL.transfers_per_worker, help="per worker and round")
    parser.add_argument("--workers", type=int, default=FULL.workers, help="ledger worker processes")
    options = parser.parse_args(argv)
    app_url, owner_url = os.environ.get("DATABASE_URL", ""), os.environ.get("DATABASE_OWNER_URL", "")
    if not app_url.startswith("postgresql") or not owner_url.startswith("postgresql"):
        print("set DATABASE_URL and DATABASE_OWNER_URL to PostgreSQL (source .local/postgres.env)", file=sys.stderr)
        return 2
    role = os.environ.get("DATABASE_APP_ROLE", "registry_app")
    with scratch_database(app_url, owner_url, role) as (app, owner):
        platform = Platform.from_settings(bench_settings(Urls(app, owner, role)))
        try:
            urls = Urls(app, owner, role)
            sizes = replace(FULL, transfers_per_worker=options.transfers, workers=options.workers)
            figures = measure(platform, options.records, options.leaves, options.proofs, urls, options.rounds, sizes)
        finally:
            platform.close()
    print(render(figures, server_version(app_url), sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
