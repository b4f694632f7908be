"""An endpoint must be HTTPS to a public address: private, loopback and link-local ones are refused when
subscribing (problem+json, nothing recorded) and again before each attempt (server-side request forgery)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.integration.webhooks.receiver import Receiver
from tests.integration.webhooks.world import OPENED, FakeResolver, deliver, new_registry, webhooks_of


@pytest.fixture
def production_like(app: Flask) -> FakeResolver:
    """No loopback allowance, and names that resolve where a test says."""
    resolver = FakeResolver({"hooks.example.com": ["93.184.216.34"], "intranet.example.com": ["10.0.0.5"]})
    webhooks_of(app).resolver = resolver
    webhooks_of(app).allow_loopback = False
    return resolver


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.com/in", "webhooks.url_invalid"),
        ("http://127.0.0.1:8080/in", "webhooks.url_invalid"),
        ("https://127.0.0.1/in", "webhooks.url_not_public"),
        ("https://localhost/in", "webhooks.url_not_public"),
        ("https://169.254.169.254/latest/meta-data", "webhooks.url_not_public"),
        ("https://[fd00::1]/in", "webhooks.url_not_public"),
        ("https://intranet.example.com/in", "webhooks.url_not_public"),
        ("https://nowhere.example.com/in", "webhooks.url_unresolvable"),
    ],
)
def test_an_endpoint_that_is_not_https_to_a_public_address_is_refused(
    app: Flask, production_like: FakeResolver, url: str, code: str
) -> None:
    registry = new_registry(app)

    refused = registry.subscribe(url, [OPENED])

    assert (refused.status_code, refused.get_json()["code"], refused.get_json()["field"]) == (422, code, "url")
    assert refused.content_type == "application/problem+json"
    assert registry.call("GET", "/webhooks/subscriptions").get_json()["items"] == []


def test_a_name_later_pointed_at_a_private_address_gets_nothing(app: Flask, production_like: FakeResolver) -> None:
    registry = new_registry(app)
    subscription = registry.subscribe("https://hooks.example.com/in", [OPENED])
    assert subscription.status_code == 201, subscription.get_json()
    production_like.names["hooks.example.com"] = ["192.168.0.10"]
    registry.open_account("Exchange")

    deliver(app, registry).send_due()

    [delivery] = registry.call("GET", f"/webhooks/subscriptions/{subscription.get_json()['id']}/deliveries").get_json()[
        "items"
    ]
    [attempt] = registry.call("GET", f"/webhooks/deliveries/{delivery['id']}").get_json()["attempt_log"]
    assert (attempt["status_code"], attempt["duration_ms"]) == (None, 0)
    assert attempt["error"].startswith("not sent: the URL resolves to 192.168.0.10")


def test_a_changed_url_is_checked_as_a_new_one(app: Flask, production_like: FakeResolver) -> None:
    registry = new_registry(app)
    subscription_id = registry.subscribe("https://hooks.example.com/in", [OPENED]).get_json()["id"]

    moved = registry.call("PATCH", f"/webhooks/subscriptions/{subscription_id}", body={"url": "https://10.1.1.1/in"})

    assert (moved.status_code, moved.get_json()["code"]) == (422, "webhooks.url_not_public")
    shown = registry.call("GET", f"/webhooks/subscriptions/{subscription_id}").get_json()
    assert shown["url"] == "https://hooks.example.com/in"


def test_http_to_this_machine_only_where_the_setting_allows_it(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    assert registry.subscribe(f"{endpoint.url}/in", [OPENED]).status_code == 201

    webhooks_of(app).allow_loopback = False
    refused = registry.subscribe(f"{endpoint.url}/in", [OPENED])

    assert (refused.status_code, refused.get_json()["code"]) == (422, "webhooks.url_invalid")


def test_bad_subscription_bodies_are_refused_with_stable_codes(app: Flask, endpoint: Receiver) -> None:
    registry = new_registry(app)
    hook = f"{endpoint.url}/in"

    unknown_type = registry.subscribe(hook, ["ledger.nothing.v1"])
    no_types = registry.subscribe(hook, [])
    foreign_account = registry.subscribe(hook, [OPENED], account_ids=["0190e3b4-0000-7000-8000-000000000000"])

    assert (unknown_type.status_code, unknown_type.get_json()["code"]) == (422, "webhooks.event_type_unknown")
    assert no_types.status_code == 422
    assert no_types.content_type == "application/problem+json"
    assert (foreign_account.status_code, foreign_account.get_json()["code"]) == (422, "webhooks.account_unknown")
    assert registry.call("GET", "/webhooks/subscriptions").get_json()["items"] == []
