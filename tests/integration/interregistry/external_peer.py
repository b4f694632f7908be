"""Hosted registry A with B moved off the platform: B is an external registry, pinned and reachable from A."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from services.interregistry.adapters.http_transport import RequestsTransport
from services.interregistry.entrypoints.sender import outbound_sender
from services.interregistry.service_layer.outbound import OutboundSender
from services.shared.clock import FixedClock
from tests.factories.auth import auth_header, bearer_token
from tests.integration.interregistry.external_standin import CLIENT_ID, CLIENT_SECRET, ExternalRegistry, serving
from tests.integration.interregistry.test_hosted_delivery import pipeline, settle
from tests.integration.interregistry.two_registries import TwoRegistries, two_registries


@dataclass
class Setting:
    app: Flask
    pair: TwoRegistries
    peer: ExternalRegistry
    sender: OutboundSender
    clock: FixedClock

    @property
    def base(self) -> str:
        return f"/api/v1/registries/{self.pair.a.code}/interregistry"

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def admin(self) -> dict[str, str]:
        return auth_header(bearer_token(self.app, self.pair.a.code, [Role.REGISTRY_ADMIN], mfa=True))

    def request_and_queue(self, quantity: int = 100) -> str:
        self.pair.request_transfer(quantity)
        relay, runtime = pipeline(self.pair.platform, twice=True)
        settle(relay, runtime)
        self.clock.set(datetime.now(UTC))  # queued at the platform's time; the sender's clock starts from there
        return self.only_pending()["id"]

    def outbound(self, status: str | None = None) -> list[dict[str, Any]]:
        query = f"?status={status}" if status else ""
        response = self.client().get(f"{self.base}/outbound{query}", headers=self.admin())
        assert response.status_code == 200, response.json
        items: list[dict[str, Any]] = response.json["items"]
        return items

    def only_pending(self) -> dict[str, Any]:
        [pending] = self.outbound("pending")
        return pending


def external_peer(app: Flask) -> Iterator[Setting]:
    """A and B on the platform; then B leaves it and runs its own registry, pinned and reachable from A."""
    platform: Platform = platform_of(app)
    pair = two_registries(platform)
    platform.catalogue.change_status(pair.b.code, "suspend")
    platform.catalogue.change_status(pair.b.code, "archive")
    keys = app.test_client().get(f"/api/v1/registries/{pair.a.code}/interregistry/keys").json
    peer = ExternalRegistry(pair.b.registry_id, keys)
    clock = FixedClock(datetime.now(UTC))
    sender = outbound_sender(
        platform.database, platform.catalogue, platform.settings.secret_key, clock, RequestsTransport(timeout_s=0.3)
    )
    with serving(peer) as url:
        setting = Setting(app, pair, peer, sender, clock)
        pinned = setting.client().put(
            f"{setting.base}/peers/{pair.b.registry_id}", json={"jwk": peer.public_jwk}, headers=setting.admin()
        )
        assert pinned.status_code == 200, pinned.json
        configured = setting.client().put(
            f"{setting.base}/peers/{pair.b.registry_id}/endpoint",
            json={"url": url, "token_url": f"{url}/token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
            headers=setting.admin(),
        )
        assert configured.status_code == 200, configured.json
        assert "client_secret" not in configured.json
        yield setting
