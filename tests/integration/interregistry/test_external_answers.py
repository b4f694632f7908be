"""An external registry answers a transfer a hosted registry requested: accepted completes it, refused
reverses it, each exactly once; an answer that does not fit the transfer changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from joserfc import jws
from joserfc.jwk import KeySet

from gateway.auth.principal import Role
from tests.conftest import new_tenant_command
from tests.factories.auth import auth_header, bearer_token, machine_token
from tests.integration.interregistry.external_peer import Setting, external_peer
from tests.integration.interregistry.external_standin import ExternalRegistry
from tests.integration.interregistry.test_hosted_delivery import pipeline, settle

ACCEPTED = "interregistry.transfer.accepted.v1"
COMPLETED = "ledger.transfer.international_completed.v1"
REVERSED = "ledger.transfer.international_reversed.v1"


@pytest.fixture
def setting(app: Flask) -> Iterator[Setting]:
    yield from external_peer(app)


def delivered_request(setting: Setting) -> tuple[UUID, dict[str, Any]]:
    """A requested a transfer to B (not hosted); the sender pushed it and B recorded it."""
    setting.request_and_queue(250)
    setting.sender.send_due()
    [request] = setting.peer.applied.values()
    return UUID(request["data"]["transfer_id"]), request


def post(setting: Setting, compact: str, tenant_code: str | None = None) -> Any:
    code = tenant_code or setting.pair.a.code
    return setting.client().post(
        f"/api/v1/registries/{code}/interregistry/messages",
        json={"message": compact},
        headers=auth_header(machine_token(setting.app, code, [Role.AUDITOR])),
    )


def run_consumer(setting: Setting) -> None:
    relay, runtime = pipeline(setting.pair.platform, twice=True)
    settle(relay, runtime)


def test_an_accepted_answer_completes_the_transfer_once(setting: Setting) -> None:
    transfer_id, request = delivered_request(setting)
    answer = setting.peer.answer(request)

    first = post(setting, answer)
    run_consumer(setting)
    again = post(setting, answer)  # the peer lost our acknowledgement and sends the same message again
    run_consumer(setting)

    pair = setting.pair
    assert (first.status_code, first.json["status"]) == (202, "received")
    assert (again.status_code, again.json["status"], again.json["message_id"]) == (
        202,
        "duplicate",
        first.json["message_id"],
    )
    published = setting.client().get(f"{setting.base}/keys").json
    ack = json.loads(jws.deserialize_compact(again.json["acknowledgement"], KeySet.import_key_set(published)).payload)
    assert (ack["type"], ack["data"]["status"]) == ("interregistry.message.acknowledged.v1", "duplicate")
    assert ack["id"] == json.loads(jws.extract_compact(first.json["acknowledgement"].encode()).payload)["id"]
    assert pair.status_of(transfer_id) == "completed"
    assert pair.held(pair.a_world, pair.a_holding) == 750
    assert pair.events_of(pair.a).count(ACCEPTED) == 1
    assert pair.events_of(pair.a).count(COMPLETED) == 1
    assert pair.journal_types(pair.a_world).count("first_transfer:completed") == 1


def test_a_refused_answer_reverses_the_transfer_with_the_reason(setting: Setting) -> None:
    transfer_id, request = delivered_request(setting)

    response = post(setting, setting.peer.answer(request, refuse="the account is closed"))
    run_consumer(setting)

    pair = setting.pair
    assert (response.status_code, response.json["status"]) == (202, "received")
    assert pair.status_of(transfer_id) == "terminated"
    assert pair.held(pair.a_world, pair.a_holding) == 1_000
    [reversed_] = pair.payloads_of(pair.a, REVERSED)
    assert reversed_["data"]["reason"] == f"{pair.b.registry_id} refused: the account is closed"


def test_a_second_answer_to_a_settled_transfer_is_refused(setting: Setting) -> None:
    transfer_id, request = delivered_request(setting)
    assert post(setting, setting.peer.answer(request)).status_code == 202
    queued = post(setting, setting.peer.answer(request, refuse="changed our mind"))  # before the consumer ran
    run_consumer(setting)
    before = setting.pair.events_of(setting.pair.a)

    late = post(setting, setting.peer.answer(request, refuse="changed our mind"))

    assert (queued.status_code, queued.json["code"]) == (409, "interregistry.transfer_settled")
    assert (late.status_code, late.json["code"]) == (409, "interregistry.transfer_settled")
    assert setting.pair.status_of(transfer_id) == "completed"
    assert setting.pair.events_of(setting.pair.a) == before


def test_a_forged_answer_is_refused_and_changes_nothing(setting: Setting) -> None:
    transfer_id, request = delivered_request(setting)
    before = setting.pair.events_of(setting.pair.a)
    setting.peer.forge = True

    response = post(setting, setting.peer.answer(request))
    run_consumer(setting)

    assert (response.status_code, response.json["code"]) == (401, "interregistry.bad_signature")
    assert setting.pair.events_of(setting.pair.a)[: len(before)] == before
    assert ACCEPTED not in setting.pair.events_of(setting.pair.a)
    assert setting.pair.status_of(transfer_id) == "awaiting_acceptance"


def test_an_answer_from_a_registry_the_transfer_was_not_sent_to_is_refused(setting: Setting) -> None:
    transfer_id, request = delivered_request(setting)
    stranger = ExternalRegistry("ZZZ01", setting.client().get(f"{setting.base}/keys").json)
    pinned = setting.client().put(
        f"{setting.base}/peers/ZZZ01", json={"jwk": stranger.public_jwk}, headers=setting.admin()
    )
    assert pinned.status_code == 200, pinned.json

    response = post(setting, stranger.answer(request))
    run_consumer(setting)

    assert (response.status_code, response.json["code"]) == (403, "interregistry.not_counterparty")
    assert ACCEPTED not in setting.pair.events_of(setting.pair.a)
    assert setting.pair.status_of(transfer_id) == "awaiting_acceptance"


def test_an_answer_signed_for_another_acquiring_registry_is_misrouted(setting: Setting) -> None:
    transfer_id, request = delivered_request(setting)
    other = dict(request, data=request["data"] | {"transferring_registry_id": "ZZZ01"})

    response = post(setting, setting.peer.answer(other))

    assert (response.status_code, response.json["code"]) == (403, "interregistry.misrouted")
    assert setting.pair.status_of(transfer_id) == "awaiting_acceptance"


def test_an_answer_for_an_unknown_transfer_or_another_tenants_is_not_found(setting: Setting) -> None:
    transfer_id, request = delivered_request(setting)
    unknown = dict(request, data=request["data"] | {"transfer_id": str(uuid4())})
    other = setting.pair.platform.catalogue.create(new_tenant_command())
    admin = auth_header(bearer_token(setting.app, other.code, [Role.REGISTRY_ADMIN], mfa=True))
    pinned = setting.client().put(
        f"/api/v1/registries/{other.code}/interregistry/peers/{setting.pair.b.registry_id}",
        json={"jwk": setting.peer.public_jwk},
        headers=admin,
    )
    assert pinned.status_code == 200, pinned.json
    to_other = dict(request, data=request["data"] | {"transferring_registry_id": other.registry_id})

    missing = post(setting, setting.peer.answer(unknown))
    foreign = post(setting, setting.peer.answer(to_other), tenant_code=other.code)
    run_consumer(setting)

    assert (missing.status_code, missing.json["code"]) == (404, "interregistry.transfer_not_found")
    assert (foreign.status_code, foreign.json["code"]) == (404, "interregistry.transfer_not_found")
    assert ACCEPTED not in setting.pair.events_of(setting.pair.a)
    signed_in = "identity.sign_in.new_device.v1"  # the administrator who pinned the peer, not the answer
    assert [event for event in setting.pair.events_of(other) if event != signed_in] == []
    assert setting.pair.status_of(transfer_id) == "awaiting_acceptance"
