"""What the operators' API and pages both show: the overview of every journey, a country's assessment."""

from __future__ import annotations

from typing import Any

from gateway.bootstrap import Platform
from gateway.onboarding import views
from gateway.onboarding.context import onboarding, questionnaire, scripts
from gateway.training.partner import made_partners
from services.onboarding.service_layer import journeys as service
from tenants.domain.model import Tenant


def overview(platform: Platform) -> list[dict[str, Any]]:
    """Every served training registry of a country (not the partners made for them): its phase, days in it,
    script progress per role and open feedback."""
    ctx, now, items = onboarding(platform), platform.clock.now(), []
    tenants = platform.catalogue.list()
    partners = made_partners(tenants)
    for tenant in tenants:
        if not tenant.is_training or not tenant.is_served or tenant.code in partners:
            continue
        with ctx.journeys() as store:
            journey = service.journey_of(store, tenant.id, now)
        with ctx.feedback(tenant.id) as feedback_store:
            open_feedback = sum(1 for f in feedback_store.list(tenant.id) if f.is_open)
        progress = service.script_progress(ctx, tenant.id, scripts(), now)
        items.append(
            {
                "code": tenant.code,
                "party": tenant.party,
                "name": tenant.name,
                "phase": journey.phase.value,
                "days_in_phase": journey.days_in_phase(now),
                "progress": views.roles_progress(progress),
                "open_feedback": open_feedback,
            }
        )
    return items


def assessment_of(platform: Platform, tenant: Tenant, language: str) -> dict[str, Any]:
    """The questionnaire with the country's answers, and the gap report they produce."""
    current, ctx, now = questionnaire(), onboarding(platform), platform.clock.now()
    lines = views.gap_lines(service.assessment(ctx, tenant.id, current, now), language)
    with ctx.journeys() as store:
        journey = service.journey_of(store, tenant.id, now)
    answers = journey.answers if journey.questionnaire_version == current.version else {}
    return {"version": current.version, "questions": views.questions(current, answers, language), "gap_report": lines}
