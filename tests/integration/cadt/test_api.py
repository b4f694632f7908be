"""The administrators' CAD Trust API: connection settings with a write-only key, publishing on/off, sync status."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from services.cadt.service_layer.publisher import PublishPolicy
from tests.cadt_standin.fixtures import RunningStandIn
from tests.factories.auth import auth_header, bearer_token
from tests.integration.cadt.scenario import worked_example

SECRET = "s3cret-node-key"


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


@pytest.fixture
def app(platform: Platform) -> Flask:
    return create_app(platform.settings, platform)


def settings(url: str, **overrides: Any) -> dict[str, Any]:
    options = {"registry_of_origin": "UNFCCC", "public_base_url": "https://registry.example/x", "country": "Ghana"}
    return {"base_url": url, "api_key": SECRET, "enabled": True, "options": options} | overrides


def test_the_key_is_write_only_and_never_logged(
    app: Flask, platform: Platform, cadt_node: RunningStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    example = worked_example(platform)
    code = example.tenant.code
    admin = auth_header(bearer_token(app, code, [Role.REGISTRY_ADMIN], mfa=True))
    client = app.test_client()
    path = f"/api/v1/registries/{code}/cadt/connection"
    assert client.get(path, headers=admin).json["code"] == "cadt.not_configured"
    answer = client.put(path, json=settings(cadt_node.url), headers=admin)
    assert answer.status_code == 200, answer.json
    assert answer.json["has_api_key"] is True
    assert SECRET not in answer.get_data(as_text=True)
    kept = client.put(path, json={k: v for k, v in settings(cadt_node.url).items() if k != "api_key"}, headers=admin)
    assert kept.json["has_api_key"] is True
    example.sync()  # the node refuses SECRET: it expects "test-key"
    status = client.get(path, headers=admin).json
    assert status["state"] == "unauthorized"
    assert "refused the API key" in status["state_detail"]
    assert SECRET not in status.values()
    assert SECRET not in caplog.text


def test_bad_settings_are_refused_with_a_field(app: Flask, platform: Platform, cadt_node: RunningStandIn) -> None:
    code = worked_example(platform).tenant.code
    admin = auth_header(bearer_token(app, code, [Role.REGISTRY_ADMIN], mfa=True))
    path = f"/api/v1/registries/{code}/cadt/connection"
    no_key = {k: v for k, v in settings(cadt_node.url).items() if k != "api_key"}
    answer = app.test_client().put(path, json=no_key, headers=admin)
    assert (answer.status_code, answer.json["code"], answer.json["field"]) == (422, "cadt.invalid_settings", "api_key")
    wrong_version = app.test_client().put(path, json=settings(cadt_node.url, data_model_version="v3"), headers=admin)
    assert wrong_version.status_code == 422
    assert app.test_client().get(path, headers=admin).status_code == 404  # nothing was stored


def test_only_registry_administrators_see_or_change_it(app: Flask, platform: Platform) -> None:
    code = worked_example(platform).tenant.code
    other = auth_header(bearer_token(app, code, [Role.AUDITOR], mfa=True))
    path = f"/api/v1/registries/{code}/cadt/connection"
    assert app.test_client().get(path, headers=other).status_code == 403
    assert app.test_client().put(path, json=settings("http://x"), headers=other).status_code == 403


def test_records_show_their_sync_status(app: Flask, platform: Platform, cadt_node: RunningStandIn) -> None:
    example = worked_example(platform)
    code = example.tenant.code
    admin = auth_header(bearer_token(app, code, [Role.REGISTRY_ADMIN], mfa=True))
    body = settings(cadt_node.url, api_key="test-key")
    body["options"]["country"] = "Narnia"
    app.test_client().put(f"/api/v1/registries/{code}/cadt/connection", json=body, headers=admin)
    example.sync()
    base = f"/api/v1/registries/{code}/cadt/records"
    invalid = app.test_client().get(f"{base}?kind=project&status=invalid", headers=admin).json
    assert [p["field"] for p in invalid[0]["problems"]] == ["projectLocations[0].country"]
    assert "Ghana" in invalid[0]["problems"][0]["allowed"]
    body["options"]["country"] = "Ghana"
    app.test_client().put(f"/api/v1/registries/{code}/cadt/connection", json=body, headers=admin)
    wiring.cadt_for(platform).publisher(example.tenant.id).publish()
    records = app.test_client().get(base, headers=admin).json
    assert {r["status"] for r in records} == {"published"}
    assert all(r["cadt_id"] for r in records)
    counts = app.test_client().get(f"/api/v1/registries/{code}/cadt/connection", headers=admin).json["records"]
    assert counts == {"published": 7}
