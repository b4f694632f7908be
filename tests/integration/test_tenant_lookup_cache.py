"""The registry in a request's path is read from the catalogue at most every CATALOGUE_TTL seconds per
process: two platform instances (two workers) on one database, the second with a fake clock for its
catalogue, see each other's suspensions, archivals, settings and routes within that bound."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, update

from gateway.app import create_app
from gateway.bootstrap import platform_of
from services.shared.db.database import ROUTE_TTL
from tenants.adapters.orm import tenants as tenants_table
from tenants.domain.model import Tenant
from tenants.service_layer.catalogue import CATALOGUE_TTL, TenantCatalogue, change_settings
from tests.conftest import DatabaseUrls, new_tenant_command, settings_for

WRITE = "/api/v1/registries/{code}/transactions/domestic-transfers"


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
    platform = platform_of(second)
    platform.catalogue = TenantCatalogue(platform.database, timer=timer)
    yield first, second
    for app in (first, second):
        platform_of(app).close()


def catalogue_of(app: Flask) -> TenantCatalogue:
    found: TenantCatalogue = platform_of(app).catalogue
    return found


def new_tenant(app: Flask) -> Tenant:
    return catalogue_of(app).create(new_tenant_command())


def write(http: FlaskClient, code: str) -> Any:
    """An unauthenticated write: 401 on a served, active registry; the registry's state answers first."""
    return http.post(WRITE.format(code=code), json={})


def catalogue_reads(app: Flask) -> list[str]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "tenants.code" in statement:
            seen.append(statement)

    event.listen(platform_of(app).database.engine, "before_cursor_execute", record)
    return seen


def test_the_registry_of_a_request_is_read_once_within_the_bound(
    instances: tuple[Flask, Flask], timer: FakeTimer
) -> None:
    _, second = instances
    code = new_tenant(second).code
    reads = catalogue_reads(second)
    http = second.test_client()

    assert [write(http, code).status_code for _ in range(3)] == [401, 401, 401]
    assert len(reads) == 1
    timer.now += CATALOGUE_TTL
    assert write(http, code).status_code == 401
    assert len(reads) == 2


def test_a_registry_suspended_and_resumed_on_one_instance_is_so_on_the_other_within_the_bound(
    instances: tuple[Flask, Flask], timer: FakeTimer
) -> None:
    first, second = instances
    code = new_tenant(first).code
    one, two = first.test_client(), second.test_client()
    assert write(two, code).status_code == 401

    catalogue_of(first).change_status(code, "suspend")
    assert write(one, code).get_json()["code"] == "tenant.suspended"
    timer.now += CATALOGUE_TTL
    suspended = write(two, code)
    assert suspended.status_code == 409
    assert suspended.get_json()["code"] == "tenant.suspended"

    catalogue_of(first).change_status(code, "resume")
    timer.now += CATALOGUE_TTL
    assert write(two, code).status_code == 401


def test_a_registry_archived_on_one_instance_is_gone_from_the_other_within_the_bound(
    instances: tuple[Flask, Flask], timer: FakeTimer
) -> None:
    first, second = instances
    code = new_tenant(first).code
    two = second.test_client()
    assert write(two, code).status_code == 401

    catalogue_of(first).change_status(code, "suspend")
    catalogue_of(first).change_status(code, "archive")
    timer.now += CATALOGUE_TTL
    gone = write(two, code)
    assert gone.status_code == 404
    assert gone.get_json()["code"] == "resource.not_found"


def test_settings_changed_on_one_instance_are_seen_by_the_other_within_the_bound(
    instances: tuple[Flask, Flask], timer: FakeTimer
) -> None:
    first, second = instances
    code = new_tenant(first).code
    before = catalogue_of(second).lookup(code)
    assert before is not None
    assert before.settings["mfa_required_for"] != ["approvals"]

    change_settings(catalogue_of(first), code, {"mfa_required_for": ["approvals"]})
    timer.now += CATALOGUE_TTL
    after = catalogue_of(second).lookup(code)
    assert after is not None
    assert after.settings["mfa_required_for"] == ["approvals"]


def test_a_route_changed_on_one_instance_is_seen_by_the_other_within_the_bound(
    instances: tuple[Flask, Flask], timer: FakeTimer
) -> None:
    """What `registry tenants move` writes last; the move waits out ROUTE_TTL, which bounds the catalogue."""
    first, second = instances
    tenant = new_tenant(first)
    assert catalogue_of(second).lookup(tenant.code) is not None
    moved_to = "postgresql+psycopg://registry_app@elsewhere/registry_moved"
    try:
        route(first, tenant, moved_to)
        timer.now += CATALOGUE_TTL
        after = catalogue_of(second).lookup(tenant.code)
        assert after is not None
        assert after.database_url == moved_to
        assert CATALOGUE_TTL <= ROUTE_TTL
    finally:
        route(first, tenant, None)  # no other test may meet a route to a database that does not exist


def route(app: Flask, tenant: Tenant, database_url: str | None) -> None:
    with catalogue_of(app).database.transaction(None) as session:
        session.execute(update(tenants_table).where(tenants_table.c.id == tenant.id).values(database_url=database_url))


def test_a_change_through_this_instance_is_seen_at_once(instances: tuple[Flask, Flask]) -> None:
    _, second = instances
    code = new_tenant(second).code
    assert write(second.test_client(), code).status_code == 401
    catalogue_of(second).change_status(code, "suspend")
    assert write(second.test_client(), code).status_code == 409
