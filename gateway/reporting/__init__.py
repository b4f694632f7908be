"""HTTP, CLI and consumer wiring of the reporting context (services/reporting)."""

from __future__ import annotations

from flask import Flask, Response
from flask_smorest import Api

from gateway.errors import problem_response
from services.reporting.domain.errors import ReportingError


def init_reporting(app: Flask, api: Api) -> None:
    from gateway.reporting import aef_api, public_api

    def handle(error: ReportingError) -> Response:
        return problem_response(error.status, error.code, error.detail, field=error.field)

    app.register_error_handler(ReportingError, handle)
    for module in (aef_api, public_api):
        api.register_blueprint(module.blp)
