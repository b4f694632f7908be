"""The README's run command serves the embedded demo platform."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.processes import free_port, get, running

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
