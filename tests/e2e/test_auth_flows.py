"""A real `registry serve` process on PostgreSQL: sign in with the login form and PKCE, call the API,
revoke the token, and get a machine token with client credentials."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.conftest import TEST_SECRET, DatabaseUrls, new_tenant_command, settings_for
from tests.e2e.processes import Browser, free_port, running, sign_in_over_http
from tests.factories.auth import PASSWORD, ensure_user, machine_client

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@pytest.fixture
def seeded(postgres_urls: DatabaseUrls) -> dict[str, str]:
    app = create_app(settings_for(postgres_urls))
    try:
        tenant = platform_of(app).catalogue.create(new_tenant_command())
        user = ensure_user(app, tenant.code, [Role.AUDITOR])
        client_id, secret = machine_client(app, tenant.code, [Role.AUDITOR])
    finally:
        platform_of(app).close()
    return {"tenant": tenant.code, "username": user.username, "client_id": client_id, "secret": secret}


def test_sign_in_call_and_revoke_against_a_real_process(
    postgres_urls: DatabaseUrls, seeded: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    env: dict[str, str | None] = {
        "REGISTRY_PORT": str(port),
        "REGISTRY_WORKERS": "1",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": postgres_urls.app,
        "DATABASE_OWNER_URL": postgres_urls.owner,
        "KAFKA_BOOTSTRAP_SERVERS": None,
    }
    with running(["serve"], env, tmp_path, port) as (base, _log):
        realm = f"{base}/api/v1/registries/{seeded['tenant']}"
        browser = Browser()
        token = sign_in_over_http(base, seeded["tenant"], seeded["username"], PASSWORD)["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert browser.send(f"{realm}/users", headers=bearer)[0] == 200
        assert browser.send(f"{realm}/oauth/revoke", data={"token": token, "client_id": "registry-console"})[0] == 200
        status, _headers, body = browser.send(f"{realm}/users", headers=bearer)
        assert (status, json.loads(body)["code"]) == (401, "auth.token_revoked")

        basic = base64.b64encode(f"{seeded['client_id']}:{seeded['secret']}".encode()).decode()
        status, _headers, body = browser.send(
            f"{realm}/oauth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        assert status == 200, body
        machine = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
        assert browser.send(f"{realm}/audit-events", headers=machine)[0] == 200
