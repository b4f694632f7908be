"""A registry not hosted here sends a signed transfer request over HTTP and gets a signed acknowledgement."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from joserfc import jws
from joserfc.jwk import ECKey, KeySet
from uuid6 import uuid7

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from tests.factories.auth import auth_header, bearer_token, machine_token
from tests.integration.interregistry.test_hosted_delivery import pipeline, settle
from tests.integration.interregistry.two_registries import TwoRegistries, two_registries

REQUESTED = "interregistry.transfer.requested.v1"


def external_sender(app: Flask) -> tuple[TwoRegistries, dict[str, Any]]:
    """A's transfer request, with A then leaving the platform: from here on A is an external registry."""
    platform: Platform = platform_of(app)
    pair = two_registries(platform)
    pair.request_transfer(250)
    [request] = pair.payloads_of(pair.a, "ledger.transfer.international_requested.v1")
    platform.catalogue.change_status(pair.a.code, "suspend")
    platform.catalogue.change_status(pair.a.code, "archive")
    return pair, request["data"]


def pin(app: Flask, pair: TwoRegistries, key: ECKey) -> str:
    token = bearer_token(app, pair.b.code, [Role.REGISTRY_ADMIN], mfa=True)
    response = app.test_client().put(
        f"/api/v1/registries/{pair.b.code}/interregistry/peers/{pair.a.registry_id}",
        json={"jwk": key.as_dict(private=False)},
        headers=auth_header(token),
    )
    assert response.status_code == 200, response.json
    kid: str = response.json["kid"]
    return kid


def signed(data: dict[str, Any], key: ECKey, kid: str, message_id: str | None = None) -> str:
    message = {
        "specversion": "1.0",
        "id": message_id or str(uuid7()),
        "source": "https://registry.example/a",
        "type": REQUESTED,
        "time": "2026-11-25T10:00:00Z",
        "data": data,
    }
    return jws.serialize_compact({"alg": "ES256", "kid": kid}, json.dumps(message).encode(), key)


def post(app: Flask, pair: TwoRegistries, compact: str, token: str | None = None) -> Any:
    token = token or machine_token(app, pair.b.code, [Role.AUDITOR])
    return app.test_client().post(
        f"/api/v1/registries/{pair.b.code}/interregistry/messages",
        json={"message": compact},
        headers=auth_header(token),
    )


def test_a_signed_request_is_acknowledged_and_recorded_once(app: Flask) -> None:
    pair, data = external_sender(app)
    peer_key = ECKey.generate_key("P-256", private=True)
    kid = pin(app, pair, peer_key)
    compact = signed(data, peer_key, kid)

    first, again = post(app, pair, compact), post(app, pair, compact)
    relay, runtime = pipeline(pair.platform, twice=True)
    settle(relay, runtime)

    assert (first.status_code, first.json["status"]) == (202, "received")
    assert (again.status_code, again.json["status"]) == (202, "duplicate")
    published = app.test_client().get(f"/api/v1/registries/{pair.b.code}/interregistry/keys").json
    acknowledgement = jws.deserialize_compact(
        first.json["acknowledgement"], KeySet.import_key_set(published), algorithms=["ES256"]
    )
    ack = json.loads(acknowledgement.payload)
    assert ack["type"] == "interregistry.message.acknowledged.v1"
    assert ack["data"]["transfer_id"] == data["transfer_id"]
    assert pair.events_of(pair.b).count(REQUESTED) == 1
    assert pair.events_of(pair.b).count("ledger.acquisition.recorded.v1") == 1
    assert pair.b_holding is not None
    assert pair.held(pair.b_world, pair.b_holding) == 250
    [answer] = pair.payloads_of(pair.b, "interregistry.transfer.accepted.v1")
    assert answer["data"]["transferring_registry_id"] == pair.a.registry_id
    admin = auth_header(bearer_token(app, pair.b.code, [Role.REGISTRY_ADMIN], mfa=True))
    queued = app.test_client().get(f"/api/v1/registries/{pair.b.code}/interregistry/outbound", headers=admin).json
    [outbound] = queued["items"]  # the answer also waits to be pushed to A, once, however often it came in
    assert (outbound["peer_registry_id"], outbound["message_type"]) == (pair.a.registry_id, answer["type"])
    assert (outbound["status"], outbound["transfer_id"]) == ("pending", data["transfer_id"])


@pytest.mark.parametrize("fault", ["other_key", "tampered", "unknown_kid", "not_jws"])
def test_a_message_that_does_not_verify_is_refused_and_changes_nothing(app: Flask, fault: str) -> None:
    pair, data = external_sender(app)
    peer_key = ECKey.generate_key("P-256", private=True)
    kid = pin(app, pair, peer_key)
    before = pair.events_of(pair.b)
    compact = {
        "other_key": lambda: signed(data, ECKey.generate_key("P-256", private=True), kid),
        "tampered": lambda: _tamper(signed(data, peer_key, kid)),
        "unknown_kid": lambda: signed(data, peer_key, "ZZZ01:unknown"),
        "not_jws": lambda: "this is not a signed message",
    }[fault]()

    response = post(app, pair, compact)

    assert response.status_code == 401
    assert response.json["code"] in {"interregistry.bad_signature", "interregistry.unknown_peer"}
    assert pair.events_of(pair.b) == before


def test_a_message_signed_by_one_registry_for_another_is_refused(app: Flask) -> None:
    pair, data = external_sender(app)
    peer_key = ECKey.generate_key("P-256", private=True)
    kid = pin(app, pair, peer_key)
    before = pair.events_of(pair.b)

    response = post(app, pair, signed(data | {"transferring_registry_id": "ZZZ01"}, peer_key, kid))

    assert (response.status_code, response.json["code"]) == (403, "interregistry.misrouted")
    assert pair.events_of(pair.b) == before


def _tamper(compact: str) -> str:
    header, payload, signature = compact.split(".")
    flipped = "A" if payload[5] != "A" else "B"
    return ".".join([header, payload[:5] + flipped + payload[6:], signature])


def test_a_message_without_the_peers_token_is_refused(app: Flask) -> None:
    pair, data = external_sender(app)
    peer_key = ECKey.generate_key("P-256", private=True)
    kid = pin(app, pair, peer_key)

    response = app.test_client().post(
        f"/api/v1/registries/{pair.b.code}/interregistry/messages", json={"message": signed(data, peer_key, kid)}
    )

    assert response.status_code == 401
    assert REQUESTED not in pair.events_of(pair.b)
