"""Reporting benchmark on PostgreSQL: building a year's AEF next to a plain SQL scan of the same rows.

Run `.venv/bin/python -m bench.reporting [--actions N] [--tracemalloc]` with DATABASE_URL (the application
role) and DATABASE_OWNER_URL of PostgreSQL, e.g. after `source .local/postgres.env`. It creates a scratch
database, migrates it, loads two tenants straight into the reporting projection with bulk SQL (N/10 and N
actions, one block per ten actions), measures both sizes, prints a table and drops the database.
bench/README.md explains the figures and keeps the last ones. Nothing here is a test: pytest runs it tiny.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import psycopg

from bench.ledger import machine, scratch_database, server_version
from bench.raw_sql import psycopg_url
from gateway.bootstrap import Platform
from gateway.bootstrap import reporting as context
from gateway.settings import Settings
from services.reporting.adapters import exports
from tenants.domain.model import Tenant
from tenants.service_layer.catalogue import CreateTenant

SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 - a scratch database, dropped after the run
YEAR = 2025
UNITS_PER_BLOCK = 100
AUTHORIZATION = UUID("00000000-0000-7000-8000-00000000a001")
ACCOUNT = UUID("00000000-0000-7000-8000-00000000acc1")
RATIO_TARGET = 3.0

# Blocks are held since mid-2024; half the actions acquire 100 units, half transfer 100 abroad, so the
# holdings at the start and at the end of 2025 agree and the pre-submission checks pass.
LOAD = [
    """INSERT INTO reporting_accounts (tenant_id, account_id, number, account_type, details)
       VALUES (%(tenant)s, %(account)s, 'GHA-100-1', 'party_holding', '{}')""",
    """INSERT INTO reporting_authorizations (tenant_id, authorization_id, version, reference, authorizing_party,
       authorized_on, terms) VALUES (%(tenant)s, %(authorization)s, 1, 'GHA-A-1', 'GHA', '2024-02-01',
       '{"gwp_values": ["AR5"]}')""",
    """INSERT INTO reporting_block_versions (tenant_id, block_id, version, valid_from, valid_to, account_id, state,
       serial_first, serial_last, first_itmo_id, last_itmo_id, cooperative_approach_id, registry_id,
       first_transferring_party, vintage, metric, mitigation_type, authorization_id, authorization_version)
       SELECT %(tenant)s, md5(%(code)s || '-block-' || b)::uuid, 1, '2024-06-01T00:00:00Z', NULL, %(account)s,
              'active', b * 100 + 1, b * 100 + 100,
              'CA0001-GHA01-GHA-' || (b * 100 + 1) || '-2023', 'CA0001-GHA01-GHA-' || (b * 100 + 100) || '-2023',
              'CA0001', 'GHA01', 'GHA', 2023, 't CO2 eq', 'emission_reductions', %(authorization)s, 1
       FROM generate_series(0, %(blocks)s - 1) AS b""",
    """INSERT INTO reporting_actions (tenant_id, transaction_number, block_id, action_type, action_subtype,
       executed_at, year, reported, quantity, serial_first, serial_last, first_itmo_id, last_itmo_id,
       cooperative_approach_id, registry_id, first_transferring_party, vintage, metric, mitigation_type,
       authorization_id, authorization_version, transferring_party, acquiring_party)
       SELECT %(tenant)s, 'GHA-T-' || lpad(a::text, 9, '0'), md5(%(code)s || '-block-' || b)::uuid,
              CASE WHEN a %% 2 = 0 THEN 'Acquisition' ELSE 'Transfer' END,
              'NA',
              '2025-01-01T00:00:00Z'::timestamptz + a * interval '20 seconds', 2025, true, 100,
              b * 100 + 1, b * 100 + 100,
              'CA0001-GHA01-GHA-' || (b * 100 + 1) || '-2023', 'CA0001-GHA01-GHA-' || (b * 100 + 100) || '-2023',
              'CA0001', 'GHA01', 'GHA', 2023, 't CO2 eq', 'emission_reductions', %(authorization)s, 1,
              CASE WHEN a %% 2 = 0 THEN 'CHE' END, CASE WHEN a %% 2 = 1 THEN 'CHE' END
       FROM generate_series(0, %(actions)s - 1) AS a, LATERAL (SELECT a %% %(blocks)s AS b) AS block""",
]

# What the AEF reads, as plain SQL: the year's actions, and the blocks held at the start and at the end
SCAN = [
    """SELECT * FROM reporting_actions WHERE tenant_id = %(tenant)s AND year = 2025 AND reported
       ORDER BY executed_at, transaction_number, serial_first, action_type, block_id""",
    *[
        f"""SELECT v.*, a.account_type FROM reporting_block_versions v JOIN reporting_accounts a
            ON a.tenant_id = v.tenant_id AND a.account_id = v.account_id
            WHERE v.tenant_id = %(tenant)s AND v.valid_from <= '{at}' AND (v.valid_to IS NULL OR v.valid_to > '{at}')
              AND v.state IN ('active', 'pending_out') AND a.account_type <> 'external'
              AND v.authorization_id IS NOT NULL
            ORDER BY v.cooperative_approach_id, v.registry_id, v.serial_first"""
        for at in ("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
    ],
]


@dataclass(frozen=True)
class Figures:
    actions: int
    blocks: int
    load_s: float
    scan_s: float
    build_s: float
    export_s: float
    rss_growth_mb: float
    traced_peak_mb: float | None
    passed: bool

    @property
    def ratio(self) -> float:
        return self.build_s / self.scan_s


def load(owner_url: str, tenant: Tenant, actions: int) -> float:
    """Writes the projection of one tenant with set-based SQL (as the owner, under the tenant's RLS setting)."""
    started = time.perf_counter()
    parameters = {
        "tenant": tenant.id, "code": tenant.code, "account": ACCOUNT, "authorization": AUTHORIZATION,
        "blocks": max(actions // 10, 1), "actions": actions,
    }  # fmt: skip
    with psycopg.connect(psycopg_url(owner_url)) as connection:
        connection.execute("SELECT set_config('app.tenant_id', %s, false)", (str(tenant.id),))
        for statement in LOAD:
            connection.execute(statement, parameters)
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE reporting_actions, reporting_block_versions, reporting_accounts")
    return time.perf_counter() - started


def scan(app_url: str, tenant: Tenant) -> float:
    """Reads every row the AEF reads into Python tuples, through server-side cursors, as the app role."""
    started = time.perf_counter()
    with psycopg.connect(psycopg_url(app_url)) as connection:
        connection.execute("SELECT set_config('app.tenant_id', %s, false)", (str(tenant.id),))
        for number, query in enumerate(SCAN):
            with connection.cursor(name=f"scan_{number}") as cursor:
                cursor.itersize = 2_000
                cursor.execute(query, {"tenant": tenant.id})
                for _row in cursor:
                    pass
    return time.perf_counter() - started


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(platform: Platform, tenant: Tenant, reason: str | None) -> tuple[UUID, float]:
    submission_id = context.request_aef(platform, tenant, YEAR, reason, "bench")
    started = time.perf_counter()
    context.build_aef(platform, tenant, submission_id)
    return submission_id, time.perf_counter() - started


def traced_peak_mb(action: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(platform: Platform, app_url: str, owner_url: str, actions: int, trace: bool) -> Figures:
    registry_id = f"GHA{len(platform.catalogue.list()) + 1:02d}"
    create = CreateTenant(code=f"bench-{actions}", party="GHA", registry_id=registry_id, name=f"Bench {actions:,}")
    tenant = platform.catalogue.create(create)
    loaded = load(owner_url, tenant, actions)
    scan(app_url, tenant)  # warms the cache for both sides
    scanned = scan(app_url, tenant)
    gc.collect()
    rss_before = max_rss_mb()
    submission_id, built = build(platform, tenant, None)
    store = context.store(platform, tenant)
    job = store.get(submission_id) or {}
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        exports.write("csv", store.tables(submission_id), job.get("findings") or [], out)
        exported = time.perf_counter() - started
    growth = max_rss_mb() - rss_before
    peak = traced_peak_mb(lambda: build(platform, tenant, "traced run")) if trace else None
    return Figures(actions, max(actions // 10, 1), loaded, scanned, built, exported, growth, peak, bool(job["passed"]))


def run(app_url: str, owner_url: str, app_role: str, actions: int, trace: bool = False) -> list[Figures]:
    """Both sizes in one scratch database, the smaller first, so the RSS high-water mark is comparable."""
    with scratch_database(app_url, owner_url, app_role) as (app, owner):
        platform = Platform.from_settings(
            Settings(database_url=app, database_owner_url=owner, database_app_role=app_role, secret_key=SECRET)
        )
        try:
            return [measure(platform, app, owner, size, trace) for size in (max(actions // 10, 2), actions)]
        finally:
            platform.close()


def render(figures: Sequence[Figures], server: str = "PostgreSQL") -> str:
    lines = [
        f"Reporting benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, {server}",
        "",
        f"{'actions':>10} {'blocks':>8} {'load s':>7} {'scan s':>7} {'AEF s':>7} {'ratio':>6} {'CSV s':>7} "
        f"{'RSS +MB':>8} {'traced MB':>9}  checks",
    ]
    for f in figures:
        traced = "-" if f.traced_peak_mb is None else f"{f.traced_peak_mb:.1f}"
        lines.append(
            f"{f.actions:>10,} {f.blocks:>8,} {f.load_s:>7.2f} {f.scan_s:>7.2f} {f.build_s:>7.2f} {f.ratio:>6.2f} "
            f"{f.export_s:>7.2f} {f.rss_growth_mb:>8.1f} {traced:>9}  {'passed' if f.passed else 'FAILING'}"
        )
    verdict = "met" if figures[-1].ratio <= RATIO_TARGET else "NOT MET"
    lines += ["", f"ratio AEF / scan at {figures[-1].actions:,} actions: target <= {RATIO_TARGET:.2f}, {verdict}"]
    return "\n".join(lines)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reporting", description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1_000_000, help="actions of the larger tenant")
    parser.add_argument("--tracemalloc", action="store_true", help="also build once more under tracemalloc")
    options = parser.parse_args(argv)
    app_url, owner_url = os.environ.get("DATABASE_URL", ""), os.environ.get("DATABASE_OWNER_URL", "")
    if not app_url.startswith("postgresql") or not owner_url.startswith("postgresql"):
        print("set DATABASE_URL and DATABASE_OWNER_URL to PostgreSQL (source .local/postgres.env)", file=sys.stderr)
        return 2
    role = os.environ.get("DATABASE_APP_ROLE", "registry_app")
    figures = run(app_url, owner_url, role, options.actions, options.tracemalloc)
    print(render(figures, server_version(app_url)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
