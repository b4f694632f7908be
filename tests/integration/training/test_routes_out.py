"""Nothing leaves training and nothing real enters it: a test for each route out of a training registry."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from services.interregistry.adapters.orm import interregistry_outbound
from tenants.domain.model import TenantKind
from tests.factories.auth import auth_header, bearer_token
from tests.integration.interregistry.test_hosted_delivery import REQUESTED, pipeline, settle
from tests.integration.interregistry.two_registries import two_registries

TRAINING, PRODUCTION = TenantKind.TRAINING, TenantKind.PRODUCTION
REVERSED = "ledger.transfer.international_reversed.v1"


@pytest.fixture
def platform(app: Flask) -> Platform:
    found: Platform = platform_of(app)
    return found


@pytest.mark.parametrize(("a_kind", "b_kind"), [(TRAINING, PRODUCTION), (PRODUCTION, TRAINING)])
def test_a_transfer_across_the_training_boundary_is_never_sent_and_comes_back(
    platform: Platform, a_kind: TenantKind, b_kind: TenantKind
) -> None:
    pair = two_registries(platform, a_kind=a_kind, b_kind=b_kind)
    relay, runtime = pipeline(platform, twice=False)

    requested = pair.request_transfer(250)
    settle(relay, runtime)

    assert pair.status_of(requested.transaction_id) == "terminated"
    assert pair.held(pair.a_world, pair.a_holding) == 1_000
    assert REQUESTED not in pair.events_of(pair.b)
    assert pair.journal_types(pair.b_world) == []
    assert pair.events_of(pair.a).count(REVERSED) == 1


def test_training_registries_transfer_to_each_other(platform: Platform) -> None:
    pair = two_registries(platform, a_kind=TRAINING, b_kind=TRAINING)
    relay, runtime = pipeline(platform, twice=False)

    requested = pair.request_transfer(250)
    settle(relay, runtime)

    assert pair.status_of(requested.transaction_id) == "completed"
    assert pair.journal_types(pair.b_world) == ["acquisition:completed"]


def test_a_training_registry_never_queues_a_transfer_for_a_registry_outside_the_platform(platform: Platform) -> None:
    pair = two_registries(platform, a_kind=TRAINING, b_kind=TRAINING)
    relay, runtime = pipeline(platform, twice=False)
    platform.catalogue.change_status(pair.b.code, "suspend")
    platform.catalogue.change_status(pair.b.code, "archive")  # now a registry this platform does not serve

    requested = pair.request_transfer(100)
    settle(relay, runtime)

    assert pair.status_of(requested.transaction_id) == "terminated"
    with platform.database.session(pair.a.id) as session:
        queued = session.scalar(
            select(func.count())
            .select_from(interregistry_outbound)
            .where(interregistry_outbound.c.tenant_id == pair.a.id)
        )
    assert queued == 0


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/interregistry/messages", {"message": "header.payload.signature"}),
        ("put", "/interregistry/peers/XYZ01", {"jwk": {"kty": "EC", "crv": "P-256", "x": "x", "y": "y"}}),
        ("put", "/interregistry/peers/XYZ01/endpoint", {"url": "https://peer.example/api"}),
    ],
)
def test_a_training_registry_takes_no_message_and_no_peer_from_outside(
    app: Flask, platform: Platform, method: str, path: str, body: dict[str, object]
) -> None:
    pair = two_registries(platform, a_kind=TRAINING, b_kind=TRAINING)
    token = auth_header(bearer_token(app, pair.a.code, [Role.REGISTRY_ADMIN], mfa=True))
    http: FlaskClient = app.test_client()
    answer = getattr(http, method)(f"/api/v1/registries/{pair.a.code}{path}", json=body, headers=token)
    assert (answer.status_code, answer.get_json()["code"]) == (409, "training.route_closed")
    assert answer.mimetype == "application/problem+json"
