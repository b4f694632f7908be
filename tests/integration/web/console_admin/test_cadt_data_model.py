"""The console's CAD Trust form chooses the data model a registry publishes with: v1 (the default) or v2."""

from __future__ import annotations

from flask import Flask

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from gateway.bootstrap.cadt import cadt_for
from tenants.domain.model import Tenant
from tests.cadt_standin.fixtures import RunningStandIn, cadt_node  # noqa: F401 - fixture
from tests.cadt_standin.server import ORG_UID
from tests.integration.web.console_admin.conftest import SignedIn, console, csrf


def test_the_form_offers_v1_and_v2_and_saves_the_choice(
    app: Flask,
    tenant: Tenant,
    signed_in: SignedIn,
    cadt_node: RunningStandIn,  # noqa: F811 - fixture
) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    page = client.get(console(tenant, "/cadt")).get_data(as_text=True)
    assert 'name="data_model_version"' in page
    assert 'value="v2"' in page
    form = {"base_url": cadt_node.url, "api_key": "test-key", "organization_id": ORG_UID, "enabled": "on"}

    def save(**changes: str) -> int:
        data = {"csrf_token": csrf(client), **form, **changes, "action": "save"}
        return client.post(console(tenant, "/cadt/connection"), data=data).status_code

    store = cadt_for(platform_of(app)).store(tenant.id)
    assert save() == 303
    assert store.connection().data_model_version == "v1"  # type: ignore[union-attr]
    assert save(data_model_version="v2") == 303
    assert store.connection().data_model_version == "v2"  # type: ignore[union-attr]
    assert 'value="v2" selected' in client.get(console(tenant, "/cadt")).get_data(as_text=True)
    assert save(data_model_version="v3") == 422
    assert store.connection().data_model_version == "v2"  # type: ignore[union-attr]
