"""Transparency log figures on PostgreSQL: the sequencer's integration rate and the CPU of one inclusion proof
in a log of 10,000,000 leaves. Needs DATABASE_URL (app role) and DATABASE_OWNER_URL, e.g. after
`source .local/postgres.env`; makes a scratch database and drops it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import insert

from bench.ledger import Urls, bench_settings, scratch_database, server_version
from gateway.platform import Platform
from services.ledger.adapters import orm
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
            session.execute(insert(orm.journal), rows)


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


def measure(platform: Platform, records: int, leaves: int, proofs: int) -> Figures:
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
    return Figures(
        records, integrated_per_s, leaves, proofs, statistics.mean(cpu) * 1000, statistics.median(wall) * 1000
    )


def render(f: Figures, server: str) -> str:
    verdict = "met" if f.proof_cpu_ms < TARGET_PROOF_CPU_MS else "NOT MET"
    return "\n".join(
        [
            server,
            f"sequencer: {f.records:,} journal records integrated at {f.integrated_per_s:,.0f} records/s",
            f"inclusion proof in a log of {f.leaves:,} leaves: {f.proof_cpu_ms:.3f} ms CPU (mean of {f.proofs}), "
            f"{f.proof_wall_ms:.3f} ms wall (median); target < {TARGET_PROOF_CPU_MS:.0f} ms CPU, {verdict}",
        ]
    )


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.transparency", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000, help="journal records the sequencer integrates")
    parser.add_argument("--leaves", type=int, default=10_000_000, help="tree size of the proofs")
    parser.add_argument("--proofs", type=int, default=500, help="inclusion proofs measured")
    options = parser.parse_args(argv)
    app_url, owner_url = os.environ.get("DATABASE_URL", ""), os.environ.get("DATABASE_OWNER_URL", "")
    if not app_url.startswith("postgresql") or not owner_url.startswith("postgresql"):
        print("set DATABASE_URL and DATABASE_OWNER_URL to PostgreSQL (source .local/postgres.env)", file=sys.stderr)
        return 2
    role = os.environ.get("DATABASE_APP_ROLE", "registry_app")
    with scratch_database(app_url, owner_url, role) as (app, owner):
        platform = Platform.from_settings(bench_settings(Urls(app, owner, role)))
        try:
            figures = measure(platform, options.records, options.leaves, options.proofs)
        finally:
            platform.close()
    print(render(figures, server_version(app_url)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
