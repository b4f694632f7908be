"""Setting up CAD Trust: `registry cadt connect` and the API's connection test say what is wrong and what to do."""

from __future__ import annotations

import socket

from flask import Flask

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from tests.cadt_standin.fixtures import RunningStandIn
from tests.cadt_standin.server import ORG_UID
from tests.conftest import DatabaseUrls, new_tenant_command
from tests.factories.auth import auth_header, bearer_token
from tests.integration.cadt.test_backfill_cli import cli_platform, registry, urls  # noqa: F401 - fixtures


def closed_port_url() -> str:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_connect_tests_the_node_and_saves_nothing_until_it_answers_as_it_should(
    urls: DatabaseUrls,  # noqa: F811 - fixture
    cli_platform: Platform,  # noqa: F811 - fixture
    cadt_node: RunningStandIn,
) -> None:
    tenant = cli_platform.catalogue.create(new_tenant_command())
    store = wiring.cadt_for(cli_platform).store(tenant.id)
    args = ("connect", "--registry", tenant.code, "--url", cadt_node.url, "--org-uid", ORG_UID)

    wrong_key = registry(urls, *args, "--api-key", "wrong")
    assert wrong_key.exit_code == 1
    assert "unauthorized: The node refused the API key (403)" in wrong_key.output
    assert "CADT_API_KEY" in wrong_key.output

    down = registry(urls, *args[:4], closed_port_url(), *args[5:], "--api-key", "test-key")
    assert down.exit_code == 1
    assert "unreachable: No CAD Trust node answered" in down.output

    cadt_node.node.organizations = {}
    missing = registry(urls, *args, "--api-key", "test-key")
    assert missing.exit_code == 1
    assert f"organization_missing: The node holds no organization {ORG_UID}" in missing.output
    assert "Create the organization on the node first" in missing.output
    assert store.connection() is None  # nothing saved

    cadt_node.node.organizations = {ORG_UID: {"orgUid": ORG_UID, "name": "Ghana registry", "isHome": True}}
    connected = registry(urls, *args, "--api-key", "test-key", "--enable")
    assert connected.exit_code == 0, connected.output
    assert "the node holds organization Ghana registry" in connected.output
    connection = store.connection()
    assert connection is not None
    assert (connection.base_url, connection.organization_id, connection.enabled) == (cadt_node.url, ORG_UID, True)
    assert connection.api_key == "test-key"


def test_the_console_api_tests_a_connection_with_the_stored_key_and_names_the_problem(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    app: Flask = create_app(platform.settings, platform)
    tenant = platform.catalogue.create(new_tenant_command())
    admin = auth_header(bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True))
    path = f"/api/v1/registries/{tenant.code}/cadt/connection/check"
    body = {"base_url": cadt_node.url, "api_key": "test-key", "organization_id": ORG_UID}
    answer = app.test_client().post(path, json=body, headers=admin)
    assert answer.status_code == 200
    assert (answer.json["ok"], answer.json["outcome"]) == (True, "ok")
    wrong = app.test_client().post(path, json=body | {"api_key": "wrong"}, headers=admin).json
    assert (wrong["ok"], wrong["outcome"]) == (False, "unauthorized")
    assert "CADT_API_KEY" in wrong["next_step"]
    other = app.test_client().post(path, json=body | {"organization_id": "another-org"}, headers=admin).json
    assert other["outcome"] == "organization_missing"
    assert ORG_UID in other["detail"]  # the organizations the node does hold
    auditor = auth_header(bearer_token(app, tenant.code, [Role.AUDITOR], mfa=True))
    assert app.test_client().post(path, json=body, headers=auditor).status_code == 403
    bad = app.test_client().post(path, json={"base_url": "not a url", "organization_id": ORG_UID}, headers=admin)
    assert bad.status_code == 422
    assert bad.headers["Content-Type"].startswith("application/problem+json")
