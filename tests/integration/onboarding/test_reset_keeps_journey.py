"""Resetting a training registry to its seed deletes its data, never what the country's team said and
answered: the journey, its phase, the assessment's answers, the feedback and the promotions asked for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, settings_for
from tests.factories.auth import auth_header, bearer_token
from tests.integration.onboarding.test_console_checklist import training
from tests.unit.onboarding.test_assessment_and_promotion import ANSWERS


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


def journey_of(http: FlaskClient, code: str, operator: dict[str, str]) -> dict[str, Any]:
    """What the operators see of a country's journey, over the API."""

    def items(path: str, key: str = "items") -> list[Any]:
        found: list[Any] = http.get(path, headers=operator).get_json()[key]
        return found

    base = f"/api/v1/platform/onboarding/{code}"
    mine = next(item for item in items("/api/v1/platform/onboarding") if item["code"] == code)
    return {
        "phase": mine["phase"],
        "open_feedback": mine["open_feedback"],
        "answers": {q["id"]: q["answer"] for q in items(f"{base}/assessment", "questions")},
        "feedback": items(f"{base}/feedback"),
        "promotions": [(p["id"], p["status"]) for p in items(f"{base}/promotions")],
    }


def test_a_reset_to_the_seed_keeps_the_journey_its_answers_feedback_and_promotions(app: Flask) -> None:
    created, http = training(app), app.test_client()
    code, party = created["code"], created["party"]
    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    holder = auth_header(bearer_token(app, code, [Role.ACCOUNT_REPRESENTATIVE]))
    feedback = {"page": f"/registries/{code}/console/actions/retirement", "text": "Which beneficiary name?"}
    assert http.post(f"/api/v1/registries/{code}/onboarding/feedback", json=feedback, headers=holder).status_code == 201
    base = f"/api/v1/platform/onboarding/{code}"
    assert http.patch(f"{base}/assessment", json={"answers": ANSWERS}, headers=operator).status_code == 200
    proposal = {
        "code": f"{code}-prod",
        "party": party,
        "registry_id": f"{party}02",
        "name": "National registry",
        "administrators": [{"username": "ama.mensah", "display_name": "Ama Mensah"}],
    }
    asked = http.post(f"{base}/promotions", json=proposal, headers=operator)
    assert asked.status_code == 201, asked.get_json()
    before = journey_of(http, code, operator)
    assert (before["phase"], before["open_feedback"], len(before["feedback"])) == ("assessment", 1, 1)

    reset = http.post(f"/api/v1/platform/tenants/{code}/reset", headers=operator)
    assert reset.status_code == 200, reset.get_json()

    assert journey_of(http, code, operator) == before
