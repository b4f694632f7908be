"""The README's run command serves the embedded demo platform."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.processes import free_port, get, running, sign_in_over_http

pytestmark = pytest.mark.e2e


def test_demo_serves_health_readiness_openapi_docs_and_demo_registries(tmp_path: Path) -> None:
    port = free_port()
    env: dict[str, str | None] = {
        "REGISTRY_PORT": str(port),
        "SECRET_KEY": None,
        "REGISTRY_ENV": None,
        "DATABASE_URL": None,
        "DATABASE_OWNER_URL": None,
        "KAFKA_BOOTSTRAP_SERVERS": None,
    }
    with running(["demo"], env, tmp_path, port) as (base, log):
        assert get(f"{base}/healthz").json() == {"status": "ok"}
        ready = get(f"{base}/readyz")
        assert ready.status == 200
        assert ready.json()["checks"]["database"]["ok"] is True
        spec = get(f"{base}/api/v1/openapi.json").json()
        assert spec["openapi"] == "3.1.0"
        assert "/api/v1/registries/{registry}" in spec["paths"]
        docs = get(f"{base}/api/v1/docs")
        assert docs.status == 200
        assert b"/api/v1/docs/assets/swagger-ui-bundle.js" in docs.body
        assert get(f"{base}/api/v1/docs/assets/swagger-ui-bundle.js").status == 200
        host = get(f"{base}/api/v1/registries/demo-host").json()
        assert (host["registry_id"], host["is_demo"]) == ("GHA01", True)
        assert get(f"{base}/api/v1/registries/demo-buyer").json()["party"] == "CHE"
        missing = get(f"{base}/api/v1/registries/atlantis")
        assert missing.status == 404
        assert missing.headers["Content-Type"] == "application/problem+json"
        assert missing.json()["code"] == "resource.not_found"
        printed = log.read_text()
    assert f"http://127.0.0.1:{port}/api/v1/docs" in printed
    assert "DEMO" in printed


def test_demo_runs_the_whole_flow_and_people_can_sign_in(tmp_path: Path) -> None:
    """The demo's seeded history travels outbox → embedded relay → reporting consumer into the public
    pages, and the printed demo password signs the demo administrator in."""
    port = free_port()
    env: dict[str, str | None] = {"REGISTRY_PORT": str(port), "DATABASE_URL": None, "KAFKA_BOOTSTRAP_SERVERS": None}
    with running(["demo"], env, tmp_path, port) as (base, log):
        retirements = wait_for(lambda: get(f"{base}/api/v1/registries/demo-host/public/retirements").json()["items"])
        assert [r["beneficiary"] for r in retirements] == ["Accra Schools Trust (DEMO)"]
        assert get(f"{base}/readyz").json()["checks"]["events"]["outbox_pending"] == 0
        password = (tmp_path / "var" / "demo-password").read_text().strip()
        assert f"demo password {password}" in log.read_text()
        signed_in = sign_in_over_http(base, "demo-host", "demo-admin", password)
        assert signed_in["token_type"].lower() == "bearer"
        checkpoint = wait_for(lambda: _checkpoint_lines(f"{base}/api/v1/registries/demo-host/log/checkpoint"))
        assert checkpoint[0].startswith("carbon-registry/"), "the embedded sequencer signs the demo's checkpoints"
        assert int(checkpoint[1]) > 0, "the demo history is in the registry's transparency log"


def _checkpoint_lines(url: str) -> list[str]:
    answer = get(url)
    return answer.body.decode().splitlines() if answer.status == 200 else []


def wait_for(probe: Callable[[], list[Any]], seconds: float = 30) -> list[Any]:
    deadline = time.monotonic() + seconds
    while True:
        found = probe()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)
