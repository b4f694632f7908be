"""Access logs and request metrics: one JSON line per request, labels bounded by routes and registries."""

from __future__ import annotations

import json
import logging
from uuid import uuid4

import pytest
from pythonjsonlogger.json import JsonFormatter

from gateway.app import create_app
from gateway.bootstrap import Platform
from tests.conftest import new_tenant_command
from tests.integration.events.test_metrics import sample

FIELDS = ("method", "route", "status", "duration_ms", "registry", "client_id", "request_id")


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    formatter = JsonFormatter("%(message)s", timestamp=False)
    records = [r for r in caplog.records if r.name == "registry.access"]
    return [json.loads(formatter.format(record)) for record in records]


def test_each_request_logs_one_json_line_with_its_route_template(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    client = create_app(platform.settings, platform).test_client()
    caplog.set_level(logging.INFO, logger="registry.access")

    account = uuid4()
    path = f"/api/v1/registries/{tenant.code}/accounts/{account}"
    answer = client.get(path, headers={"X-Request-Id": "req-12345678"})

    [line] = access_lines(caplog)
    assert set(FIELDS) <= set(line)
    assert line["method"] == "GET"
    assert line["route"] == "/api/v1/registries/<string:registry>/accounts/<uuid:account_id>"
    assert (line["status"], line["registry"], line["request_id"]) == (answer.status_code, tenant.code, "req-12345678")
    assert isinstance(line["duration_ms"], float)


def test_metrics_count_requests_per_route_and_registry_with_bounded_labels(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    client = create_app(platform.settings, platform).test_client()
    accounts = "/api/v1/registries/<string:registry>/accounts"

    client.get(f"/api/v1/registries/{tenant.code}/accounts")
    client.get(f"/api/v1/registries/{tenant.code}/accounts")
    for n in range(3):
        client.get(f"/api/v1/registries/nosuch{n}/accounts")
        client.get(f"/no/such/path/{n}")
    text = client.get("/metrics").text

    counted = "registry_http_requests_total"
    assert sample(text, counted, method="GET", registry=tenant.code, route=accounts, status="401") == 2
    assert sample(text, counted, method="GET", registry="unknown", route=accounts, status="404") == 3
    assert sample(text, counted, method="GET", registry="unknown", route="unmatched", status="404") == 3
    assert "nosuch" not in text
    assert "/no/such" not in text
    assert "# TYPE registry_http_request_duration_seconds histogram" in text
