"""Whether a token is refused is read once per process and kept at most REFUSAL_TTL seconds: two platform
instances (two workers) on one database, the second with a fake clock for its cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from gateway.app import create_app
from gateway.auth.clients import CONSOLE_CLIENT_ID
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from services.identity.service_layer.refusals import REFUSAL_TTL, RefusalCache
from tests.conftest import DatabaseUrls, new_tenant_command, settings_for
from tests.factories.auth import auth_header, bearer_token, ensure_user, realm_path, sign_in


class FakeTimer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def timer() -> FakeTimer:
    return FakeTimer()


@pytest.fixture
def instances(database_urls: DatabaseUrls, timer: FakeTimer) -> Iterator[tuple[Flask, Flask]]:
    first, second = create_app(settings_for(database_urls)), create_app(settings_for(database_urls))
    platform_of(second).identity.refusals = RefusalCache(timer=timer)
    yield first, second
    for app in (first, second):
        platform_of(app).close()


def revocation_reads(app: Flask) -> list[str]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "revoked_tokens" in statement:
            seen.append(statement)

    event.listen(platform_of(app).database.engine, "before_cursor_execute", record)
    return seen


def me(http: FlaskClient, code: str, token: str) -> Any:
    return http.get(f"{realm_path(code)}/me", headers=auth_header(token))


def test_a_token_is_checked_for_revocation_once_within_the_bound(
    instances: tuple[Flask, Flask], timer: FakeTimer
) -> None:
    _, second = instances
    code = platform_of(second).catalogue.create(new_tenant_command()).code
    token = bearer_token(second, code, [Role.AUDITOR])
    reads = revocation_reads(second)
    http = second.test_client()

    assert [me(http, code, token).status_code for _ in range(3)] == [200, 200, 200]
    assert len(reads) == 1
    timer.now += REFUSAL_TTL
    assert me(http, code, token).status_code == 200
    assert len(reads) == 2


def test_a_token_revoked_on_one_instance_is_refused_by_the_other_within_the_bound(
    instances: tuple[Flask, Flask], timer: FakeTimer
) -> None:
    first, second = instances
    code = platform_of(first).catalogue.create(new_tenant_command()).code
    token = bearer_token(first, code, [Role.AUDITOR])
    one, two = first.test_client(), second.test_client()
    assert (me(one, code, token).status_code, me(two, code, token).status_code) == (200, 200)

    revoked = one.post(f"{realm_path(code)}/oauth/revoke", data={"token": token, "client_id": CONSOLE_CLIENT_ID})
    assert revoked.status_code == 200
    assert me(one, code, token).get_json()["code"] == "auth.token_revoked"
    timer.now += REFUSAL_TTL
    refused = me(two, code, token)
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "auth.token_revoked"


def test_a_person_disabled_on_one_instance_is_refused_by_the_other_within_the_bound(
    instances: tuple[Flask, Flask], timer: FakeTimer
) -> None:
    first, second = instances
    code = platform_of(first).catalogue.create(new_tenant_command()).code
    admin = bearer_token(first, code, [Role.REGISTRY_ADMIN])
    person = ensure_user(first, code, [Role.AUDITOR])
    token = sign_in(first, code, person.username)["access_token"]
    one, two = first.test_client(), second.test_client()
    assert me(two, code, token).status_code == 200

    disabled = one.post(f"{realm_path(code)}/users/{person.id}/disable", headers=auth_header(admin))
    assert disabled.status_code == 200
    assert me(one, code, token).get_json()["code"] == "auth.token_revoked"
    timer.now += REFUSAL_TTL
    refused = me(two, code, token)
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "auth.token_revoked"
