"""The CAD Trust API key at rest: encrypted, never returned, never logged; plaintext keys migrated by 0010."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from sqlalchemy import column, create_engine, insert, select, table, text
from sqlalchemy.engine import make_url
from uuid6 import uuid7

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from services.cadt.adapters.orm import connections
from services.cadt.domain.model import ConnectionState
from services.cadt.service_layer.publisher import PublishPolicy
from services.migrations.runner import upgrade
from tenants.adapters.orm import tenants
from tests.cadt_standin.fixtures import RunningStandIn
from tests.conftest import TEST_SECRET, DatabaseUrls, _drop_database, new_tenant_command, settings_for
from tests.factories.auth import auth_header, bearer_token
from tests.integration.cadt.scenario import KEY, own, worked_example

WRONG = "wrong-key-9f1c2e"


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


def stored_key(platform: Platform, tenant_id: Any) -> str:
    with platform.database.transaction(tenant_id) as session:
        return str(session.scalar(select(connections.c.api_key).where(connections.c.tenant_id == tenant_id)))


def test_the_key_is_encrypted_at_rest_never_returned_and_never_logged(
    platform: Platform, cadt_node: RunningStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app: Flask = create_app(platform.settings, platform)
    example = worked_example(platform)
    code = example.tenant.code
    admin = auth_header(bearer_token(app, code, [Role.REGISTRY_ADMIN], mfa=True))
    path = f"/api/v1/registries/{code}/cadt/connection"
    options = {
        "registry_of_origin": "UNFCCC",
        "public_base_url": f"https://registry.example/{code}",
        "country": "Ghana",
    }
    answers = [app.test_client().put(path, json={"base_url": cadt_node.url, "api_key": WRONG, "enabled": True,
                                                  "options": options}, headers=admin)]  # fmt: skip
    example.sync()  # refused: the node expects KEY
    answers.append(app.test_client().get(path, headers=admin))
    assert answers[-1].json["state"] == ConnectionState.UNAUTHORIZED
    stored = stored_key(platform, example.tenant.id)
    assert stored.startswith("fernet:")
    assert WRONG not in stored
    body = {"base_url": cadt_node.url, "api_key": KEY, "enabled": True, "options": options}
    answers.append(app.test_client().put(path, json=body, headers=admin))
    assert own(wiring.retry_timer(platform).tick(), example.tenant.id) == {example.tenant.id: "published"}
    answers.append(app.test_client().get(path, headers=admin))
    answers.append(app.test_client().get(f"/api/v1/registries/{code}/cadt/records", headers=admin))
    assert answers[-2].json["state"] == ConnectionState.OK
    assert answers[-2].json["has_api_key"] is True
    assert KEY not in stored_key(platform, example.tenant.id)
    assert caplog.records, "the flow logged nothing: the grep below would prove nothing"
    for secret in (WRONG, KEY):
        assert secret not in caplog.text
        assert not [a for a in answers if secret in a.get_data(as_text=True)]


def test_an_unreadable_key_asks_for_the_key_again_instead_of_failing(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url)
    other = settings_for(DatabaseUrls(platform.settings.database_url, platform.settings.database_url, "x"),
                         secret_key="another-secret-key-that-is-long-enough-42")  # fmt: skip
    changed = Platform(settings=other, database=platform.database, catalogue=platform.catalogue)
    connection = wiring.cadt_for(changed).store(example.tenant.id).connection()
    assert connection is not None
    assert connection.api_key == ""
    assert wiring.cadt_for(changed).publisher(example.tenant.id).publish().outcome == "unauthorized"


def _database_at(request: pytest.FixtureRequest, tmp_path: Path, revision: str) -> Iterator[DatabaseUrls]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        upgrade(url, "registry_app", revision)
        yield DatabaseUrls(url, url, "registry_app")
        return
    server: DatabaseUrls = request.getfixturevalue("postgres_server")
    name = f"registry_test_{uuid7().hex[-12:]}"
    admin = create_engine(server.owner, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        connection.execute(text(f'GRANT CONNECT ON DATABASE "{name}" TO "{server.app_role}"'))
    owner = make_url(server.owner).set(database=name).render_as_string(hide_password=False)
    app = make_url(server.app).set(database=name).render_as_string(hide_password=False)
    upgrade(owner, server.app_role, revision)
    try:
        yield DatabaseUrls(app, owner, server.app_role)
    finally:
        _drop_database(admin, name)
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def before_0010(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseUrls]:
    yield from _database_at(request, tmp_path, "0008")


def tenant_as_of_0009(platform: Platform) -> UUID:
    """A registry written with the columns its table had before 0010, not today's catalogue."""
    command = new_tenant_command()
    row = {"id": uuid7(), "code": command.code, "party": command.party, "registry_id": command.registry_id,
           "name": command.name, "status": "active", "database_url": None, "settings": {}, "is_demo": False,
           "created_at": datetime.now(UTC), "status_changed_at": None}  # fmt: skip
    old_shape = table("tenants", *(column(name, tenants.c[name].type) for name in row))
    with platform.database.transaction(None) as session:
        session.execute(insert(old_shape).values(**row))
    tenant_id: UUID = row["id"]  # type: ignore[assignment]
    return tenant_id


def test_the_migration_encrypts_plaintext_keys(before_0010: DatabaseUrls, monkeypatch: pytest.MonkeyPatch) -> None:
    platform = Platform.from_settings(settings_for(before_0010))
    try:
        tenant_id = tenant_as_of_0009(platform)
        row = {"tenant_id": tenant_id, "base_url": "http://node", "api_key": "plain-node-key", "organization_id": "",
               "data_model_version": "v1", "enabled": True, "options": {}, "state": "ok", "state_detail": "",
               "failures": 0, "updated_at": datetime.now(UTC)}  # fmt: skip
        old_shape = table("cadt_connections", *(column(name, connections.c[name].type) for name in row))
        with platform.database.transaction(tenant_id) as session:
            session.execute(insert(old_shape).values(**row))
        monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
        upgrade(before_0010.owner, before_0010.app_role)
        assert stored_key(platform, tenant_id).startswith("fernet:")
        connection = wiring.cadt_for(platform).store(tenant_id).connection()
        assert connection is not None
        assert connection.api_key == "plain-node-key"
        assert (connection.retries, connection.retry_at) == (0, None)
    finally:
        platform.close()
