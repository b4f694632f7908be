"""`registry serve` on PostgreSQL and Kafka reports both in /readyz, and says so when one is down."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET, DatabaseUrls
from tests.e2e.processes import free_port, get, running

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


def test_ready_when_postgres_and_kafka_answer(postgres_urls: DatabaseUrls, kafka_servers: str, tmp_path: Path) -> None:
    port = free_port()
    with running(["serve"], serve_env(postgres_urls, port, kafka_servers), tmp_path, port) as (base, _log):
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
