"""`registry consume webhooks` as a process of its own: an event made over HTTP reaches a subscribed endpoint
through the outbox, the relay and the database log, signed so that the reference verifier accepts it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from tests.conftest import TEST_SECRET, DatabaseUrls
from tests.e2e.ledger_http import call, seed_registry, token_for
from tests.e2e.processes import free_port, running, working
from tests.integration.webhooks.receiver import Receiver, receiver

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def arrived(endpoint: Receiver, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while not endpoint.received and time.monotonic() < deadline:
        time.sleep(0.2)
    return len(endpoint.received)


def test_an_event_reaches_an_endpoint_through_the_webhooks_process(own_database: DatabaseUrls, tmp_path: Path) -> None:
    seeded = seed_registry(own_database)
    env: dict[str, str | None] = {
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": own_database.app,
        "DATABASE_OWNER_URL": own_database.owner,
        "KAFKA_BOOTSTRAP_SERVERS": None,
        "WEBHOOKS_ALLOW_LOOPBACK": "true",
    }
    port = free_port()
    with (
        receiver() as endpoint,
        running(["serve"], {**env, "REGISTRY_PORT": str(port), "REGISTRY_WORKERS": "1"}, tmp_path, port) as (base, _),
        working(["relay"], env, tmp_path / "relay"),
        working(["consume", "webhooks"], env, tmp_path / "webhooks"),
    ):
        realm = f"{base}/api/v1/registries/{seeded['code']}"
        token = token_for(realm, seeded["admin"])
        body = {"url": f"{endpoint.url}/in", "event_types": ["ledger.account.opened.v1"]}
        status, subscription = call(f"{realm}/webhooks/subscriptions", body, token)
        assert status == 201, subscription
        status, account = call(f"{realm}/accounts", {"account_type": "party_holding", "name": "Exchange"}, token)
        assert status == 201, account

        assert arrived(endpoint) == 1

    [received] = endpoint.received
    payload = Webhook(subscription["secret"]).verify(received.body, received.headers)
    assert (payload["registry"], payload["data"]["account_id"]) == (seeded["code"], account["id"])
    assert json.loads(received.body)["type"] == "ledger.account.opened.v1"
