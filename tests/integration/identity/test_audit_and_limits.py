"""Audit of mutating calls and refused access; rate limits, body size, CORS and security headers."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.conftest import DatabaseUrls, engine_for
from tests.factories.auth import auth_header, bearer_token, realm_path
from tests.integration.identity.conftest import new_tenant

NEW_USER = {"username": "kofi", "password": "a long enough password", "roles": ["auditor"]}


def test_mutating_calls_and_refusals_are_audited(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    admin = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN])
    approver = bearer_token(app, tenant.code, [Role.APPROVER])
    http.post(f"{realm_path(tenant.code)}/users", json=NEW_USER, headers=auth_header(admin))
    http.post(f"{realm_path(tenant.code)}/users", json=NEW_USER, headers=auth_header(approver))
    http.post(f"{realm_path(tenant.code)}/users", json=NEW_USER)
    auditor = bearer_token(app, tenant.code, [Role.AUDITOR])
    entries = http.get(
        f"{realm_path(tenant.code)}/audit-events",
        query_string={"action": "POST /api/v1/registries/{registry}/users"},
        headers=auth_header(auditor),
    ).get_json()
    assert [(e["status"], e["outcome"]) for e in entries] == [(401, "denied"), (403, "denied"), (201, "success")]
    assert entries[2]["actor"] != "anonymous"
    assert entries[0]["actor"] == "anonymous"


def test_the_audit_log_is_for_auditors_and_administrators(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    url = f"{realm_path(tenant.code)}/audit-events"
    assert http.get(url, headers=auth_header(bearer_token(app, tenant.code, [Role.APPROVER]))).status_code == 403
    assert http.get(url, headers=auth_header(bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN]))).status_code == 200


@pytest.mark.postgres
def test_the_app_role_cannot_alter_the_audit_log(postgres_urls: DatabaseUrls) -> None:
    with engine_for(postgres_urls.app) as engine:
        for statement in ("update audit_events set actor = 'x'", "delete from audit_events"):
            with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as connection:
                connection.execute(text(statement))
        for statement in ("update platform_audit_events set actor = 'x'", "delete from platform_audit_events"):
            with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as connection:
                connection.execute(text(statement))


def test_rate_limits_answer_429_with_retry_after(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    app.config["RATE_LIMIT_PER_CLIENT_PER_MINUTE"] = 3
    app.extensions.pop("auth.limiter", None)
    answers = [http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(token)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[3].mimetype == "application/problem+json"
    assert int(answers[3].headers["Retry-After"]) >= 1


def test_a_registry_has_its_own_limit(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    tokens = [bearer_token(app, tenant.code, [Role.AUDITOR]) for _ in range(3)]
    app.config["RATE_LIMIT_PER_TENANT_PER_MINUTE"] = 2
    app.extensions.pop("auth.limiter", None)
    answers = [http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(t)) for t in tokens]
    assert answers[-1].status_code == 429
    assert "registry" in answers[-1].get_json()["detail"]


def test_a_too_large_body_is_problem_json(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN])
    big = {"username": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10), "password": "p", "roles": []}
    answer = http.post(f"{realm_path(tenant.code)}/users", json=big, headers=auth_header(token))
    assert answer.status_code == 413
    assert answer.mimetype == "application/problem+json"


def test_cors_is_closed_unless_the_registry_opens_it(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    origin = "https://portal.example.org"
    closed = http.get(f"{realm_path(tenant.code)}", headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in closed.headers
    opened = new_tenant(app, cors_origins=[origin])
    allowed = http.options(
        f"{realm_path(opened.code)}/users", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == origin
    assert "Authorization" in allowed.headers["Access-Control-Allow-Headers"]
    other = http.get(f"{realm_path(opened.code)}", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_security_headers_on_every_answer(http: FlaskClient, tenant: Tenant) -> None:
    for path in (f"{realm_path(tenant.code)}/users", f"{realm_path(tenant.code)}/oauth/jwks.json", "/healthz"):
        headers = http.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
