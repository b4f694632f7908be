"""Every delivery of a training registry's subscription says so in a `Registry-Kind: training` header; a
production registry's carry none."""

from __future__ import annotations

import json

from flask import Flask
from standardwebhooks.webhooks import Webhook

from gateway.bootstrap import Platform, platform_of
from tenants.domain.model import TenantKind
from tests.conftest import new_tenant_command
from tests.integration.webhooks.receiver import Receiver
from tests.integration.webhooks.world import OPENED, Registry, deliver, new_registry


def test_a_training_registry_s_deliveries_carry_registry_kind_training(app: Flask, endpoint: Receiver) -> None:
    platform: Platform = platform_of(app)
    training = Registry(app, platform.catalogue.create(new_tenant_command(kind=TenantKind.TRAINING)))
    production = new_registry(app)
    secret = training.subscribe(f"{endpoint.url}/training", [OPENED]).get_json()["secret"]
    production.subscribe(f"{endpoint.url}/production", [OPENED])
    training.open_account("Practice")
    production.open_account("Real")

    assert deliver(app, training, production).send_due() == 2

    [marked] = endpoint.bodies_for("/training")
    [unmarked] = endpoint.bodies_for("/production")
    assert marked.headers["registry-kind"] == "training"
    assert "registry-kind" not in unmarked.headers
    assert json.loads(marked.body)["registry"] == training.tenant.code
    assert Webhook(secret).verify(marked.body, marked.headers)["type"] == OPENED  # the signature is unchanged
