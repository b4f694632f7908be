"""A failing endpoint is retried with exponential backoff on the platform's clock, then the delivery fails; a
slow one times out without holding the others; a replay sends the same webhook-id and body again."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from flask import Flask

from services.shared.clock import FixedClock
from services.webhooks.adapters.http_transport import RequestsTransport
from services.webhooks.domain.deliveries import MAX_ATTEMPTS
from services.webhooks.service_layer.ports import Attempt
from tests.integration.webhooks.receiver import Receiver
from tests.integration.webhooks.world import OPENED, Registry, deliver, new_registry, webhooks_of


def on_fake_clock(app: Flask) -> FixedClock:
    clock = FixedClock(datetime.now(UTC) - timedelta(seconds=1))
    webhooks_of(app).clock = clock
    return clock


def the_delivery(registry: Registry, subscription_id: str) -> dict[str, Any]:
    [listed] = registry.call("GET", f"/webhooks/subscriptions/{subscription_id}/deliveries").get_json()["items"]
    shown: dict[str, Any] = registry.call("GET", f"/webhooks/deliveries/{listed['id']}").get_json()
    return shown


def test_a_500_is_retried_with_growing_waits_until_the_delivery_fails_and_a_replay_resends_it(
    app: Flask, endpoint: Receiver
) -> None:
    clock = on_fake_clock(app)
    registry = new_registry(app)
    subscription_id = registry.subscribe(f"{endpoint.url}/hook", [OPENED]).get_json()["id"]
    registry.open_account("Exchange")
    endpoint.status, endpoint.answer = 500, b'{"error": "database down"}'
    worker = deliver(app, registry)

    assert worker.send_due() == 1
    pending = the_delivery(registry, subscription_id)
    assert (pending["status"], pending["attempts"], pending["last_status_code"]) == ("pending", 1, 500)
    assert datetime.fromisoformat(pending["next_attempt_at"]) == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=29))
    assert worker.send_due() == 0  # still backing off
    clock.advance(timedelta(seconds=1))
    assert worker.send_due() == 1
    assert datetime.fromisoformat(the_delivery(registry, subscription_id)["next_attempt_at"]) == clock.now() + (
        timedelta(seconds=90)
    )
    for _ in range(MAX_ATTEMPTS - 2):
        clock.advance(timedelta(hours=6))
        assert worker.send_due() == 1
    clock.advance(timedelta(days=1))
    assert worker.send_due() == 0

    failed = the_delivery(registry, subscription_id)
    assert (failed["status"], failed["attempts"], failed["next_attempt_at"]) == ("failed", MAX_ATTEMPTS, None)
    assert [a["status_code"] for a in failed["attempt_log"]] == [500] * MAX_ATTEMPTS
    assert failed["attempt_log"][0]["response_excerpt"] == '{"error": "database down"}'

    endpoint.status = 200
    replayed = registry.call("POST", f"/webhooks/deliveries/{failed['id']}/replay")
    assert (replayed.status_code, replayed.get_json()["status"], replayed.get_json()["attempts"]) == (200, "pending", 0)
    assert worker.send_due() == 1

    delivered = the_delivery(registry, subscription_id)
    assert (delivered["status"], len(delivered["attempt_log"])) == ("delivered", MAX_ATTEMPTS + 1)
    assert {r.headers["webhook-id"] for r in endpoint.received} == {failed["id"]}
    assert {r.body for r in endpoint.received} == {failed["payload"]}
    assert len(endpoint.received) == MAX_ATTEMPTS + 1


def test_an_endpoint_that_does_not_answer_in_time_is_an_attempt_that_failed(app: Flask, endpoint: Receiver) -> None:
    on_fake_clock(app)
    webhooks_of(app).transport = RequestsTransport(read_timeout_s=0.3)
    registry = new_registry(app)
    subscription_id = registry.subscribe(f"{endpoint.url}/slow", [OPENED]).get_json()["id"]
    registry.open_account("Exchange")
    endpoint.slow_paths, endpoint.delay_s = {"/slow"}, 1.0

    deliver(app, registry).send_due()

    pending = the_delivery(registry, subscription_id)
    [attempt] = pending["attempt_log"]
    assert (pending["status"], attempt["status_code"]) == ("pending", None)
    assert "Timeout" in attempt["error"]
    assert 300 <= attempt["duration_ms"] < 1000


def test_a_slow_endpoint_does_not_hold_the_deliveries_to_others(app: Flask, endpoint: Receiver) -> None:
    webhooks_of(app).transport = RequestsTransport(read_timeout_s=1.0)
    registry = new_registry(app)
    slow = registry.subscribe(f"{endpoint.url}/slow", [OPENED]).get_json()["id"]
    fast = [registry.subscribe(f"{endpoint.url}/fast{n}", [OPENED]).get_json()["id"] for n in range(3)]
    registry.open_account("One")
    registry.open_account("Two")
    endpoint.slow_paths, endpoint.delay_s = {"/slow"}, 3.0
    worker = deliver(app, registry)

    started = time.monotonic()
    worker.send_due()
    elapsed = time.monotonic() - started

    assert elapsed < 2.5  # the slow endpoint's two sends and the six others ran side by side, each bounded
    for subscription_id in fast:
        items = registry.call("GET", f"/webhooks/subscriptions/{subscription_id}/deliveries").get_json()["items"]
        assert [d["status"] for d in items] == ["delivered", "delivered"]
    items = registry.call("GET", f"/webhooks/subscriptions/{slow}/deliveries").get_json()["items"]
    assert [d["status"] for d in items] == ["pending", "pending"]


class Recording:
    """An endpoint that answers 204 to everything and remembers where each delivery went."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def post(self, url: str, headers: dict[str, str], body: str) -> Attempt:
        self.urls.append(url)
        return Attempt(204, 1, "")


def test_a_backlog_of_one_subscription_does_not_starve_another(app: Flask) -> None:
    clock = on_fake_clock(app)
    webhooks = webhooks_of(app)
    webhooks.transport = transport = Recording()
    registry = new_registry(app)
    busy = registry.subscribe("http://127.0.0.1:9/busy", [OPENED]).get_json()["id"]
    quiet = registry.subscribe("http://127.0.0.1:9/quiet", [OPENED]).get_json()["id"]
    tenant_id = registry.tenant.id
    with webhooks.database.transaction(tenant_id) as session:
        backlog = webhooks.store.subscription(session, tenant_id, UUID(busy))
        for _ in range(400):
            webhooks.store.add_delivery(session, backlog, uuid4(), uuid4(), OPENED, "{}")
    clock.advance(timedelta(seconds=1))
    with webhooks.database.transaction(tenant_id) as session:
        waiting = webhooks.store.subscription(session, tenant_id, UUID(quiet))
        webhooks.store.add_delivery(session, waiting, uuid4(), uuid4(), OPENED, "{}")

    webhooks.worker(lambda: [tenant_id]).send_due()

    assert transport.urls.count("http://127.0.0.1:9/quiet") == 1
    assert transport.urls.count("http://127.0.0.1:9/busy") == 5  # a few of each subscription per pass
