"""The ledger's HTTP API: reference data, accounts, authorizations, unit actions and queries of one registry."""

from __future__ import annotations

from flask import Flask, Response
from flask_smorest import Api

from gateway.errors import problem_response
from services.ledger.domain.errors import CheckFailed


def init_ledger(app: Flask, api: Api) -> None:
    from gateway.ledger import (
        accounts_api,
        actions_api,
        authorizations_api,
        protection_api,
        reference_api,
        transactions_api,
    )
    from gateway.ledger.context import check_failed

    def handle_check_failed(error: CheckFailed) -> Response:
        problem = check_failed(error)
        return problem_response(problem.status, problem.code, problem.detail, title=problem.title, **problem.extra)

    app.register_error_handler(CheckFailed, handle_check_failed)
    for module in (reference_api, accounts_api, authorizations_api, actions_api, transactions_api, protection_api):
        api.register_blueprint(module.blp)
