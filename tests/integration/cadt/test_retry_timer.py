"""The consumer's retry timer: records left pending by an outage are published without a new event, backing
off up to a cap, with the next attempt visible in the status API; a wrong API key still stops the tenant."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from gateway.bootstrap.consumers import CONSUMERS
from services.cadt.domain.model import ConnectionState, Kind, Status
from services.cadt.entrypoints.timer import RetryTimer
from services.cadt.service_layer.publisher import PublishPolicy
from services.shared.clock import FixedClock
from tests.cadt_standin.fixtures import RunningStandIn
from tests.factories.auth import auth_header, bearer_token
from tests.integration.cadt.scenario import Example, own, worked_example
from tests.integration.cadt.test_publishing import expected_state, node_state

CAP_S = 20.0


@pytest.fixture(autouse=True)
def backing_off_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=5, backoff_max_s=CAP_S))
    return


def timer_at(example: Example, seconds: float) -> RetryTimer:
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return RetryTimer(wiring.cadt_for(example.platform), lambda: [example.tenant.id], clock=FixedClock(moment))


def test_records_left_pending_by_an_outage_are_retried_on_a_timer(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url)
    cadt_node.node.down = True
    example.sync()
    store = wiring.cadt_for(platform).store(example.tenant.id)
    app = create_app(platform.settings, platform)
    admin = auth_header(bearer_token(app, example.tenant.code, [Role.REGISTRY_ADMIN]))
    status = app.test_client().get(f"/api/v1/registries/{example.tenant.code}/cadt/connection", headers=admin).json
    assert status["state"] == "unavailable"
    assert status["retry_at"]
    assert status["next_attempt_at"]
    assert status["records"]["pending"] > 0

    calls = len(cadt_node.node.requests)
    assert own(timer_at(example, 0).tick(), example.tenant.id) == {}  # not yet: backing off
    assert len(cadt_node.node.requests) == calls
    for _ in range(4):  # still down: each try waits longer, up to the cap
        assert own(timer_at(example, 3600).tick(), example.tenant.id) == {example.tenant.id: "unavailable"}
    connection = store.connection()
    assert connection is not None
    assert connection.failures == 5
    assert connection.retry_at is not None
    assert connection.next_attempt_at is not None
    assert connection.next_attempt_at - datetime.now(UTC) <= timedelta(seconds=CAP_S)
    assert connection.next_attempt_at - datetime.now(UTC) > timedelta(seconds=CAP_S / 2)

    cadt_node.node.down = False
    assert own(timer_at(example, 3600).tick(), example.tenant.id) == {example.tenant.id: "published"}
    assert node_state(cadt_node.node) == expected_state(example)
    connection = store.connection()
    assert connection is not None
    assert connection.state is ConnectionState.OK
    assert (connection.retries, connection.retry_at, connection.next_attempt_at) == (0, None, None)
    assert {r.status for r in store.records(Kind.UNIT)} == {Status.PUBLISHED}
    assert own(timer_at(example, 3600).tick(), example.tenant.id) == {}  # nothing left: the node is left alone


def test_a_wrong_api_key_is_not_retried_until_the_settings_change(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url, api_key="wrong")
    example.sync()
    calls = len(cadt_node.node.requests)
    assert own(timer_at(example, 3600).tick(), example.tenant.id) == {}
    assert len(cadt_node.node.requests) == calls
    connection = wiring.cadt_for(platform).store(example.tenant.id).connection()
    assert connection is not None
    assert connection.state is ConnectionState.UNAUTHORIZED
    assert connection.retry_at is None
    example.connect(cadt_node.url)
    assert own(timer_at(example, 0).tick(), example.tenant.id) == {example.tenant.id: "published"}
    assert node_state(cadt_node.node) == expected_state(example)


def test_the_cadt_consumer_runs_the_timer_as_its_periodic_duty(platform: Platform) -> None:
    consumer = CONSUMERS["cadt"](platform)
    assert consumer.periodic is not None
    assert consumer.periodic.interval_s == wiring.POLICY.timer_interval_s
    before = {t.name for t in threading.enumerate()}
    CONSUMERS["cadt"](platform)
    assert {t.name for t in threading.enumerate()} == before
