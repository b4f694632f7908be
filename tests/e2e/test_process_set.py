"""The production process set with the database bus: `registry serve`, `registry relay` and
`registry consume reporting` as separate processes on PostgreSQL, without Kafka. A transfer made over
HTTP reaches the reporting projection through the outbox, the relay, the database log and the consumer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_SECRET, DatabaseUrls
from tests.e2e.ledger_http import LedgerClient, call, seed_registry, token_for
from tests.e2e.processes import free_port, running, working

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def database_bus_env(urls: DatabaseUrls) -> dict[str, str | None]:
    return {
        "REGISTRY_ENV": "production",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": urls.app,
        "DATABASE_OWNER_URL": urls.owner,
        "KAFKA_BOOTSTRAP_SERVERS": None,
    }


def reconciled(ledger: LedgerClient, seconds: float = 30) -> dict[str, Any]:
    """The registry's reconciliation once the projection matches the ledger, or the last one seen."""
    deadline = time.monotonic() + seconds
    while True:
        status, report = call(f"{ledger.realm}/reports/reconciliation", token=ledger.token)
        assert status == 200, report
        if report["consistent"] or time.monotonic() > deadline:
            return report
        time.sleep(0.3)


def test_a_transfer_reaches_the_reporting_consumer_through_separate_processes(
    own_database: DatabaseUrls, tmp_path: Path
) -> None:
    seeded = seed_registry(own_database)
    env = database_bus_env(own_database)
    port = free_port()
    with (
        running(["serve"], {**env, "REGISTRY_PORT": str(port), "REGISTRY_WORKERS": "2"}, tmp_path, port) as (base, _),
        working(["relay"], env, tmp_path / "relay"),
        working(["consume", "reporting"], env, tmp_path / "reporting"),
    ):
        realm = f"{base}/api/v1/registries/{seeded['code']}"
        ledger = LedgerClient(realm, token_for(realm, seeded["admin"]))
        accounts = ledger.issued_units(seeded["party"], 1_000, ("party_holding",))
        transfer = ledger.created(
            "/transactions/domestic-transfers",
            {"source_account_id": accounts["issuance"], "destination_account_id": accounts["party_holding"],
             "quantity": 400},
            **{"Idempotency-Key": "move-400"},
        )  # fmt: skip
        report = reconciled(ledger)
        _status, ready = call(f"{base}/readyz")

    assert report["consistent"], report["differences"]
    assert transfer["status"] == "completed", transfer
    events = ready["checks"]["events"]
    assert seeded["code"] not in events["outbox_pending_by_tenant"]
    assert seeded["code"] not in events["consumer_lag_by_tenant"]["reporting"]
