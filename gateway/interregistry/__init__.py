"""The HTTP interface for external registries (the consumer and sender are built in gateway/bootstrap/)."""

from __future__ import annotations

from flask_smorest import Api


def init_interregistry(api: Api) -> None:
    from gateway.interregistry import api as interregistry_api
    from gateway.interregistry import outbound_api  # noqa: F401 - its routes join the same blueprint

    api.register_blueprint(interregistry_api.blp)
