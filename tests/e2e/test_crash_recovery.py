"""Crash test (reliability row R5): while clients transfer units through `registry serve` (gunicorn, two
workers, real tokens, one Idempotency-Key per transfer, retries with the same key), a worker is killed with
SIGKILL and PostgreSQL crashes and starts again. Afterwards every acknowledged transfer exists exactly once,
nothing unacknowledged half-exists, the supply is conserved, the journal verifies, and the gateway serves.

PostgreSQL is a private cluster of this test (tests/e2e/private_postgres.py): crashing the shared one
would break the tests of everyone else using it.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from gateway.bootstrap import Platform
from services.ledger.adapters import tables as ledger_tables
from tests.conftest import TEST_SECRET, settings_for
from tests.e2e.ledger_http import LedgerClient, seed_registry, token_for
from tests.e2e.private_postgres import Cluster, private_cluster
from tests.e2e.processes import REGISTRY, children, free_port, get, serving
from tests.e2e.transfer_load import TransferLoad

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SUPPLY = 1_000_000


@dataclass(frozen=True)
class LedgerRows:
    """What the registry's ledger tables hold after the run."""

    transactions: dict[UUID, dict[str, Any]]
    keys: dict[str, dict[str, Any]]  # the stored results of the load's idempotency keys
    journal_sequences: list[int]
    blocks: list[dict[str, Any]]
    journal_verified: str


@dataclass(frozen=True)
class Faults:
    worker_killed_at: float
    postgres_back_at: float


def test_acknowledged_transfers_survive_a_killed_worker_and_a_postgres_crash(tmp_path: Path) -> None:
    with private_cluster() as cluster:
        seeded = seed_registry(cluster.urls)
        port = free_port()
        with serving(["serve"], serve_env(cluster, port), tmp_path, port) as (base, _log, master):
            realm = f"{base}/api/v1/registries/{seeded['code']}"
            ledger = LedgerClient(realm, token_for(realm, seeded["admin"]))
            accounts = ledger.issued_units(seeded["party"], SUPPLY, ("party_holding",))
            load = TransferLoad(realm, ledger.token, accounts["issuance"], [accounts["party_holding"]])
            load.start()
            faults = inject_faults(cluster, master)
            load.stop()
            ready = get(f"{base}/readyz", timeout=30)
        rows = ledger_rows(cluster, seeded["code"])

    assert (load.refused, load.unanswered) == ([], [])
    assert load.acknowledged_after(faults.worker_killed_at), "no transfer acknowledged after the worker was killed"
    assert load.acknowledged_after(faults.postgres_back_at), (
        "the gateway did not serve again after PostgreSQL came back"
    )
    assert ready.status == 200, ready.body
    assert_every_acknowledged_transfer_exists_exactly_once(load, rows)
    assert_nothing_half_exists(rows)
    assert_supply_conserved(load, rows, accounts)
    assert rows.journal_verified == f"journal intact: {len(rows.transactions)} records"


def serve_env(cluster: Cluster, port: int) -> dict[str, str | None]:
    return {
        "REGISTRY_ENV": "production",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": cluster.urls.app,
        "DATABASE_OWNER_URL": cluster.urls.owner,
        "KAFKA_BOOTSTRAP_SERVERS": None,
        "REGISTRY_PORT": str(port),
        "REGISTRY_WORKERS": "2",
    }


def inject_faults(cluster: Cluster, master: int) -> Faults:
    """Under load: SIGKILL one gunicorn worker; later crash PostgreSQL, leave it down a while, start it."""
    time.sleep(3)
    os.kill(children(master)[0], signal.SIGKILL)
    worker_killed_at = time.monotonic()
    time.sleep(3)
    cluster.crash()
    time.sleep(2)
    cluster.start()
    postgres_back_at = time.monotonic()
    time.sleep(6)
    return Faults(worker_killed_at, postgres_back_at)


def ledger_rows(cluster: Cluster, code: str) -> LedgerRows:
    platform = Platform.from_settings(settings_for(cluster.urls))
    try:
        tenant = platform.catalogue.get(code)
        with platform.database.transaction(tenant.id) as session:
            transactions = {
                row["id"]: dict(row) for row in session.execute(select(ledger_tables.transactions)).mappings()
            }
            stored = select(ledger_tables.idempotency_keys).where(ledger_tables.idempotency_keys.c.key.like("load-%"))
            keys = {row["key"]: row["result"] for row in session.execute(stored).mappings()}
            sequences = list(
                session.scalars(select(ledger_tables.journal.c.sequence).order_by(ledger_tables.journal.c.sequence))
            )
            blocks = [dict(row) for row in session.execute(select(ledger_tables.unit_blocks)).mappings()]
    finally:
        platform.close()
    environment = {**os.environ, "DATABASE_URL": cluster.urls.app, "SECRET_KEY": TEST_SECRET}
    environment.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    verified = subprocess.run(
        [REGISTRY, "journal", "verify", "--registry", code],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return LedgerRows(transactions, keys, sequences, blocks, verified.stdout.strip() or verified.stderr)


def assert_every_acknowledged_transfer_exists_exactly_once(load: TransferLoad, rows: LedgerRows) -> None:
    acknowledged = {answer.key: answer for answer in load.acknowledged}
    assert len(acknowledged) == len(load.acknowledged), "a key was acknowledged twice"
    assert set(rows.keys) == set(acknowledged), "stored idempotency keys differ from the acknowledged ones"
    for key, answer in acknowledged.items():
        transaction = rows.transactions.get(UUID(answer.body["transaction_id"]))
        assert transaction is not None, f"{key}: acknowledged transaction {answer.body} is missing"
        assert (transaction["number"], transaction["quantity"]) == (answer.body["number"], answer.quantity), key
        assert transaction["status"] == answer.body["status"] == "completed", key
        assert UUID(str(rows.keys[key]["transaction_id"])) == transaction["id"], key
    transfers = [t for t in rows.transactions.values() if t["type"] == "transfer_domestic"]
    assert len(transfers) == len(acknowledged), "a transfer exists that no client was acknowledged"


def assert_nothing_half_exists(rows: LedgerRows) -> None:
    statuses = Counter(t["status"] for t in rows.transactions.values())
    assert statuses == {"completed": len(rows.transactions)}, statuses
    assert not [t["number"] for t in rows.transactions.values() if t["number"].startswith("~")]
    journaled = sorted(t["journal_sequence"] for t in rows.transactions.values())
    assert journaled == rows.journal_sequences == list(range(1, len(rows.transactions) + 1))
    assert not [b["id"] for b in rows.blocks if b["reserved_by"] is not None or b["state"] != "active"]


def assert_supply_conserved(load: TransferLoad, rows: LedgerRows, accounts: dict[str, str]) -> None:
    serials = sorted((b["serial_first"], b["serial_last"]) for b in rows.blocks)
    gaps_or_overlaps = [(a, b) for a, b in itertools.pairwise(serials) if b[0] != a[1] + 1]
    assert not gaps_or_overlaps
    assert serials[-1][1] - serials[0][0] + 1 == SUPPLY
    held: Counter[str] = Counter()
    for block in rows.blocks:
        held[str(block["account_id"])] += block["serial_last"] - block["serial_first"] + 1
    moved = sum(answer.quantity for answer in load.acknowledged)
    assert held == {accounts["issuance"]: SUPPLY - moved, accounts["party_holding"]: moved}
