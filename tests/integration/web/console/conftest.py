"""A registry with units for the console: seeded through the ledger's bus, with signed-in test clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from uuid6 import uuid7

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from tenants.domain.model import Tenant
from tests.conftest import DatabaseUrls, settings_for
from tests.factories.auth import ensure_user
from tests.integration.web.public.seed import registry, seed
from tests.integration.web.test_browser_session import sign_in

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ACTOR = UUID("00000000-0000-7000-8000-0000000000a2")


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


@dataclass
class World:
    app: Flask
    tenant: Tenant
    accounts: dict[str, UUID]
    organization: UUID
    retirement_id: UUID

    @property
    def root(self) -> str:
        return f"/registries/{self.tenant.code}/console"

    def client(self, *roles: Role, organization_id: UUID | None = None) -> FlaskClient:
        user = ensure_user(self.app, self.tenant.code, roles, organization_id=organization_id)
        client = self.app.test_client()
        sign_in(client, f"{self.root}/login", user.username)
        return client


def csrf(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return str(session["csrf"])


def counts(world: World) -> dict[str, Any]:
    from tests.integration.ledger_api.world import Registry

    return Registry(world.app, world.tenant).counts()


@pytest.fixture
def world(app: Flask) -> World:
    platform: Platform = platform_of(app)
    tenant = registry(platform)
    seeded = seed(platform, tenant)
    bus = platform.ledger.bus(platform.ledger_tenant(tenant))
    organization = uuid7()
    ensure_user(app, tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=organization)
    accounts = dict(seeded.accounts)
    for key, holder in (("holder", organization), ("other", uuid7())):
        opened = bus.handle(
            commands.OpenAccount(actor_id=ACTOR, account_type=AccountType.ENTITY_HOLDING, name=key, holder_id=holder)
        )
        accounts[key] = UUID(opened.record_id)
    bus.handle(
        commands.TransferUnits(
            actor_id=ACTOR, source_account_id=accounts["party"], destination_account_id=accounts["holder"], quantity=100
        )
    )
    return World(app, tenant, accounts, organization, seeded.retirement_id)


Signer = Callable[..., FlaskClient]
