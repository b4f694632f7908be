"""A hosted registry pushes its messages to a registry not on the platform, signed, until acknowledged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from flask import Flask

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from gateway.bootstrap.consumers import CONSUMERS
from gateway.bootstrap.interregistry import SEND_INTERVAL_S
from services.interregistry.domain.outbound import MAX_ATTEMPTS
from services.interregistry.entrypoints.sender import outbound_sender
from services.interregistry.service_layer.outbound import OutboundSender
from tests.conftest import new_tenant_command
from tests.factories.auth import auth_header, bearer_token
from tests.integration.interregistry.external_peer import Setting, external_peer

REQUESTED = "interregistry.transfer.requested.v1"


@pytest.fixture
def setting(app: Flask) -> Iterator[Setting]:
    yield from external_peer(app)


def test_a_request_to_an_external_registry_is_pushed_signed_and_acknowledged(setting: Setting) -> None:
    message_id = setting.request_and_queue(100)

    setting.sender.send_due()

    [message] = setting.peer.applied.values()
    assert (message["id"], message["type"]) == (message_id, REQUESTED)
    assert message["data"]["acquiring_registry_id"] == setting.pair.b.registry_id
    [delivered] = setting.outbound("delivered")
    assert (delivered["id"], delivered["ack_status"], delivered["attempts"]) == (message_id, "received", 1)
    assert delivered["acknowledgement"].count(".") == 2
    setting.sender.send_due()  # nothing due any more
    assert setting.peer.posts == 1


def test_an_outage_keeps_messages_pending_and_they_arrive_once_after_it(setting: Setting) -> None:
    first = setting.request_and_queue(100)
    setting.peer.down = True

    setting.sender.send_due()
    setting.clock.advance(timedelta(seconds=10))
    setting.sender.send_due()  # backing off, nothing due yet
    assert setting.peer.posts == 1

    pending = setting.only_pending()
    assert (pending["id"], pending["attempts"]) == (first, 1)
    assert "503" in pending["last_error"]
    assert datetime.fromisoformat(pending["next_attempt_at"]) > setting.clock.now()

    setting.clock.advance(timedelta(seconds=25))
    setting.sender.send_due()  # second attempt, still down: the wait doubles
    assert setting.only_pending()["attempts"] == 2
    setting.peer.down = False
    setting.clock.advance(timedelta(seconds=30))
    setting.sender.send_due()
    assert (setting.peer.posts, setting.peer.applied) == (2, {})
    setting.clock.advance(timedelta(seconds=31))
    setting.sender.send_due()

    assert list(setting.peer.applied) == [first]
    [delivered] = setting.outbound("delivered")
    assert (delivered["attempts"], delivered["ack_status"], delivered["last_error"]) == (3, "received", None)


def test_a_lost_answer_is_redelivered_and_the_peer_applies_it_once(setting: Setting) -> None:
    message_id = setting.request_and_queue(100)
    setting.peer.slow_s = 1.0  # the peer records the message, but answers after our timeout

    setting.sender.send_due()
    assert "Timeout" in setting.only_pending()["last_error"]
    setting.peer.slow_s = 0
    setting.clock.advance(timedelta(minutes=1))
    setting.sender.send_due()

    assert list(setting.peer.applied) == [message_id]
    [delivered] = setting.outbound("delivered")
    assert (delivered["ack_status"], delivered["attempts"]) == ("duplicate", 2)


def test_a_forged_acknowledgement_is_refused_and_the_message_dead_letters_at_the_cap(setting: Setting) -> None:
    message_id = setting.request_and_queue(100)
    setting.peer.forge = True

    setting.sender.send_due()
    pending = setting.only_pending()
    assert pending["last_error"].startswith("acknowledgement refused")
    assert pending["delivered_at"] is None
    for _ in range(MAX_ATTEMPTS - 1):
        setting.clock.advance(timedelta(hours=7))
        setting.sender.send_due()
    [dead] = setting.outbound("dead")
    assert (dead["id"], dead["attempts"]) == (message_id, MAX_ATTEMPTS)
    assert setting.outbound("pending") == []

    setting.peer.forge = False
    retried = setting.client().post(f"{setting.base}/outbound/{message_id}/retry", headers=setting.admin())
    assert (retried.status_code, retried.json["status"], retried.json["attempts"]) == (200, "pending", 0)
    setting.clock.advance(timedelta(seconds=1))
    setting.sender.send_due()
    shown = setting.client().get(f"{setting.base}/outbound/{message_id}", headers=setting.admin()).json
    assert (shown["status"], shown["ack_status"]) == ("delivered", "duplicate")
    again = setting.client().post(f"{setting.base}/outbound/{message_id}/retry", headers=setting.admin())
    assert (again.status_code, again.json["code"]) == (409, "interregistry.not_dead")


def test_without_an_endpoint_the_message_waits_without_spending_attempts(setting: Setting, app: Flask) -> None:
    platform: Platform = platform_of(app)
    message_id = setting.request_and_queue(100)
    bare = outbound_sender(platform.database, platform.catalogue, "x" * 40, setting.clock)  # another secret: no
    bare.endpoints = type("NoEndpoints", (), {"get": staticmethod(lambda *_: None)})()

    bare.send_due()

    pending = setting.only_pending()
    assert (pending["id"], pending["attempts"]) == (message_id, 0)
    assert "no endpoint" in pending["last_error"]


def test_an_endpoint_must_be_https_or_loopback(setting: Setting) -> None:
    response = setting.client().put(
        f"{setting.base}/peers/{setting.pair.b.registry_id}/endpoint",
        json={"url": "http://registry.example/api"},
        headers=setting.admin(),
    )

    assert (response.status_code, response.json["code"]) == (422, "interregistry.endpoint_invalid")


def test_another_registry_sees_none_of_these_messages(setting: Setting) -> None:
    message_id = setting.request_and_queue(100)
    other = setting.pair.platform.catalogue.create(new_tenant_command()).code
    token = auth_header(bearer_token(setting.app, other, [Role.REGISTRY_ADMIN], mfa=True))
    base = f"/api/v1/registries/{other}/interregistry/outbound"

    listing = setting.client().get(base, headers=token)
    one = setting.client().get(f"{base}/{message_id}", headers=token)
    retry = setting.client().post(f"{base}/{message_id}/retry", headers=token)

    assert (listing.status_code, listing.json["items"]) == (200, [])
    assert (one.status_code, one.json["code"]) == (404, "interregistry.message_not_found")
    assert retry.status_code == 404
    assert setting.only_pending()["id"] == message_id


def test_the_interregistry_consumer_runs_the_sender_as_its_periodic_duty(platform: Platform) -> None:
    consumer = CONSUMERS["interregistry"](platform)

    assert consumer.periodic is not None
    assert consumer.periodic.interval_s == SEND_INTERVAL_S
    duty = consumer.periodic.run
    assert isinstance(getattr(duty, "__self__", None), OutboundSender)
    assert getattr(duty, "__func__", None) is OutboundSender.send_due
