"""CAD Trust set-up in the console: test the connection, see what is wrong and what to do, save only what works."""

from __future__ import annotations

from flask import Flask

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from gateway.bootstrap.cadt import cadt_for
from tenants.domain.model import Tenant
from tests.cadt_standin.fixtures import RunningStandIn, cadt_node  # noqa: F401 - fixture
from tests.cadt_standin.server import ORG_UID
from tests.integration.web.console_admin.conftest import SignedIn, console, csrf


def test_an_administrator_tests_the_connection_and_saves_it_once_it_works(
    app: Flask,
    tenant: Tenant,
    signed_in: SignedIn,
    cadt_node: RunningStandIn,  # noqa: F811 - fixture
) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    form = {"base_url": cadt_node.url, "api_key": "wrong", "organization_id": ORG_UID, "enabled": "on"}

    def submit(action: str, **changes: str) -> tuple[int, str]:
        data = {"csrf_token": csrf(client), **form, **changes, "action": action}
        answer = client.post(console(tenant, "/cadt/connection"), data=data)
        return answer.status_code, answer.get_data(as_text=True)

    status, html = submit("test")
    assert status == 200
    assert "Connection test failed." in html
    assert "The node refused the API key (403)." in html
    assert "CADT_API_KEY" in html
    cadt_node.node.organizations = {}
    status, html = submit("save", api_key="test-key")
    assert status == 422
    assert f"The node holds no organization {ORG_UID}" in html
    assert "Create the organization on the node first" in html
    store = cadt_for(platform_of(app)).store(tenant.id)
    assert store.connection() is None  # nothing saved
    cadt_node.node.organizations = {ORG_UID: {"orgUid": ORG_UID, "name": "Ghana registry", "isHome": True}}
    status, html = submit("test", api_key="test-key")
    assert "Connection test passed." in html
    assert "test-key" not in html
    status, _ = submit("save", api_key="test-key")
    assert status == 303
    connection = store.connection()
    assert connection is not None
    assert (connection.base_url, connection.organization_id, connection.enabled) == (cadt_node.url, ORG_UID, True)
    assert connection.api_key == "test-key"
    page = client.get(console(tenant, "/cadt")).get_data(as_text=True)
    assert "The CAD Trust connection is saved." in page
    assert "test-key" not in page


def test_others_cannot_set_up_cad_trust(tenant: Tenant, signed_in: SignedIn) -> None:
    client = signed_in([Role.AUDITOR])
    data = {"csrf_token": csrf(client), "base_url": "http://x", "organization_id": "o", "action": "test"}
    assert client.post(console(tenant, "/cadt/connection"), data=data).status_code == 403
