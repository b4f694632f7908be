"""Events of a registry reach the endpoints subscribed to them, signed, once; every attempt is logged."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from flask import Flask
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from gateway.bootstrap.webhooks import consumer_for
from gateway.cli.events import build_runtime
from tests.factories.auth import bearer_token
from tests.integration.webhooks.receiver import Receiver
from tests.integration.webhooks.world import OPENED, STATUS_CHANGED, deliver, new_registry, organization, webhooks_of


def test_an_event_reaches_the_endpoint_signed_once_and_every_attempt_is_logged(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    created = registry.subscribe(f"{endpoint.url}/hook", [OPENED], description="ERP")
    assert created.status_code == 201, created.get_json()
    secret = created.get_json()["secret"]
    account_id = registry.open_account("Exchange")

    assert deliver(app, registry).send_due() == 1

    [received] = endpoint.received
    payload = Webhook(secret).verify(received.body, received.headers)
    assert (payload["type"], payload["registry"], payload["data"]["account_id"]) == (
        OPENED,
        registry.tenant.code,
        account_id,
    )
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(received.body.replace(account_id, account_id[::-1]), received.headers)
    subscription_id = created.get_json()["id"]
    [delivery] = registry.call("GET", f"/webhooks/subscriptions/{subscription_id}/deliveries").get_json()["items"]
    assert (delivery["id"], delivery["status"], delivery["attempts"]) == (
        received.headers["webhook-id"],
        "delivered",
        1,
    )
    shown = registry.call("GET", f"/webhooks/deliveries/{delivery['id']}", "auditor").get_json()
    [attempt] = shown["attempt_log"]
    assert (attempt["number"], attempt["status_code"], attempt["error"]) == (1, 204, None)
    assert attempt["duration_ms"] >= 0
    assert shown["payload"] == received.body
    assert "secret" not in registry.call("GET", f"/webhooks/subscriptions/{subscription_id}").get_json()


def test_an_event_read_again_by_the_consumer_makes_no_second_delivery(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    registry.subscribe(f"{endpoint.url}/hook", [OPENED])
    registry.open_account("Exchange")
    worker = deliver(app, registry)
    platform: Platform = platform_of(app)

    runtime = build_runtime(platform, "webhooks", consumer_for(platform, webhooks_of(app)))
    runtime.replay()  # the consumer forgets what it processed and reads every event again
    runtime.drain()
    worker.send_due()

    assert runtime.stats.applied >= 1
    assert len(endpoint.received) == 1


def test_another_registrys_events_never_reach_a_subscription(app: Flask, endpoint: Receiver) -> None:
    mine, other = new_registry(app), new_registry(app)
    assert mine.subscribe(f"{endpoint.url}/mine", [OPENED]).status_code == 201
    other.open_account("Theirs")
    account_id = mine.open_account("Ours")
    other.open_account("Theirs too")

    deliver(app, mine, other).send_due()

    payloads = [json.loads(received.body) for received in endpoint.received]
    assert [(p["registry"], p["data"]["account_id"]) for p in payloads] == [(mine.tenant.code, account_id)]


def test_an_account_holder_gets_events_of_its_own_accounts_only(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    own_org, other_org = organization(registry), organization(registry)
    own, others = registry.open_account("Own", own_org), registry.open_account("Other", other_org)
    registry.token("holder", own_org)
    hook = f"{endpoint.url}/holder"

    foreign = registry.subscribe(hook, [STATUS_CHANGED], "holder", account_ids=[own, others])
    unnamed = registry.subscribe(hook, [STATUS_CHANGED], "holder")
    created = registry.subscribe(hook, [STATUS_CHANGED], "holder", account_ids=[own])

    assert (foreign.status_code, foreign.get_json()["code"]) == (403, "webhooks.account_not_yours")
    assert foreign.content_type == "application/problem+json"
    assert (unnamed.status_code, unnamed.get_json()["code"]) == (422, "webhooks.accounts_required")
    assert created.status_code == 201, created.get_json()
    listed = registry.call("GET", "/webhooks/subscriptions", "holder").get_json()["items"]
    assert [(s["id"], s["account_ids"]) for s in listed] == [(created.get_json()["id"], [own])]
    admins = registry.subscribe(f"{endpoint.url}/admin", [STATUS_CHANGED]).get_json()["id"]
    assert registry.call("GET", f"/webhooks/subscriptions/{admins}", "holder").status_code == 404

    registry.suspend(others)
    registry.suspend(own)
    deliver(app, registry).send_due()

    [seen] = endpoint.bodies_for("/holder")
    assert json.loads(seen.body)["data"]["account_id"] == own
    assert len(endpoint.bodies_for("/admin")) == 2


def test_rotating_the_secret_signs_with_both_for_a_while(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    created = registry.subscribe(f"{endpoint.url}/hook", [OPENED]).get_json()
    rotated = registry.call("POST", f"/webhooks/subscriptions/{created['id']}/rotate-secret")
    assert rotated.status_code == 200
    new_secret = rotated.get_json()["secret"]
    assert new_secret != created["secret"]
    assert datetime.fromisoformat(rotated.get_json()["previous_secret_valid_until"]) > datetime.now(UTC)
    registry.open_account("Exchange")

    deliver(app, registry).send_due()

    [received] = endpoint.received
    for secret in (new_secret, created["secret"]):
        Webhook(secret).verify(received.body, received.headers)


def test_a_paused_subscription_gets_nothing_and_a_removed_one_is_gone(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    subscription_id = registry.subscribe(f"{endpoint.url}/hook", [OPENED]).get_json()["id"]
    paused = registry.call("PATCH", f"/webhooks/subscriptions/{subscription_id}", body={"status": "paused"})
    assert paused.get_json()["status"] == "paused"
    registry.open_account("Exchange")
    deliver(app, registry).send_due()
    assert endpoint.received == []

    assert registry.call("DELETE", f"/webhooks/subscriptions/{subscription_id}").status_code == 204
    assert registry.call("GET", f"/webhooks/subscriptions/{subscription_id}").status_code == 404


def test_an_auditor_reads_but_cannot_subscribe(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)

    refused = registry.subscribe(f"{endpoint.url}/hook", [OPENED], "auditor")

    assert refused.status_code == 403
    assert registry.call("GET", "/webhooks/subscriptions", "auditor").get_json()["items"] == []
    types = registry.call("GET", "/webhooks/event-types", "auditor").get_json()["items"]
    assert {OPENED, STATUS_CHANGED} <= {t["type"] for t in types}


def test_the_endpoint_since_a_moment_is_sent_every_delivery_again(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    subscription_id = registry.subscribe(f"{endpoint.url}/hook", [OPENED]).get_json()["id"]
    registry.open_account("One")
    registry.open_account("Two")
    worker = deliver(app, registry)
    worker.send_due()
    first_ids = sorted(r.headers["webhook-id"] for r in endpoint.received)

    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    replayed = registry.call("POST", f"/webhooks/subscriptions/{subscription_id}/replay", body={"since": since})
    assert replayed.get_json() == {"replayed": 2}
    worker.send_due()

    assert sorted(r.headers["webhook-id"] for r in endpoint.received[2:]) == first_ids


def test_an_auditor_who_also_represents_a_holder_subscribes_only_as_the_holder(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    organization_id = organization(registry)
    own = registry.open_account("Own", organization_id)
    registry.tokens["auditor-holder"] = bearer_token(
        app, registry.tenant.code, [Role.AUDITOR, Role.ACCOUNT_REPRESENTATIVE], organization_id=UUID(organization_id)
    )

    whole = registry.subscribe(f"{endpoint.url}/in", [OPENED], "auditor-holder")
    own_only = registry.subscribe(f"{endpoint.url}/in", [OPENED], "auditor-holder", account_ids=[own])

    assert (whole.status_code, whole.get_json()["code"]) == (422, "webhooks.accounts_required")
    assert own_only.status_code == 201
    assert own_only.get_json()["organization_id"] == organization_id
