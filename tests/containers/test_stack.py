"""The whole stack in containers: a transfer through the containerized gateway reaches the
containerized reporting consumer over Kafka, and the data outlives a stop and a start."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.conftest import DatabaseUrls
from tests.e2e.ledger_http import LedgerClient, call, seed_registry, token_for

from .conftest import exec_in, inspect, stack

pytestmark = pytest.mark.containers


def reconciled(ledger: LedgerClient, seconds: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        status, report = call(f"{ledger.realm}/reports/reconciliation", token=ledger.token)
        assert status == 200, report
        if report["consistent"] or time.monotonic() > deadline:
            return report
        time.sleep(1)


def test_the_gateway_container_is_read_only_non_root_without_capabilities(gateway_url: str) -> None:
    gateway = inspect("gateway")

    assert gateway["HostConfig"]["ReadonlyRootfs"] is True
    assert gateway["Config"]["User"] == "10001:10001"
    assert exec_in("gateway", "id", "-u").strip() == "10001"
    assert not gateway["EffectiveCaps"], gateway["EffectiveCaps"]
    assert not gateway["HostConfig"]["CapAdd"]
    assert exec_in("gateway", "grep", "CapEff", "/proc/1/status").split() == ["CapEff:", "0000000000000000"]


def test_a_transfer_reaches_the_reporting_consumer_and_outlives_a_restart(
    gateway_url: str, stack_database: DatabaseUrls
) -> None:
    seeded = seed_registry(stack_database)
    realm = f"{gateway_url}/api/v1/registries/{seeded['code']}"
    ledger = LedgerClient(realm, token_for(realm, seeded["admin"]))
    accounts = ledger.issued_units(seeded["party"], 1_000, ("party_holding",))
    transfer = ledger.created(
        "/transactions/domestic-transfers",
        {"source_account_id": accounts["issuance"], "destination_account_id": accounts["party_holding"],
         "quantity": 400},
        **{"Idempotency-Key": "move-400"},
    )  # fmt: skip
    report = reconciled(ledger)

    stack("stop")
    stack("up")
    after = LedgerClient(realm, token_for(realm, seeded["admin"]))
    status, stored = call(f"{realm}/transactions/{transfer['transaction_id']}", token=after.token)
    report_after = reconciled(after)

    assert transfer["status"] == "completed", transfer
    assert report["consistent"], report["differences"]
    assert status == 200, stored
    assert (stored["status"], stored["quantity"]) == ("completed", 400)
    assert report_after["consistent"], report_after["differences"]
