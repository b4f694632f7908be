"""`registry serve` on PostgreSQL and Kafka reports both in /readyz, and says so when one is down; with Kafka
or the database bus it reports not ready while no relay publishes the outbox, and ready once one does."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET, DatabaseUrls, unique_code
from tests.e2e.ledger_http import LedgerClient, seed_registry, token_for
from tests.e2e.processes import REGISTRY, Reply, free_port, get, running, working

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
def kafka_servers() -> str:
    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not servers:
        pytest.fail("KAFKA_BOOTSTRAP_SERVERS is not set: run the README's test command (make test)")
    return servers


def serve_env(urls: DatabaseUrls, port: int, kafka: str) -> dict[str, str | None]:
    return {
        "REGISTRY_PORT": str(port),
        "REGISTRY_WORKERS": "1",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": urls.app,
        "DATABASE_OWNER_URL": urls.owner,
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "REGISTRY_ENV": "production",
    }


def test_ready_when_postgres_and_kafka_answer(own_database: DatabaseUrls, kafka_servers: str, tmp_path: Path) -> None:
    port = free_port()
    with running(["serve"], serve_env(own_database, port, kafka_servers), tmp_path, port) as (base, _log):
        ready = get(f"{base}/readyz")
    assert ready.status == 200, ready.body
    assert ready.json()["checks"]["database"]["ok"] is True
    assert ready.json()["checks"]["kafka"]["ok"] is True


def test_not_ready_when_kafka_is_unreachable(postgres_urls: DatabaseUrls, tmp_path: Path) -> None:
    port = free_port()
    closed = f"127.0.0.1:{free_port()}"
    with running(["serve"], serve_env(postgres_urls, port, closed), tmp_path, port) as (base, _log):
        ready = get(f"{base}/readyz", timeout=30)
    assert ready.status == 503
    assert ready.json()["status"] == "not_ready"
    assert ready.json()["checks"]["kafka"]["ok"] is False
    assert ready.json()["checks"]["database"]["ok"] is True


def readiness_after(base: str, seconds: float, ready: bool) -> Reply:
    """/readyz once it says `ready` (or not), or its last answer after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        answer = get(f"{base}/readyz", timeout=30)
        if (answer.status == 200) == ready or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


def readiness_follows_the_relay(urls: DatabaseUrls, env: dict[str, str | None], tmp_path: Path) -> tuple[Reply, Reply]:
    """Serve without a relay, write an event, wait past the age limit; then start `registry relay`.
    Answers /readyz before and after the relay started."""
    seeded = seed_registry(urls)
    port = free_port()
    env = {**env, "REGISTRY_PORT": str(port), "READY_MAX_OUTBOX_AGE_SECONDS": "2"}
    with running(["serve"], env, tmp_path, port) as (base, _log):
        realm = f"{base}/api/v1/registries/{seeded['code']}"
        LedgerClient(realm, token_for(realm, seeded["admin"])).created("/accounts", {"account_type": "party_holding",
                                                                                    "name": "Treasury"})  # fmt: skip
        stale = readiness_after(base, 10, ready=False)
        with working(["relay"], env, tmp_path / "relay"):
            published = readiness_after(base, 30, ready=True)
    return stale, published


def test_not_ready_while_no_relay_publishes_to_kafka(
    own_database: DatabaseUrls, kafka_servers: str, tmp_path: Path
) -> None:
    env = serve_env(own_database, 0, kafka_servers) | {"KAFKA_TOPIC_PREFIX": unique_code("ready")}
    environment = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    subprocess.run([REGISTRY, "kafka", "init"], env=environment, check=True, capture_output=True)
    stale, published = readiness_follows_the_relay(own_database, env, tmp_path)
    assert stale.status == 503
    assert stale.json()["checks"]["kafka"]["ok"] is True
    assert "is `registry relay` running?" in stale.json()["checks"]["events"]["error"]
    assert published.status == 200, published.body
    assert published.json()["checks"]["events"]["outbox_pending"] == 0


def test_not_ready_while_no_relay_publishes_to_the_database_bus(own_database: DatabaseUrls, tmp_path: Path) -> None:
    env = serve_env(own_database, 0, "") | {"KAFKA_BOOTSTRAP_SERVERS": None}
    stale, published = readiness_follows_the_relay(own_database, env, tmp_path)
    assert stale.status == 503
    assert "kafka" not in stale.json()["checks"]
    assert "is `registry relay` running?" in stale.json()["checks"]["events"]["error"]
    assert published.status == 200, published.body
    assert published.json()["checks"]["events"]["outbox_pending"] == 0
