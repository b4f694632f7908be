"""The journey's use cases: checklists measured from the event log, feedback, assessment, promotion."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from uuid6 import uuid7

from services.onboarding.domain import feedback as fb
from services.onboarding.domain.errors import (
    AssessmentIncomplete,
    InvalidAnswer,
    InvalidFeedback,
    PromotionConflict,
    PromotionNotFound,
)
from services.onboarding.domain.journey import Journey
from services.onboarding.domain.promotion import (
    Administrator,
    ProductionIdentity,
    Promotion,
    PromotionStatus,
    SettingChange,
    production_settings,
    settings_diff,
)
from services.onboarding.domain.questionnaire import (
    GapLine,
    Questionnaire,
    assessed_settings,
    check_answer,
    gap_report,
    unanswered,
)
from services.onboarding.domain.scripts import Script, ScriptProgress, ScriptRole, progress
from services.onboarding.service_layer.ports import JourneyStore, Onboarding, Provisioner


def journey_of(store: JourneyStore, tenant_id: UUID, now: datetime) -> Journey:
    """The registry's journey, begun now if nobody looked at it before."""
    return store.journey(tenant_id) or store.begin_journey(tenant_id, now)


def restart_scripts(ctx: Onboarding, tenant_id: UUID, now: datetime) -> None:
    """After a reset to the seed, count only what is done from now on."""
    with ctx.journeys() as store:
        journey = journey_of(store, tenant_id, now)
        journey.started_at = now
        store.save_journey(journey)


def script_progress(
    ctx: Onboarding, tenant_id: UUID, scripts: Mapping[ScriptRole, Script], now: datetime
) -> dict[ScriptRole, ScriptProgress]:
    with ctx.journeys() as store:
        since = journey_of(store, tenant_id, now).started_at
    events = list(ctx.event_log().events_since(tenant_id, since))
    return {role: progress(script, events) for role, script in scripts.items()}


@dataclass(frozen=True)
class NewFeedback:
    page: str
    text: str
    author: str
    role: ScriptRole | None = None
    step_id: str | None = None


def leave_feedback(
    ctx: Onboarding, tenant_id: UUID, new: NewFeedback, scripts: Mapping[ScriptRole, Script], now: datetime
) -> fb.Feedback:
    function = "general"
    if new.step_id is not None:
        step = scripts[new.role].step(new.step_id) if new.role is not None else None
        if step is None:
            raise InvalidFeedback(f"step {new.step_id!r} is not a step of the {new.role or 'given'} script")
        function = step.function
    entry = fb.Feedback(
        id=uuid7(),
        tenant_id=tenant_id,
        page=fb.checked_page(new.page),
        step_id=new.step_id,
        function=function,
        text=fb.checked_text(new.text),
        author=new.author,
        created_at=now,
    )
    with ctx.feedback(tenant_id) as store:
        store.add(entry)
    return entry


def answer(
    ctx: Onboarding, tenant_id: UUID, questionnaire: Questionnaire, answers: Mapping[str, Any], now: datetime
) -> Journey:
    """Keep the given answers (all checked first: one bad answer keeps none)."""
    checked = {}
    for question_id, value in answers.items():
        question = questionnaire.question(question_id)
        if question is None:
            raise InvalidAnswer(f"{question_id!r} is not a question of questionnaire version {questionnaire.version}")
        checked[question_id] = check_answer(question, value)
    with ctx.journeys() as store:
        journey = journey_of(store, tenant_id, now)
        for question_id, value in checked.items():
            journey.answer(questionnaire.version, question_id, value, now)
        store.save_journey(journey)
    return journey


def assessment(ctx: Onboarding, tenant_id: UUID, questionnaire: Questionnaire, now: datetime) -> list[GapLine]:
    with ctx.journeys() as store:
        journey = journey_of(store, tenant_id, now)
    answers = journey.answers if journey.questionnaire_version == questionnaire.version else {}
    return gap_report(questionnaire, answers)


@dataclass(frozen=True)
class PromotionRequest:
    identity: ProductionIdentity
    administrators: tuple[Administrator, ...]
    operator: str


def request_promotion(
    ctx: Onboarding,
    tenant_id: UUID,
    request: PromotionRequest,
    questionnaire: Questionnaire,
    defaults: Mapping[str, Any],
    now: datetime,
    check_settings: Callable[[dict[str, Any]], object] = dict,
) -> Promotion:
    """Keep the promotion with the settings it will apply; `check_settings` refuses settings the production
    registry could not be created with, before anything is kept."""
    with ctx.journeys() as store:
        journey = journey_of(store, tenant_id, now)
        answers = journey.answers if journey.questionnaire_version == questionnaire.version else {}
        missing = unanswered(questionnaire, answers)
        if missing:
            raise AssessmentIncomplete(f"the needs assessment is not complete: answer {', '.join(missing)}")
        if journey.production_tenant_id is not None:
            raise PromotionConflict("this registry was already promoted to production")
        if any(p.status is PromotionStatus.REQUESTED for p in store.promotions(tenant_id)):
            raise PromotionConflict("a promotion of this registry already waits for a second operator")
        settings = production_settings(defaults, assessed_settings(questionnaire, answers))
        check_settings(settings)
        promotion = Promotion(
            id=uuid7(),
            training_tenant_id=tenant_id,
            identity=request.identity,
            settings=settings,
            administrators=request.administrators,
            requested_by=request.operator,
            requested_at=now,
        )
        store.save_promotion(promotion)
    return promotion


def diff(promotion: Promotion, training_settings: Mapping[str, Any]) -> list[SettingChange]:
    return settings_diff(training_settings, promotion.settings)


def approve_promotion(
    ctx: Onboarding, promotion_id: UUID, operator: str, provisioner: Provisioner, now: datetime
) -> tuple[Promotion, dict[str, str]]:
    """The second operator's approval creates the production registry, empty, with its administrators."""
    with ctx.journeys() as store:
        promotion = _existing(store, promotion_id)
        promotion.approve(operator, now)
        production_id, passwords = provisioner.provision(
            promotion.identity, promotion.settings, promotion.administrators
        )
        promotion.production_tenant_id = production_id
        journey = journey_of(store, promotion.training_tenant_id, now)
        journey.deploy(production_id, now)
        store.save_promotion(promotion)
        store.save_journey(journey)
    return promotion, passwords


def withdraw_promotion(ctx: Onboarding, promotion_id: UUID, operator: str, now: datetime) -> Promotion:
    with ctx.journeys() as store:
        promotion = _existing(store, promotion_id)
        promotion.withdraw(operator, now)
        store.save_promotion(promotion)
    return promotion


def _existing(store: JourneyStore, promotion_id: UUID) -> Promotion:
    promotion = store.promotion(promotion_id, lock=True)
    if promotion is None:
        raise PromotionNotFound(f"no promotion {promotion_id}: list a registry's promotions to find its id")
    return promotion
