"""The webhooks API: integrators' subscriptions, their deliveries and attempts."""

from __future__ import annotations

from flask import Flask, current_app
from flask_smorest import Api

from gateway.bootstrap import bus, platform_of
from gateway.bootstrap.webhooks import webhooks_for
from services.webhooks.bootstrap import Webhooks


def known_event_types() -> frozenset[str]:
    return frozenset(event_type.type for event_type in bus.event_catalogue())


def current_webhooks() -> Webhooks:
    found: Webhooks = current_app.extensions["webhooks"]
    return found


def init_webhooks(app: Flask, api: Api) -> None:
    from gateway.webhooks import api as webhooks_api

    app.extensions["webhooks"] = webhooks_for(platform_of(app))
    api.register_blueprint(webhooks_api.blp)
