"""HTTP, CLI and consumer wiring of the CAD Trust publishing context (services/cadt)."""

from __future__ import annotations

from flask_smorest import Api


def init_cadt(api: Api) -> None:
    from gateway.cadt import api as cadt_api
    from gateway.cadt import details  # noqa: F401 - registers its routes on the blueprint

    api.register_blueprint(cadt_api.blp)
