"""A training registry is never published to CAD Trust: configuring it is refused, and even a connection
that exists publishes nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from uuid6 import uuid7

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from gateway.bootstrap import cadt as wiring
from gateway.demo_data import seed_ledger
from gateway.training.seed import seed_training_registry
from tenants.domain.model import TenantKind
from tests.cadt_standin.fixtures import RunningStandIn
from tests.conftest import new_tenant_command
from tests.factories.auth import auth_header, bearer_token, ensure_user
from tests.integration.cadt.scenario import Example
from tests.integration.cadt.test_api import settings
from tests.integration.web.test_browser_session import sign_in


@pytest.fixture
def platform(app: Flask) -> Platform:
    found: Platform = platform_of(app)
    return found


def seeded(platform: Platform, kind: TenantKind) -> Example:
    tenant = platform.catalogue.create(new_tenant_command(kind=kind))
    if kind is TenantKind.TRAINING:
        seed_training_registry(platform, tenant)
    else:  # the demo's history in a production registry: the control that does publish
        seed_ledger(platform, tenant, uuid7())
    return Example(platform, tenant)


@pytest.mark.parametrize("path", ["/cadt/connection", "/cadt/connection/check"])
def test_configuring_cad_trust_for_a_training_registry_is_refused(
    app: Flask, platform: Platform, cadt_node: RunningStandIn, path: str
) -> None:
    example = seeded(platform, TenantKind.TRAINING)
    code = example.tenant.code
    admin = auth_header(bearer_token(app, code, [Role.REGISTRY_ADMIN], mfa=True))
    body = settings(cadt_node.url, api_key="test-key")
    if path.endswith("check"):
        body = {"base_url": cadt_node.url, "api_key": "test-key", "organization_id": "org-1"}
    method = app.test_client().post if path.endswith("check") else app.test_client().put
    answer = method(f"/api/v1/registries/{code}{path}", json=body, headers=admin)
    assert (answer.status_code, answer.get_json()["code"]) == (409, "training.route_closed")
    assert answer.mimetype == "application/problem+json"
    assert wiring.cadt_for(platform).store(example.tenant.id).connection() is None


@pytest.mark.parametrize(("kind", "published"), [(TenantKind.TRAINING, False), (TenantKind.PRODUCTION, True)])
def test_a_training_registry_with_a_connection_still_publishes_nothing(
    platform: Platform, cadt_node: RunningStandIn, kind: TenantKind, published: bool
) -> None:
    example = seeded(platform, kind)
    example.connect(cadt_node.url)  # below the API, which refuses it: as if made before the guard existed
    example.sync()
    result = wiring.cadt_for(platform).publisher(example.tenant.id).publish(force=True)
    assert bool(cadt_node.node.projects) is published
    assert bool(cadt_node.node.units) is published
    assert (result.outcome == "disabled") is not published


def test_the_console_cad_trust_page_of_a_training_registry_has_no_set_up_form(app: Flask, platform: Platform) -> None:
    trainee = seeded(platform, TenantKind.TRAINING).tenant
    client = app.test_client()
    root = f"/registries/{trainee.code}/console"
    sign_in(client, f"{root}/login", ensure_user(app, trainee.code, [Role.REGISTRY_ADMIN]).username)
    page = client.get(f"{root}/cadt").get_data(as_text=True)
    assert 'id="cadt-training"' in page
    assert f'action="{root}/cadt/connection"' not in page
