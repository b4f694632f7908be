"""Generated from the OpenAPI document, so routes added later are covered without new code.

For every route x every role: the declared roles are the enforced ones; anonymous callers cannot
change anything; another registry's object answers exactly like a missing one; no list shows another
registry's rows; and a `tenant_id` in a request body is refused.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from services.identity.domain.roles import TENANT_ROLES
from tenants.domain.model import Tenant
from tests.conftest import DatabaseUrls, settings_for
from tests.factories.auth import auth_header, bearer_token
from tests.factories.resources import FACTORIES
from tests.integration.identity.conftest import new_tenant

MUTATING = {"post", "put", "patch", "delete"}
# Mutations that a signature in the body authorizes, not a login; anything unsigned is refused (4xx).
SIGNED_MUTATIONS = {
    "/api/v1/registries/{registry}/witness/add-checkpoint": "C2SP tlog-witness: the log's signed checkpoint",
}
PARAM = re.compile(r"\{([^}]+)\}")
SERVER_OWNED = ("tenant_id",)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    roles: frozenset[str]
    public: bool
    has_body: bool

    @property
    def in_registry(self) -> bool:
        return self.path.startswith("/api/v1/registries/{registry}")

    @property
    def id_params(self) -> list[str]:
        return [p for p in PARAM.findall(self.path) if p not in ("registry", "code")]


def operations(app: Flask) -> list[Operation]:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in MUTATING | {"get"}:
                continue
            security = operation.get("security")
            found.append(
                Operation(
                    method=method,
                    path=path,
                    roles=frozenset(operation.get("x-roles", [])),
                    public=security is None or {} in security,
                    has_body="requestBody" in operation,
                )
            )
    return found


@dataclass
class World:
    app: Flask
    http: FlaskClient
    own: Tenant
    foreign: Tenant
    spare: Tenant
    tokens: dict[str, str]
    own_ids: dict[str, str]
    foreign_ids: dict[str, str]
    foreign_markers: set[str]


@pytest.fixture
def world(database_urls: DatabaseUrls) -> Iterator[World]:
    app = create_app(settings_for(database_urls))
    app.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    own, foreign, spare = new_tenant(app), new_tenant(app), new_tenant(app)
    tokens = {role.value: bearer_token(app, own.code, [role], mfa=True) for role in TENANT_ROLES}
    tokens["platform_operator"] = bearer_token(app, None, [Role.PLATFORM_OPERATOR])
    foreign_tokens = [bearer_token(app, foreign.code, [role], mfa=True) for role in TENANT_ROLES]
    own_ids = {name: make(app, own.code) for name, make in FACTORIES.items()}
    foreign_ids = {name: make(app, foreign.code) for name, make in FACTORIES.items()}
    markers = {str(foreign.id), foreign.code, *foreign_ids.values(), *(_subject(t) for t in foreign_tokens)}
    yield World(app, app.test_client(), own, foreign, spare, tokens, own_ids, foreign_ids, markers)
    platform_of(app).close()


def _subject(token: str) -> str:
    import base64

    payload = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


def url(operation: Operation, world: World, tenant: Tenant, ids: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "registry":
            return tenant.code
        if name == "code":
            return world.spare.code
        return ids.get(name) or str(uuid.uuid4())

    return PARAM.sub(fill, operation.path)


def call(world: World, operation: Operation, path: str, token: str | None, body: Any = None) -> Any:
    headers = auth_header(token) if token else {}
    kwargs: dict[str, Any] = {"headers": headers}
    if operation.method in MUTATING:
        kwargs["json"] = {} if body is None else body
    return getattr(world.http, operation.method)(path, **kwargs)


def shape(answer: Any) -> tuple[int, list[str]]:
    body = answer.get_json(silent=True)
    keys = sorted(k for k in body if k != "request_id") if isinstance(body, dict) else [type(body).__name__]
    return answer.status_code, keys


def test_the_matrix(world: World) -> None:
    ops = operations(world.app)
    assert any(o.in_registry for o in ops), "no registry routes in the OpenAPI document"
    # Lists first: later calls write audit lines that quote foreign ids in their paths.
    _no_list_shows_another_registry(world, ops)
    for operation in ops:
        _declared_roles_are_enforced(world, operation)
        _anonymous_cannot_change_anything(world, operation)
        _foreign_answers_like_missing(world, operation)
        _server_owned_fields_are_refused(world, operation)


def _no_list_shows_another_registry(world: World, ops: list[Operation]) -> None:
    for operation in (o for o in ops if o.method == "get" and o.in_registry and not o.id_params):
        for role, token in world.tokens.items():
            answer = call(world, operation, url(operation, world, world.own, {}), token)
            text = answer.get_data(as_text=True)
            leaked = [m for m in world.foreign_markers if m in text]
            assert not leaked, f"GET {operation.path} as {role} shows another registry's data: {leaked}"


def _declared_roles_are_enforced(world: World, operation: Operation) -> None:
    path = url(operation, world, world.own, world.own_ids if operation.method == "get" else {})
    for role, token in world.tokens.items():
        status = call(world, operation, path, token).status_code
        where = f"{operation.method.upper()} {operation.path} as {role}"
        if operation.in_registry and role == "platform_operator" and not operation.public:
            assert status == 404, f"{where}: operators must not see a registry's data ({status})"
        elif operation.public or not operation.roles or role in operation.roles:
            assert status not in (401, 403), f"{where}: refused ({status}) though the role is declared"
        else:
            assert status == 403, f"{where}: answered {status}, not 403"


def _anonymous_cannot_change_anything(world: World, operation: Operation) -> None:
    if operation.public and operation.method not in MUTATING:
        return
    answer = call(world, operation, url(operation, world, world.own, {}), None)
    if operation.path in SIGNED_MUTATIONS:
        assert answer.status_code in (400, 404), (
            f"unsigned {operation.method.upper()} {operation.path}: {answer.status_code}"
        )
        return
    assert operation.method not in MUTATING or not operation.public, f"{operation.path}: a public mutation"
    assert answer.status_code == 401, f"anonymous {operation.method.upper()} {operation.path}: {answer.status_code}"


def _foreign_answers_like_missing(world: World, operation: Operation) -> None:
    if not operation.in_registry or not operation.id_params:
        return
    for role, token in world.tokens.items():
        foreign = call(world, operation, url(operation, world, world.own, world.foreign_ids), token)
        unknown = call(world, operation, url(operation, world, world.own, {}), token)
        where = f"{operation.method.upper()} {operation.path} as {role}"
        assert shape(foreign) == shape(unknown), f"{where}: foreign {shape(foreign)} vs unknown {shape(unknown)}"
        assert foreign.status_code != 200 or operation.method != "get" or not world.foreign_ids, where


def _server_owned_fields_are_refused(world: World, operation: Operation) -> None:
    if not operation.has_body or operation.method not in MUTATING or operation.path in SIGNED_MUTATIONS:
        return  # a signed mutation's body is a signed note, not JSON
    role = next(iter(sorted(operation.roles)), "registry_admin")
    token = world.tokens.get(role) or world.tokens["registry_admin"]
    path = url(operation, world, world.own, world.own_ids)
    for field in SERVER_OWNED:
        answer = call(world, operation, path, token, body={field: str(world.foreign.id)})
        assert answer.status_code == 422, f"{operation.path} accepted {field}: {answer.status_code}"
        assert field in json.dumps(answer.get_json().get("errors")), f"{operation.path}: {field} not named"
