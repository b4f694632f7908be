"""The onboarding journey at the edge: its API for participants and operators, and the composition root."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from gateway.errors import problem_response
from services.onboarding.domain.errors import OnboardingError


def init_onboarding(app: Flask, api: Api) -> None:
    from gateway.onboarding import api as onboarding_api

    app.register_error_handler(OnboardingError, lambda e: problem_response(e.status, e.code, str(e)))
    api.register_blueprint(onboarding_api.registry_blp)
    api.register_blueprint(onboarding_api.platform_blp)
