"""What an audit entry costs its request on PostgreSQL (issue 17): its tenant binding, its INSERT and the
COMMIT travel in one pipelined round trip, without an ORM session or SQLAlchemy's execution of any of them;
and the entry is still written, whole, for every mutating request and every refusal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from services.shared.db.statements import PsycopgStatements
from tests.conftest import DatabaseUrls, settings_for
from tests.factories.auth import auth_header, bearer_token, realm_path
from tests.integration.identity.conftest import new_tenant

NEW_USER = {"username": "ama", "password": "a long enough password", "roles": ["auditor"]}


@pytest.fixture
def postgres_app(postgres_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(postgres_urls))
    yield built
    platform_of(built).close()


@contextmanager
def sent_sql(app: Flask) -> Iterator[tuple[list[str], list[str]]]:
    """The SQL sent meanwhile: (through SQLAlchemy's execution, through the pipelines of `PsycopgStatements`)."""
    platform: Platform = platform_of(app)
    engine, executed, pipelined = platform.database.engine, [], []

    def executing(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        executed.append(statement)

    event.listen(engine, "before_cursor_execute", executing)
    PsycopgStatements.observers.append(pipelined.append)
    try:
        yield executed, pipelined
    finally:
        PsycopgStatements.observers.remove(pipelined.append)
        event.remove(engine, "before_cursor_execute", executing)


def audit_sql(statements: list[str]) -> list[str]:
    return [s for s in statements if "audit_events" in s]


@pytest.mark.postgres
def test_an_audit_entry_is_bound_inserted_and_committed_in_one_pipeline(postgres_app: Flask) -> None:
    tenant, http = new_tenant(postgres_app), postgres_app.test_client()
    admin = bearer_token(postgres_app, tenant.code, [Role.REGISTRY_ADMIN])

    with sent_sql(postgres_app) as (executed, pipelined):
        answer = http.post(f"{realm_path(tenant.code)}/users", json=NEW_USER, headers=auth_header(admin))

    assert answer.status_code == 201
    assert audit_sql(executed) == []
    inserted = [i for i, sql in enumerate(pipelined) if "INSERT INTO audit_events" in sql]
    assert len(inserted) == 1
    assert "set_config('app.tenant_id'" in pipelined[inserted[0] - 1]


@pytest.mark.postgres
def test_a_platform_audit_entry_skips_sqlalchemy_too(postgres_app: Flask) -> None:
    http = postgres_app.test_client()

    with sent_sql(postgres_app) as (executed, pipelined):
        answer = http.post("/api/v1/platform/tenants", json={"code": "xx", "name": "X"})

    assert answer.status_code == 401
    assert audit_sql(executed) == []
    assert len([sql for sql in pipelined if "INSERT INTO platform_audit_events" in sql]) == 1


def test_every_field_of_an_entry_is_written(app: Flask, http: FlaskClient) -> None:
    tenant = new_tenant(app)
    admin = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN])
    headers = {**auth_header(admin), "X-Request-ID": "req-audit-1"}
    http.post(f"{realm_path(tenant.code)}/users", json=NEW_USER, headers=headers)
    auditor = bearer_token(app, tenant.code, [Role.AUDITOR])

    entries = http.get(f"{realm_path(tenant.code)}/audit-events", headers=auth_header(auditor)).get_json()

    created = next(e for e in entries if e["status"] == 201)
    assert created["action"] == "POST /api/v1/registries/{registry}/users"
    assert created["target"] == f"{realm_path(tenant.code)}/users"
    assert created["outcome"] == "success"
    assert created["request_id"] == "req-audit-1"
    assert created["actor"]
    assert created["actor"] != "anonymous"
