"""The needs assessment's gap report and the promotion's four eyes and settings diff."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.onboarding.adapters.files import questionnaire
from services.onboarding.domain.errors import InvalidAnswer, PromotionConflict, SameOperator
from services.onboarding.domain.journey import Journey, Phase
from services.onboarding.domain.promotion import (
    Administrator,
    ProductionIdentity,
    Promotion,
    PromotionStatus,
    production_settings,
    settings_diff,
)
from services.onboarding.domain.questionnaire import Finding, assessed_settings, check_answer, gap_report
from tenants.settings_schema import defaults, validate_settings

NOW = datetime(2026, 12, 7, tzinfo=UTC)
TOPICS = {
    "legal_mandate",
    "article6_participation",
    "cooperative_approaches",
    "metrics",
    "languages",
    "data_residency",
    "identity_federation",
    "cadt_participation",
    "aef_reporting",
    "integrations",
}
ANSWERS = {
    "legal_mandate": "in_force",
    "article6_participation": "single_year",
    "ndc_first_year": 2026,
    "ndc_last_year": 2035,
    "cooperative_approaches": "agreed",
    "metrics": ["t_co2e", "non_ghg"],
    "languages": ["fr", "other"],
    "default_language": "fr",
    "time_zone": "Africa/Abidjan",
    "data_residency": "dedicated",
    "identity_federation": "saml",
    "cadt_participation": "yes",
    "aef_reporting": "yes",
    "integrations": ["other_registries"],
}


def test_the_questionnaire_is_versioned_and_covers_every_topic_of_the_issue() -> None:
    found = questionnaire()
    assert found.version == 1
    assert {q.topic for q in found.questions} >= TOPICS


def test_the_gap_report_says_per_answer_what_covers_it_what_to_choose_and_what_is_a_gap() -> None:
    lines = {(line.question.id, line.answer): line for line in gap_report(questionnaire(), ANSWERS)}
    assert lines[("languages", "fr")].finding is Finding.COVERED
    assert lines[("languages", "fr")].setting == "languages"
    assert lines[("languages", "other")].finding is Finding.GAP
    assert lines[("languages", "other")].setting is None
    assert lines[("data_residency", "dedicated")].finding is Finding.TO_CHOOSE
    assert lines[("identity_federation", "saml")].finding is Finding.GAP
    assert lines[("metrics", "non_ghg")].finding is Finding.GAP
    assert lines[("time_zone", "Africa/Abidjan")].setting == "time_zone"
    assert "platform" in lines[("metrics", "non_ghg")].note["en"]


def test_an_unanswered_question_is_a_setting_still_to_choose() -> None:
    lines = gap_report(questionnaire(), {})
    assert {line.finding for line in lines} == {Finding.TO_CHOOSE}
    assert len(lines) == len(questionnaire().questions)


def test_covered_answers_become_valid_registry_settings() -> None:
    settings = production_settings(defaults(), assessed_settings(questionnaire(), ANSWERS))
    assert validate_settings(settings) == settings
    assert settings["languages"] == ["fr"]
    assert settings["default_language"] == "fr"
    assert settings["ndc_type"] == "single_year"
    assert settings["ndc_implementation_period"] == {"first_year": 2026, "last_year": 2035}
    assert settings["time_zone"] == "Africa/Abidjan"


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        ("languages", []),
        ("languages", ["xx"]),
        ("legal_mandate", "maybe"),
        ("ndc_first_year", "2026"),
        ("time_zone", " "),
    ],
)
def test_an_answer_the_question_does_not_accept_is_refused(question_id: str, answer: object) -> None:
    question = questionnaire().question(question_id)
    assert question is not None
    with pytest.raises(InvalidAnswer):
        check_answer(question, answer)


def promotion() -> Promotion:
    identity = ProductionIdentity("ghana", "GHA", "GHA01", "Ghana")
    return Promotion(uuid4(), uuid4(), identity, {}, (Administrator("ama", "Ama"),), "operator-a", NOW)


def test_the_operator_who_asked_cannot_approve_and_a_decided_promotion_stays_decided() -> None:
    found = promotion()
    with pytest.raises(SameOperator):
        found.approve("operator-a", NOW)
    assert found.status is PromotionStatus.REQUESTED
    found.approve("operator-b", NOW)
    assert (found.status, found.decided_by) == (PromotionStatus.APPROVED, "operator-b")
    with pytest.raises(PromotionConflict):
        found.approve("operator-c", NOW)


def test_the_settings_diff_names_each_setting_that_changes() -> None:
    changes = settings_diff({"languages": ["en"], "time_zone": "UTC"}, {"languages": ["fr"], "time_zone": "UTC"})
    assert [(c.name, c.training, c.production) for c in changes] == [("languages", ["en"], ["fr"])]


def test_a_journey_moves_from_training_to_assessment_to_deployed() -> None:
    journey = Journey(uuid4(), datetime(2026, 11, 1, tzinfo=UTC))
    assert (journey.phase, journey.days_in_phase(NOW)) == (Phase.TRAINING, 36)
    journey.answer(1, "legal_mandate", "in_force", datetime(2026, 12, 1, tzinfo=UTC))
    assert (journey.phase, journey.days_in_phase(NOW)) == (Phase.ASSESSMENT, 6)
    journey.deploy(uuid4(), NOW)
    assert (journey.phase, journey.days_in_phase(NOW)) == (Phase.DEPLOYED, 0)
