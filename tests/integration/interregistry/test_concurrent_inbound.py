"""One signed message from a registry not hosted here, posted many times at once, on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from joserfc.jwk import ECKey
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from gateway.auth.principal import Role
from services.events.adapters.orm import outbox
from tests.conftest import DatabaseUrls
from tests.factories.auth import auth_header, machine_token
from tests.integration.interregistry.test_external_registry import REQUESTED, external_sender, pin, signed
from tests.integration.interregistry.two_registries import TwoRegistries

pytestmark = pytest.mark.postgres

AT_ONCE = 12


@pytest.fixture
def database_urls(postgres_urls: DatabaseUrls) -> DatabaseUrls:
    """Only PostgreSQL runs requests side by side: SQLite takes one writer at a time."""
    return postgres_urls


def requests_received(pair: TwoRegistries) -> int:
    with pair.platform.database.transaction(pair.b.id) as session:
        query = select(func.count()).where(outbox.c.tenant_id == pair.b.id, outbox.c.event_type == REQUESTED)
        found: int = session.execute(query).scalar_one()
        return found


def test_a_message_posted_many_times_at_once_is_received_once_and_acknowledged_to_every_sender(app: Flask) -> None:
    pair, data = external_sender(app)
    peer_key = ECKey.generate_key("P-256", private=True)
    compact = signed(data, peer_key, pin(app, pair, peer_key))
    url = f"/api/v1/registries/{pair.b.code}/interregistry/messages"
    headers = auth_header(machine_token(app, pair.b.code, [Role.AUDITOR]))
    start = threading.Barrier(AT_ONCE)
    assert requests_received(pair) == 0

    def send(_: int) -> TestResponse:
        client = app.test_client()
        start.wait()
        return client.post(url, json={"message": compact}, headers=headers)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        answers = list(pool.map(send, range(AT_ONCE)))

    seen = [(answer.status_code, (answer.get_json() or {}).get("status")) for answer in answers]
    assert sorted(seen) == [(202, "duplicate")] * (AT_ONCE - 1) + [(202, "received")], seen
    assert requests_received(pair) == 1
