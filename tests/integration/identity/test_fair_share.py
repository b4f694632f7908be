"""Fair share per registry: a registry at its cap of requests in flight gets 429 while another registry wants
threads, the others are served; a registry alone on the worker may use every thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from gateway.auth.principal import Role
from gateway.fair_share import ACTIVE_WINDOW_S, CONFIG_KEY, InFlight, in_flight
from gateway.settings import Settings, SettingsError
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, bearer_token, realm_path


@dataclass
class Hold:
    """Keeps the requests of one registry inside the app (after admission) until released."""

    registry: str = ""
    entered: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    release: threading.Event = field(default_factory=threading.Event)

    def __call__(self) -> None:
        tenant = g.get("tenant")
        if tenant is not None and tenant.code == self.registry:
            self.entered.release()
            assert self.release.wait(30), "the test never released the held request"


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app: Flask) -> Clock:
    """The gate's clock, still unless a test moves it: a registry seen once stays active."""
    frozen = Clock()
    app.config[CONFIG_KEY] = 1
    app.extensions["fair_share"] = InFlight(1, clock=frozen)
    return frozen


@pytest.fixture
def hold(app: Flask, clock: Clock) -> Iterator[Hold]:
    held = Hold()
    app.before_request(held)  # after the fair share's own hook: runs once a request is admitted
    yield held
    held.release.set()


def users(http: FlaskClient, tenant: Tenant, token: str) -> TestResponse:
    return http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(token))


def auditor(app: Flask, tenant: Tenant) -> str:
    return bearer_token(app, tenant.code, [Role.AUDITOR])  # signing in is requests too: before any is held


def held_request(app: Flask, hold: Hold, tenant: Tenant, token: str) -> tuple[threading.Thread, list[int]]:
    """A request of `tenant` started in a thread and held in flight; its status lands in the list."""
    hold.registry, statuses = tenant.code, []
    thread = threading.Thread(target=lambda: statuses.append(users(app.test_client(), tenant, token).status_code))
    thread.start()
    assert hold.entered.acquire(timeout=30), "the held request never reached the app"
    return thread, statuses


def test_a_registry_at_its_cap_gets_429_with_retry_after_while_another_wants_threads(
    app: Flask, http: FlaskClient, tenant: Tenant, other_tenant: Tenant, hold: Hold
) -> None:
    token, other = auditor(app, tenant), auditor(app, other_tenant)
    assert users(http, other_tenant, other).status_code == 200  # within the window, by the still clock
    thread, statuses = held_request(app, hold, tenant, token)
    refused = users(http, tenant, token)
    hold.release.set()
    thread.join(30)
    assert statuses == [200]
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["Retry-After"] == "1"
    assert refused.get_json()["code"] == "registry.busy"
    assert users(http, tenant, token).status_code == 200  # the slot came back with the held request's end


def test_a_registry_at_its_cap_does_not_block_another(
    app: Flask, http: FlaskClient, tenant: Tenant, other_tenant: Tenant, hold: Hold
) -> None:
    token, other = auditor(app, tenant), auditor(app, other_tenant)
    thread, statuses = held_request(app, hold, tenant, token)
    try:
        assert users(http, other_tenant, other).status_code == 200
        with app.app_context():
            assert in_flight().count(str(tenant.id)) == 1
    finally:
        hold.release.set()
        thread.join(30)
    assert statuses == [200]


def test_the_cap_is_counted_per_registry() -> None:
    gate = InFlight(2, clock=Clock())
    assert gate.enter("b")
    assert [gate.enter("a"), gate.enter("a"), gate.enter("a")] == [True, True, False]
    assert [gate.enter("b"), gate.enter("b")] == [True, False]
    gate.leave("a")
    assert gate.enter("a")


def test_a_registry_alone_on_the_worker_may_use_every_thread() -> None:
    gate = InFlight(2, clock=Clock())
    assert [gate.enter("a") for _ in range(4)] == [True, True, True, True]


def test_the_cap_applies_from_another_registrys_request_until_a_window_after_its_last() -> None:
    clock = Clock()
    gate = InFlight(1, clock=clock)
    assert gate.enter("b")
    assert [gate.enter("a"), gate.enter("a")] == [True, False]  # b in flight
    gate.leave("b")
    clock.now += ACTIVE_WINDOW_S - 0.001
    assert not gate.enter("a")  # b ended less than a window ago
    clock.now += 0.002
    assert gate.enter("a")  # b gone quiet: a may take the free threads


def test_a_cap_of_zero_admits_every_request(
    app: Flask, http: FlaskClient, tenant: Tenant, other_tenant: Tenant, hold: Hold
) -> None:
    app.config[CONFIG_KEY] = 0
    app.extensions.pop("fair_share", None)
    token, other = auditor(app, tenant), auditor(app, other_tenant)
    assert users(http, other_tenant, other).status_code == 200
    thread, statuses = held_request(app, hold, tenant, token)
    hold.registry = ""  # the next request of the registry is not held
    try:
        assert users(http, tenant, token).status_code == 200
    finally:
        hold.release.set()
        thread.join(30)
    assert statuses == [200]


def test_the_cap_comes_from_the_environment() -> None:
    assert Settings.from_env({}).in_flight_per_registry == 1
    assert Settings.from_env({"REGISTRY_IN_FLIGHT_PER_REGISTRY": "3"}).in_flight_per_registry == 3
    with pytest.raises(SettingsError):
        Settings.from_env({"REGISTRY_IN_FLIGHT_PER_REGISTRY": "-1"})


def test_a_refusal_writes_no_audit_entry(
    app: Flask, http: FlaskClient, tenant: Tenant, other_tenant: Tenant, hold: Hold
) -> None:
    token, admin = auditor(app, tenant), bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN])
    other = auditor(app, other_tenant)
    assert users(http, other_tenant, other).status_code == 200
    thread, statuses = held_request(app, hold, tenant, token)
    new_user = {"username": "kofi", "password": "a long enough password", "roles": ["auditor"]}
    refused = http.post(f"{realm_path(tenant.code)}/users", json=new_user, headers=auth_header(admin))
    hold.release.set()
    thread.join(30)
    entries = http.get(
        f"{realm_path(tenant.code)}/audit-events",
        query_string={"action": "POST /api/v1/registries/{registry}/users"},
        headers=auth_header(token),
    ).get_json()
    assert (refused.status_code, statuses) == (429, [200])
    assert entries == []  # nothing happened; an entry per refusal would cost what the cap saves
